// Drives the web client in Debian's Chromium (playwright-core, never a downloaded browser) against a running
// spot, for tests/it/web_client.rs. Prints one JSON object per line: {"<step>": true} as each scenario passes,
// {"restart": true} when the Rust side should restart the server, {"error": "..."} on failure (exit 1).
// Environment: SPOT_URL, SPOT_CHROMIUM, SPOT_ARTIFACTS, SPOT_HISTORY_CHANNEL, SPOT_HISTORY_COUNT.
import { join } from 'node:path';
import { ARTIFACTS, T, act, check, chromium, message, open, pwned, report, send } from './helpers.mjs';
import { gradientPng } from './png.mjs';
import { accessibility, blip, history, screenshots, search, settings, unread, xss } from './scenarios.mjs';

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SPOT_CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const alice = await open(browser, 'alice', 'alice password 1');
    const bob = await open(browser, 'bob', 'bob password 22', { routed: true });
    const a = alice.page;
    const b = bob.page;
    check((await a.title()).includes('general'), `alice lands in #general: ${await a.title()}`);
    report('logged_in');

    await send(a, 'hello from **alice** :wave:');
    await message(b, 'hello from alice').waitFor({ timeout: T });
    check(await message(b, 'hello from alice').locator('strong').count() === 1, 'bold renders');
    check((await b.locator('.member', { hasText: 'alice' }).first().locator('.presence.online').count()) === 1, 'alice is online');
    // Shift+Enter is a new line, Enter sends.
    const box = a.locator('.chat .composer textarea');
    await box.click();
    await box.pressSequentially('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    await box.press('Enter');
    await message(b, 'line two').locator('br').waitFor({ state: 'attached', timeout: T });
    // A pasted file is attached like a picked one.
    await a.locator('.chat .composer textarea').evaluate((area) => {
      const data = new DataTransfer();
      data.items.add(new File(['pasted'], 'clip.txt', { type: 'text/plain' }));
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    await a.locator('.pending-file', { hasText: 'clip.txt' }).getByRole('button', { name: 'Remove clip.txt' }).click();
    report('realtime');

    await b.locator('.chat .composer textarea').fill('typing…');
    await a.getByText('bob is typing…').waitFor({ timeout: T });
    await b.locator('.chat .composer textarea').fill('');
    report('typing');

    await act(b, 'hello from alice', 'Reply');
    await send(b, 'hi alice, replying');
    const reply = message(a, 'hi alice, replying');
    await reply.waitFor({ timeout: T });
    check((await reply.locator('.reply-preview').innerText()).includes('hello from'), 'the reply shows what it answers');
    report('reply');

    await act(a, 'hi alice, replying', 'Add reaction');
    await a.getByRole('button', { name: 'React with 👍' }).click();
    await message(b, 'hi alice, replying').locator('.reaction', { hasText: '1' }).waitFor({ timeout: T });
    report('reaction');

    await send(a, 'a message with a typo');
    await message(b, 'a message with a typo').waitFor({ timeout: T });
    await a.locator('.chat .composer textarea').press('ArrowUp');
    const editor = a.locator('.editor textarea');
    await editor.waitFor({ timeout: T });
    await editor.fill('a message, corrected');
    await editor.press('Enter');
    await message(b, 'a message, corrected').locator('.edited').waitFor({ timeout: T });
    report('edit');

    await act(a, 'hello from alice', 'Pin message');
    await b.getByRole('button', { name: 'Pinned messages' }).click();
    await b.locator('.panel .result', { hasText: 'hello from alice' }).waitFor({ timeout: T });
    await b.getByRole('button', { name: 'Close pinned messages' }).click();
    report('pin');

    await act(a, 'a message, corrected', 'Create thread');
    const naming = a.getByRole('dialog', { name: 'Create thread' });
    await naming.getByRole('textbox').fill('Plans');
    await naming.getByRole('button', { name: 'Create thread' }).click();
    await a.locator('.thread-view').waitFor({ timeout: T });
    await send(a, 'first words in the thread', '.thread-view');
    await a.locator('.thread-view article.msg', { hasText: 'first words in the thread' }).waitFor({ timeout: T });
    await message(b, 'a message, corrected').locator('.thread-link', { hasText: 'Plans' }).click();
    await b.locator('.thread-view article.msg', { hasText: 'first words in the thread' }).waitFor({ timeout: T });
    await b.mouse.move(0, 0);
    await b.screenshot({ path: join(ARTIFACTS, 'thread.png') });
    await b.getByRole('button', { name: 'Close thread' }).click();
    await a.getByRole('button', { name: 'Close thread' }).click();
    report('thread');

    await a.locator('.chat .composer input[type=file]').setInputFiles({
      name: 'gradient.png',
      mimeType: 'image/png',
      buffer: gradientPng(320, 200),
    });
    await a.locator('.pending-file', { hasText: 'gradient.png' }).waitFor({ timeout: T });
    await send(a, 'a picture');
    const image = message(b, 'a picture').locator('.attachment.image img');
    await image.waitFor({ timeout: T });
    await b.waitForFunction((img) => img.complete && img.naturalWidth === 320, await image.elementHandle(), { timeout: T });
    // Drag and drop onto the composer, as from a file manager.
    await b.locator('.chat .composer').evaluate((composer) => {
      const data = new DataTransfer();
      data.items.add(new File(['meeting notes\n'], 'notes.txt', { type: 'text/plain' }));
      composer.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      composer.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await b.locator('.pending-file', { hasText: 'notes.txt' }).waitFor({ timeout: T });
    await send(b, 'the notes');
    await message(a, 'the notes').locator('.attachment.file', { hasText: 'notes.txt' }).waitFor({ timeout: T });
    report('upload');

    await send(b, 'this one will be deleted');
    await message(a, 'this one will be deleted').waitFor({ timeout: T });
    await act(b, 'this one will be deleted', 'Delete message');
    await b.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete' }).click();
    await message(a, 'this one will be deleted').waitFor({ state: 'detached', timeout: T });
    report('delete');

    await unread(a, b);
    await screenshots(a, 'chat');
    await history(a);
    await search(a);

    await a.keyboard.press('Control+k');
    await a.getByRole('dialog', { name: 'Quick switcher' }).waitFor({ timeout: T });
    await a.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Channel or thread name');
    await a.keyboard.type('gener');
    await a.keyboard.press('Enter');
    await a.waitForSelector('.chat-title:has-text("general")', { timeout: T });
    report('switcher');

    await accessibility(a);
    await settings(a, b);
    await xss(a, b);
    await screenshots(a, 'xss');
    await a.getByRole('button', { name: 'User settings' }).click();
    await a.getByRole('dialog', { name: 'User settings' }).waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'settings.png') });
    await a.keyboard.press('Escape');
    report('screenshots');

    await blip(a, b);

    report('restart');
    await a.locator('.banner', { hasText: 'Reconnecting' }).waitFor({ timeout: 30_000 });
    await a.locator('.banner').waitFor({ state: 'detached', timeout: 60_000 });
    await b.locator('.banner').waitFor({ state: 'detached', timeout: 60_000 });
    await send(b, 'back after the restart');
    await message(a, 'back after the restart').waitFor({ timeout: T });
    // Posted by a bot as soon as the server was back, most likely before the pages reconnected: fetched on
    // reconnection if it was missed.
    await message(a, 'sent while you were away').waitFor({ timeout: T });
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('reconnected');
    report('done');
  } catch (error) {
    // Pictures of every page at the moment of failure, for whoever reads the test log.
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `failure-${i}-${j}.png`) }).catch(() => undefined);
      }
    }
    throw error;
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  report('error', String(error?.stack ?? error));
  process.exit(1);
});
