// Drives the web client in Debian's Chromium (playwright-core, never a downloaded browser) against a running
// spot, for tests/it/web_client.rs. Prints one JSON object per line: {"<step>": true} as each scenario passes,
// {"restart": true} when the Rust side should restart the server, {"error": "..."} on failure (exit 1).
// Environment: SPOT_URL, SPOT_CHROMIUM, SPOT_ARTIFACTS, SPOT_HISTORY_CHANNEL, SPOT_HISTORY_COUNT.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gradientPng } from './png.mjs';

const require = createRequire(fileURLToPath(new URL('../../web/package.json', import.meta.url)));
const { chromium } = require('playwright-core');

const BASE = process.env.SPOT_URL;
const ARTIFACTS = process.env.SPOT_ARTIFACTS;
const HISTORY_COUNT = Number(process.env.SPOT_HISTORY_COUNT);
const T = 15_000;

const report = (key, value = true) => console.log(JSON.stringify({ [key]: value }));
const pwned = [];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Bob's gateway traffic goes through Playwright's WebSocket routing, so the test can cut his connection (a
 * network blip) and see what the client sends and receives.
 */
const gateway = { routes: [], frames: [] };

async function routeGateway(context) {
  await context.routeWebSocket(/\/gateway/, (ws) => {
    const server = ws.connectToServer();
    gateway.routes.push({ ws, server });
    ws.onMessage((frame) => {
      gateway.frames.push({ to: 'server', frame: String(frame) });
      server.send(frame);
    });
    server.onMessage((frame) => {
      gateway.frames.push({ to: 'page', frame: String(frame) });
      ws.send(frame);
    });
  });
}

