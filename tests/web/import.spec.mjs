// History imported from a Discord export (issue 19), read in the web client as a person would: the imported
// channel in its category, authors with their Discord names and pictures marked IMPORTED (with a card of their
// own), original dates, a reply preview, the pin, reactions (one custom emoji made from the export), the
// copied picture, and the thread — on a desktop and on a 390 px phone.
//
//   node tests/web/import.spec.mjs   (SPOT_URL, SPOT_CHROMIUM, SPOT_ARTIFACTS as for the other specs)
// The server holds the export of tests/it/import.rs (`write_export`), imported before it started, and the
// admin account admin / "correct horse battery".
// Output: {"desktop": true}, {"phone": true}, {"done": true}; {"error": "..."} and exit 1 on failure.
import { join } from 'node:path';
import { ARTIFACTS, T, check, chromium, noOverflow, open, pwned, report, until } from './helpers.mjs';

/** Waits until an image has really loaded. */
async function loaded(locator, what) {
  await locator.first().waitFor({ timeout: T });
  await until(`${what} to load`, () => locator.first().evaluate((img) => img.complete && img.naturalWidth > 0));
}

async function readHistory(page, phone) {
  if (phone) {
    await page.getByRole('button', { name: /^Show channels/ }).tap();
    await page.locator('.sidebar.open a.channel', { hasText: 'old-general' }).tap();
  } else {
    await page.locator('.sidebar a.channel', { hasText: 'old-general' }).click();
  }
  await page.waitForSelector('.chat-title:has-text("old-general")', { timeout: T });
  const first = page.locator('.chat article.msg').filter({ has: page.locator('.content', { hasText: 'hello' }) }).first();
  await first.waitFor({ timeout: T });
  // The author as Discord showed them, marked imported, with the export's picture.
  await first.locator('.imported-tag', { hasText: 'IMPORTED' }).waitFor({ timeout: T });
  check((await first.locator('.msg-header').textContent()).includes('Alex'), 'the author is Alex');
  await loaded(first.locator('img.avatar, .avatar img'), 'the imported avatar');
  // The original date (13 March 2020) is shown, not today's.
  const dates = await page.locator('.chat').textContent();
  check(/2020/.test(dates), `the original date is shown: ${dates.slice(0, 300)}`);
  // The copied picture, and the reaction counted with a stand-in.
  await loaded(first.locator('a.attachment.image img'), 'the copied picture');
  await first.locator('.reaction', { hasText: '2' }).waitFor({ timeout: T });
  // The reply, with its preview of Alex's message, and the custom emoji made from the export.
  const reply = page.locator('.chat article.msg').filter({ has: page.locator('.reply-preview') }).first();
  check((await reply.locator('.reply-preview').textContent()).includes('hello'), 'the reply previews the message it answers');
  await loaded(reply.locator('.content img.emoji.custom[alt=":party:"]'), 'the imported custom emoji');
  await noOverflow(page, phone ? 'the imported history on a phone' : 'the imported history');
  await page.screenshot({ path: join(ARTIFACTS, `import-${phone ? 'phone' : 'desktop'}.png`) });
  if (!phone) {
    // Alex's card says who they were.
    await first.locator('.author-button').first().click();
    await page.locator('.profile-card', { hasText: 'Brought in from a Discord export' }).waitFor({ timeout: T });
    await page.keyboard.press('Escape');
  }
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SPOT_CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const desktop = await open(browser, 'admin', 'correct horse battery');
    await readHistory(desktop.page, false);
    report('desktop');
    const phone = await open(browser, 'admin', 'correct horse battery', { phone: true });
    await readHistory(phone.page, true);
    report('phone');
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `import-failure-${i}-${j}.png`) }).catch(() => undefined);
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