async function open(browser, username, password, { routed = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  if (routed) await routeGateway(context);
  const page = await context.newPage();
  // Any script that runs from user content calls this (the XSS payloads do), or opens an alert.
  await page.exposeFunction('__pwned', (label) => pwned.push(`${username}: ${label}`));
  // The client never opens the browser's own dialogs, so any dialog came from injected script.
  page.on('dialog', async (dialog) => {
    pwned.push(`${username}: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('response', (response) => {
    if (response.status() >= 400) console.error(`[${username}] ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('pageerror', (error) => console.error(`[${username}] page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[${username}] console: ${msg.text()}`);
  });
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.composer textarea', { timeout: 2 * T });
  return { context, page };
}

/** The newest message in the channel pane whose own text (not a reply preview) contains `text`. */
const message = (page, text) =>
  page.locator('.chat article.msg').filter({ has: page.locator('.msg-body > .content', { hasText: text }) }).last();

async function send(page, text, scope = '.chat') {
  const box = page.locator(`${scope} .composer textarea`);
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

async function act(page, text, label) {
  const row = message(page, text);
  await row.hover();
  await row.getByRole('button', { name: label, exact: true }).click();
}

async function openChannel(page, name) {
  await page.locator('.sidebar a.channel', { hasText: name }).click();
  await page.waitForSelector(`.chat-title:has-text("${name}")`, { timeout: T });
}

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

/** Cuts bob's gateway connection; his client must RESUME on a new one and get what was sent meanwhile. */
async function blip(a, b) {
  const { ws, server } = gateway.routes[gateway.routes.length - 1];
  const before = gateway.frames.length;
  await server.close({ code: 1006, reason: 'blip' }).catch(() => undefined);
  await ws.close({ code: 4000, reason: 'blip' });
  await send(a, 'sent during the blip');
  await message(b, 'sent during the blip').waitFor({ timeout: 30_000 });
  const later = gateway.frames.slice(before);
  const sent = later.filter((f) => f.to === 'server').map((f) => JSON.parse(f.frame));
  const received = later.filter((f) => f.to === 'page').map((f) => JSON.parse(f.frame));
  check(sent.some((f) => f.op === 6 && f.d.token === '' && f.d.session_id), 'the client sent RESUME');
  check(!sent.some((f) => f.op === 2), 'the client did not identify again');
  check(received.some((f) => f.t === 'RESUMED'), 'the server resumed the session');
  await b.locator('.banner').waitFor({ state: 'detached', timeout: T });
  report('resumed');
}

async function unread(a, b) {
  await openChannel(b, 'history');
  await send(a, '@bob are you there? #general is quiet');
  const general = b.locator('.sidebar a.channel', { hasText: 'general' });
  await general.locator('.badge', { hasText: '1' }).waitFor({ timeout: T });
  check(await general.evaluate((el) => el.classList.contains('unread')), 'general shows as unread');
  await openChannel(b, 'general');
  const mention = message(b, 'are you there?');
  await mention.waitFor({ timeout: T });
  check(await mention.evaluate((el) => el.classList.contains('mentioned')), 'the mention is highlighted');
  check((await mention.locator('.mention').first().innerText()) === '@bob', 'the @mention resolves to a name');
  check((await mention.locator('a.mention').innerText()) === '#general', 'the #channel link resolves');
  const divider = await b.locator('.chat .row', { has: b.locator('.divider.unread') }).getAttribute('data-id');
  check(divider === (await mention.evaluate((el) => el.closest('.row').dataset.id)), 'the new-messages divider is above it');
  await general.locator('.badge').waitFor({ state: 'detached', timeout: T });
  report('unread');
}

async function history(page) {
  // Time from the click to the newest message on screen, measured in the page.
  const last = `history message ${HISTORY_COUNT - 1}`;
  const openMs = await page.evaluate(
    (text) =>
      new Promise((resolve) => {
        const started = performance.now();
        const seen = () => [...document.querySelectorAll('.chat .content')].some((el) => el.textContent === text);
        const observer = new MutationObserver(() => {
          if (seen()) {
            observer.disconnect();
            resolve(Math.round(performance.now() - started));
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        [...document.querySelectorAll('.sidebar a.channel')].find((a) => a.textContent.includes('history')).click();
      }),
    last,
  );
  console.log(JSON.stringify({ metrics: { open_channel_ms: openMs } }));
  await message(page, last).waitFor({ timeout: T });
  const scroller = page.locator('.chat .scroller');
  // Scroll up page by page; each time older messages load above, what was on screen must not move.
  let maxShift = 0;
  for (let i = 0; i < 60; i++) {
    if (await page.getByText('Welcome to #history!').isVisible()) break;
    const before = await scroller.evaluate((el) => {
      const rows = [...el.querySelectorAll('.row[data-id]')];
      const box = el.getBoundingClientRect();
      const first = rows.find((r) => r.getBoundingClientRect().bottom > box.top + 10);
      return { id: first.dataset.id, top: first.getBoundingClientRect().top, count: rows.length };
    });
    await scroller.evaluate((el) => el.scrollBy(0, -el.clientHeight * 0.9));
    await page.waitForTimeout(120);
    const after = await scroller.evaluate((el, id) => {
      const row = el.querySelector(`.row[data-id="${id}"]`);
      return row ? row.getBoundingClientRect().top : null;
    }, before.id);
    if (after !== null) {
      const scrolled = await scroller.evaluate((el) => el.clientHeight * 0.9);
      maxShift = Math.max(maxShift, Math.abs(after - before.top - scrolled));
    }
    check(before.count < 150, `only visible rows are in the DOM (saw ${before.count})`);
  }
  await message(page, 'history message 0').waitFor({ timeout: T });
  check(maxShift < 4, `content jumped by ${maxShift}px while history loaded`);
  report('history');
}

async function search(page) {
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('42');
  await page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
  await openChannel(page, 'general');
  const result = page.locator('.panel .result', { hasText: 'history message 42' });
  await result.waitFor({ timeout: T });
  await result.click();
  await page.waitForSelector('.chat-title:has-text("history")', { timeout: T });
  await page.locator('.chat article.msg.highlight', { hasText: 'history message 42' }).waitFor({ timeout: T });
  await page.keyboard.press('Escape');
  // The jump loaded history around message 42; the newest messages come back with "jump to present".
  await page.getByRole('button', { name: /Jump to present/ }).click();
  await message(page, `history message ${HISTORY_COUNT - 1}`).waitFor({ timeout: T });
  report('search');
}

async function settings(a, b) {
  await b.getByRole('button', { name: 'User settings' }).click();
  const dialog = b.getByRole('dialog', { name: 'User settings' });
  await dialog.getByLabel('Display name').fill('Bobby Tables');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.getByText('Saved.').waitFor({ timeout: T });
  await dialog.getByRole('tab', { name: 'Appearance' }).click();
  await dialog.getByLabel('Light').check();
  check((await b.evaluate(() => document.documentElement.dataset.theme)) === 'light', 'the light theme applies');
  await dialog.getByLabel('Sync with system').check();
  await dialog.getByRole('tab', { name: 'Sessions' }).click();
  await dialog.getByText('This browser').waitFor({ timeout: T });
  await b.keyboard.press('Escape');
  await a.locator('.members .member', { hasText: 'Bobby Tables' }).waitFor({ timeout: T });
  await message(a, 'hi alice, replying').locator('.author', { hasText: 'Bobby Tables' }).waitFor({ timeout: T });
  report('settings');
}

const PAYLOADS = [
  '<img src=x onerror="__pwned(\'img\')">',
  '<script>__pwned("script")</script>',
  '"><svg onload="__pwned(\'svg\')">',
  '[click me](javascript:__pwned("mdlink"))',
  '[x](https://example.com/"onmouseover="__pwned(\'attr\'))',
  '<a href="javascript:__pwned(\'a\')">a link</a>',
  '<iframe srcdoc="<script>parent.__pwned(\'iframe\')</script>"></iframe>',
  'javascript:__pwned("bare")',
  '`<img src=x onerror=__pwned("code")>` and ||<img src=x onerror=__pwned("spoiler")>||',
  '```html\n<img src=x onerror=__pwned("block")>\n```',
  '> <img src=x onerror=__pwned("quote")>',
];

async function xss(a, b) {
  await openChannel(b, 'general');
  // A display name and a file name carrying markup too.
  const renamed = await b.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('spot_csrf=')).split('=')[1];
    const response = await fetch('/api/v10/users/@me', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ global_name: '<img src=x onerror=__pwned(9)>' }),
    });
    return response.status;
  });
  check(renamed === 200, `display name change answered ${renamed}`);
  await b.locator('.chat .composer input[type=file]').setInputFiles({
    name: '"><img src=x onerror=__pwned(7)>.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('just text'),
  });
  await send(b, 'a file with a strange name');
  for (const payload of PAYLOADS) await send(b, payload);
  await message(a, 'onerror=__pwned("quote")').waitFor({ timeout: T });
  await message(a, 'a file with a strange name').locator('.attachment.file').waitFor({ timeout: T });
  await a.waitForTimeout(500);
  for (const row of await a.locator('.chat article.msg').all()) await row.hover();
  const found = await a.evaluate(() => ({
    dangerous: document.querySelectorAll('#app img[src="x"], #app script, #app svg:not(.icon-svg), #app iframe').length,
    handlers: [...document.querySelectorAll('#app *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    badLinks: [...document.querySelectorAll('#app a[href]')].filter((l) => !/^(https?:|\/)/.test(l.getAttribute('href'))).length,
    text: document.querySelector('.chat').innerText,
  }));
  check(found.dangerous === 0, `${found.dangerous} elements were created from user text`);
  check(found.badLinks === 0, `${found.badLinks} links with unsafe schemes`);
  check(found.handlers === 0, `${found.handlers} elements carry event-handler attributes`);
  check(found.text.includes('<img src=x onerror="__pwned(\'img\')">'), 'the payload shows as text');
  check(found.text.includes('<img src=x onerror=__pwned(9)>'), 'the display name shows as text');
  check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
  report('xss');
}

/** Dark, light and phone-width pictures of #general, named `<prefix>-<variant>.png`. */
async function screenshots(page, prefix) {
  await openChannel(page, 'general');
  await page.locator('.chat .scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  const shot = (name) => page.screenshot({ path: join(ARTIFACTS, `${prefix}-${name}.png`) });
  await shot('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot('light');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  await shot('phone');
  await page.getByRole('button', { name: 'Show channels' }).click();
  await page.locator('.sidebar.open').waitFor({ timeout: T });
  await page.waitForTimeout(300);
  await shot('phone-channels');
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
}

main().catch((error) => {
  report('error', String(error?.stack ?? error));
  process.exit(1);
});
