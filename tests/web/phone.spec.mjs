// The web client and the admin panel on a phone, driven in Debian's Chromium (playwright-core, never a downloaded
// browser) against a running spot, for tests/it/web_phone.rs. One person on a 390×844 touch screen without hover
// (helpers.mjs PHONE) does what a phone user does, with real touch events for swipes and long presses: chats
// (long-press → react, reply, edit, thread), opens both drawers by swiping and by tapping, joins the Lounge and
// uses the call bar (mute, deafen, the speaking ring, hang up), has the DJ play and pauses it from the now-playing
// bar, taps the DJ's tile for its volume, finds the Lounge in the quick switcher, goes through every settings
// tab, makes an invite link in the client and opens it, and uses the admin panel's invites. After every screen
// nothing may be wider than the phone (helpers.mjs noOverflow), and the controls a thumb uses are at least 44px.
//
// How to launch it (as tests/it/web_dm.rs launches dm.spec.mjs):
//   node tests/web/phone.spec.mjs            (no arguments)
// Environment:
//   SPOT_URL            the server's base URL, e.g. http://127.0.0.1:PORT (no trailing slash)
//   SPOT_CHROMIUM       the browser to drive: /usr/bin/chromium
//   SPOT_ARTIFACTS      an existing directory for screenshots (phone-*.png, and phone-failure-*.png on failure)
//   SPOT_TONE           a WAV file every fake microphone plays (the speaking ring needs a voice)
//   SPOT_ADMIN          the instance admin's username (tests/it/support.rs ADMIN: "admin")
//   SPOT_ADMIN_PASSWORD its password (tests/it/support.rs ADMIN_PASSWORD)
//   NODE_PATH           <repo>/web/node_modules (playwright-core is found through web/package.json anyway)
// The server must have: the admin account from `spot init` (a member of the home space with #general and the
// Lounge), no other account needed; registration by invites (the default); a DJ music library holding a track
// titled "First Sine" (web_voice.rs makes it with sox and `spot music scan`); REST limits high enough for a busy
// client ("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n").
//
// Output: one JSON object per line, {"<step>": true} as each step passes, in this order:
//   logged_in, chat, long_press, reply_edit_thread, drawers, voice, call_bar, dj_bar, hang_up, switcher,
//   settings, invite_dialog, admin_invites, done
// and {"error": "..."} on failure (exit code 1).
import { join } from 'node:path';
import {
  ARTIFACTS, BASE, FAKE_MEDIA, PHONE, T, check, chromium, longPress, message, noOverflow, open, pwned, report, send,
  sleep, swipe, touchTargets, until,
} from './helpers.mjs';

const ADMIN = process.env.SPOT_ADMIN ?? 'admin';
const ADMIN_PASSWORD = process.env.SPOT_ADMIN_PASSWORD ?? 'correct horse battery';
const W = PHONE.viewport.width;
const H = PHONE.viewport.height;

const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `phone-${name}.png`) });

/** Whether an element is entirely on the screen. */
async function onScreen(locator) {
  const box = await locator.boundingBox();
  return !!box && box.x >= -0.5 && box.y >= -0.5 && box.x + box.width <= W + 0.5 && box.y + box.height <= H + 0.5;
}

/** Opens the channel drawer with its button and waits for it to finish sliding in. */
async function drawer(page) {
  await page.getByRole('button', { name: /^Show channels/ }).tap();
  await page.locator('.sidebar.open').waitFor({ timeout: T });
  await sleep(300);
}

async function openChannel(page, name) {
  await drawer(page);
  await page.locator('.sidebar a.channel', { hasText: name }).tap();
  await page.locator('.chat-title', { hasText: name }).waitFor({ timeout: T });
  await page.locator('.sidebar.open').waitFor({ state: 'detached', timeout: T });
}

/** Long-presses a message and waits for its actions. */
async function actions(page, text) {
  await longPress(page, message(page, text).locator('.msg-body > .content'));
  const sheet = page.getByRole('dialog', { name: 'Message actions' });
  await sheet.waitFor({ timeout: T });
  return sheet;
}

const STEPS = [
  ['chat', async ({ page }) => {
    await noOverflow(page, 'chat');
    await touchTargets(page, '.chat-header button, .composer button', 'chat');
    await send(page, 'hello from a phone');
    await message(page, 'hello from a phone').waitFor({ timeout: T });
    // A short channel's few messages sit at the bottom, above the composer, not at the top.
    const gap = await page.evaluate(() => {
      const scroller = document.querySelector('.chat .scroller').getBoundingClientRect();
      const rows = document.querySelectorAll('.chat .scroller .row');
      return scroller.bottom - rows[rows.length - 1].getBoundingClientRect().bottom;
    });
    check(gap < 48, `the newest message sits ${Math.round(gap)}px above the bottom of the list`);
    await noOverflow(page, 'chat with a message');
    await shot(page, 'chat');
  }],

  ['long_press', async ({ page }) => {
    const sheet = await actions(page, 'hello from a phone');
    for (const label of ['Reply', 'Create thread', 'Pin message', 'Edit message', 'Delete message']) {
      await sheet.getByRole('button', { name: label }).waitFor({ timeout: T });
    }
    await sleep(200);
    await noOverflow(page, 'message actions');
    await touchTargets(page, '.action-sheet button', 'message actions');
    await shot(page, 'actions');
    await sheet.getByRole('button', { name: 'React with 👍' }).tap();
    await sheet.waitFor({ state: 'detached', timeout: T });
    await message(page, 'hello from a phone').locator('.reaction', { hasText: '1' }).waitFor({ timeout: T });
    // Desktop's hover toolbar stays out of the way on a touch screen.
    check(!(await page.locator('.chat .toolbar').first().isVisible()), 'no hover toolbar on a phone');
  }],

  ['reply_edit_thread', async ({ page }) => {
    // A reply quotes the message; editing the message changes the quote at once.
    await (await actions(page, 'hello from a phone')).getByRole('button', { name: 'Reply' }).tap();
    await page.locator('.reply-bar').waitFor({ timeout: T });
    await send(page, 'replying from the phone');
    const reply = message(page, 'replying from the phone');
    await reply.locator('.reply-preview', { hasText: 'hello from a phone' }).waitFor({ timeout: T });
    await (await actions(page, 'hello from a phone')).getByRole('button', { name: 'Edit message' }).tap();
    const editor = page.locator('.chat .editor textarea');
    await editor.fill('hello from a phone, edited');
    await editor.press('Enter');
    await message(page, 'hello from a phone, edited').locator('.edited').waitFor({ timeout: T });
    await reply.locator('.reply-preview', { hasText: 'hello from a phone, edited' }).waitFor({ timeout: T });
    // A thread from the sheet; its chip counts its messages.
    await (await actions(page, 'hello from a phone, edited')).getByRole('button', { name: 'Create thread' }).tap();
    const naming = page.getByRole('dialog', { name: 'Create thread' });
    await naming.getByRole('textbox').fill('Phone plans');
    await naming.getByRole('button', { name: 'Create thread' }).tap();
    await page.locator('.thread-view').waitFor({ timeout: T });
    await send(page, 'words in the thread', '.thread-view');
    await page.locator('.thread-view article.msg', { hasText: 'words in the thread' }).waitFor({ timeout: T });
    await noOverflow(page, 'thread');
    await page.getByRole('button', { name: 'Close thread' }).tap();
    const chip = message(page, 'hello from a phone, edited').locator('.thread-link');
    await chip.filter({ hasText: /[1-9]\d* messages?/ }).waitFor({ timeout: T });
    check(!(await chip.filter({ hasText: 'open thread' }).count()), 'the chip counts messages');
  }],

  ['drawers', async ({ page }) => {
    // Swipe right: the channel drawer; swipe left: it closes.
    await swipe(page, [40, 420], [320, 430]);
    await page.locator('.sidebar.open').waitFor({ timeout: T });
    await sleep(300);
    await noOverflow(page, 'channel drawer');
    await touchTargets(page, '.sidebar.open a.channel, .sidebar.open button.icon, .sidebar.open a.icon-link', 'channel drawer');
    await page.locator('.user-panel a[aria-label="Admin panel"]').waitFor({ timeout: T });
    await shot(page, 'channels');
    await swipe(page, [340, 420], [40, 410]);
    await page.locator('.sidebar.open').waitFor({ state: 'detached', timeout: T });
    // Swipe left: the member drawer; swipe right: it closes.
    await swipe(page, [340, 420], [60, 430]);
    await page.locator('aside.members.open').waitFor({ timeout: T });
    await sleep(300);
    await noOverflow(page, 'member drawer');
    await shot(page, 'members');
    await swipe(page, [60, 420], [340, 410]);
    await page.locator('aside.members').waitFor({ state: 'detached', timeout: T });
    // The buttons open them too, and a tap beside a drawer closes it.
    await drawer(page);
    await page.touchscreen.tap(W - 20, 420);
    await page.locator('.sidebar.open').waitFor({ state: 'detached', timeout: T });
    // (Once it has slid away: a finger that fast would still touch the closing drawer.)
    await page.waitForFunction(() => getComputedStyle(document.querySelector('.sidebar')).visibility === 'hidden');
    await page.locator('.chat-header').getByRole('button', { name: 'Member list' }).tap();
    await page.locator('aside.members.open').waitFor({ timeout: T });
    await page.touchscreen.tap(20, 420);
    await page.locator('aside.members').waitFor({ state: 'detached', timeout: T });
  }],

  ['voice', async ({ page }, me) => {
    await drawer(page);
    await page.locator('.sidebar a.channel', { hasText: 'Lounge' }).tap();
    await page.locator('.voice-room').waitFor({ timeout: T });
    await page.locator('.call-bar [data-status="connected"]').waitFor({ timeout: 2 * T });
    // The speaking ring: the fake microphone plays a voice.
    await page.locator('.call-bar .call-self[data-speaking="true"]').waitFor({ timeout: 2 * T });
    await page.locator(`.tile[data-user="${me}"]`).waitFor({ timeout: T });
    await touchTargets(page, '.call-bar button, .chat-header button', 'call bar');
    await noOverflow(page, 'voice room');
    await shot(page, 'voice');
  }],

  ['call_bar', async ({ page }, me) => {
    const bar = page.locator('.call-bar');
    await bar.getByRole('button', { name: 'Mute', exact: true }).tap();
    await bar.getByRole('button', { name: 'Unmute' }).waitFor({ timeout: T });
    await page.locator(`.tile[data-user="${me}"][aria-label*="muted"]`).waitFor({ timeout: T });
    await bar.getByRole('button', { name: 'Unmute' }).tap();
    await bar.getByRole('button', { name: 'Mute', exact: true }).waitFor({ timeout: T });
    await bar.getByRole('button', { name: 'Deafen', exact: true }).tap();
    await page.locator(`.tile[data-user="${me}"][aria-label*="deafened"]`).waitFor({ timeout: T });
    await bar.getByRole('button', { name: 'Undeafen' }).tap();
    await bar.getByRole('button', { name: 'Deafen', exact: true }).waitFor({ timeout: T });
    for (const label of [/^Turn camera/, /^Share your screen|^Stop sharing/]) {
      check(await onScreen(bar.getByRole('button', { name: label })), `${label} is on the screen`);
    }
    check(await onScreen(bar.getByRole('button', { name: 'Disconnect' })), 'hang up is on the screen');
  }],

  ['dj_bar', async ({ page }, me) => {
    // The DJ joins the room of whoever asks, from a text channel.
    await openChannel(page, 'general');
    await send(page, '!play first sine');
    await page.locator('.chat article.msg .embed', { hasText: 'First Sine' }).first().waitFor({ timeout: 2 * T });
    await drawer(page);
    await page.locator('.sidebar a.channel', { hasText: 'Lounge' }).tap();
    const bar = page.locator('.voice-room .now-playing');
    await bar.locator('.np-title', { hasText: 'First Sine' }).waitFor({ timeout: 2 * T });
    await touchTargets(page, '.now-playing button', 'the DJ bar');
    await bar.getByRole('button', { name: 'Pause' }).tap();
    await bar.getByRole('button', { name: 'Resume' }).waitFor({ timeout: T });
    await bar.getByRole('button', { name: 'Resume' }).tap();
    await bar.getByRole('button', { name: 'Pause' }).waitFor({ timeout: T });
    // The DJ's tile: its volume slider shows when the tile is tapped, not over the avatar before.
    const tile = page.locator(`.tile[data-kind="person"]:not([data-user="${me}"])`).first();
    await tile.waitFor({ timeout: T });
    check(!(await tile.locator('.tile-volume').isVisible()), 'no volume slider before a tap');
    await tile.locator('.tile-focus').tap();
    await tile.locator('.tile-volume input[type=range]').waitFor({ timeout: T });
    await noOverflow(page, 'voice room with the DJ');
    await shot(page, 'dj');
    await page.locator('.voice-room .chat-title').tap();
    await tile.locator('.tile-volume').waitFor({ state: 'hidden', timeout: T });
    check(!(await tile.evaluate((el) => el.classList.contains('big'))), 'the first tap does not spotlight the tile');
  }],

  ['hang_up', async ({ page }) => {
    await page.locator('.call-bar').getByRole('button', { name: 'Disconnect' }).tap();
    await page.locator('.call-bar').waitFor({ state: 'detached', timeout: T });
    await page.locator('.join-bar').getByRole('button', { name: 'Join voice' }).waitFor({ timeout: T });
    await noOverflow(page, 'voice room, not joined');
  }],

  ['switcher', async ({ page }) => {
    // The quick switcher without a keyboard shortcut: the drawer's search button. It lists voice rooms.
    await drawer(page);
    await page.getByRole('button', { name: 'Find a channel or conversation' }).tap();
    const switcher = page.getByRole('dialog', { name: 'Quick switcher' });
    await switcher.waitFor({ timeout: T });
    await switcher.locator('input').fill('lou');
    const lounge = switcher.getByRole('option', { name: /Lounge/ });
    await lounge.waitFor({ timeout: T });
    await noOverflow(page, 'quick switcher');
    await shot(page, 'switcher');
    await lounge.tap();
    await page.locator('.call-bar [data-status="connected"]').waitFor({ timeout: 2 * T });
    await page.locator('.call-bar').getByRole('button', { name: 'Disconnect' }).tap();
    await page.locator('.call-bar').waitFor({ state: 'detached', timeout: T });
  }],

  ['settings', async ({ page }) => {
    await drawer(page);
    await page.getByRole('button', { name: 'User settings' }).tap();
    const settings = page.getByRole('dialog', { name: 'User settings' });
    await settings.waitFor({ timeout: T });
    const close = settings.getByRole('button', { name: 'Close settings' });
    const closeBox = await close.boundingBox();
    const tabs = settings.getByRole('tab');
    const count = await tabs.count();
    check(count >= 6, `${count} settings tabs`);
    await touchTargets(page, '.settings [role=tab], .settings .close', 'settings');
    for (let i = 0; i < count; i++) {
      const tab = tabs.nth(i);
      const name = (await tab.textContent()).trim();
      check(await onScreen(tab), `the ${name} tab is on the screen`);
      const box = await tab.boundingBox();
      const under = box.x < closeBox.x + closeBox.width && closeBox.x < box.x + box.width &&
        box.y < closeBox.y + closeBox.height && closeBox.y < box.y + box.height;
      check(!under, `the ${name} tab is not under the close button`);
      await tab.tap();
      await until(`the ${name} tab selected`, async () => (await tab.getAttribute('aria-selected')) === 'true');
      await sleep(150);
      check(await onScreen(settings.getByRole('button', { name: 'Log out', exact: true })), `Log out is on the screen (${name})`);
      await noOverflow(page, `settings: ${name}`);
      await shot(page, `settings-${i}`);
    }
    await close.tap();
    await settings.waitFor({ state: 'detached', timeout: T });
  }],

  ['invite_dialog', async ({ page, browser }) => {
    await drawer(page);
    await page.getByRole('button', { name: 'Invite people' }).tap();
    const dialog = page.getByRole('dialog', { name: 'Invite people' });
    await dialog.waitFor({ timeout: T });
    const box = dialog.getByRole('textbox', { name: 'Invite link' });
    const link = await until('an invite link', async () => {
      const value = await box.inputValue();
      return /\/invite\/[A-Za-z0-9]+$/.test(value) ? value : null;
    });
    check(link.startsWith(BASE), `the link is on this server: ${link}`);
    await dialog.getByRole('button', { name: 'Copy' }).tap();
    await dialog.getByText('The link is on your clipboard.').waitFor({ timeout: T });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    check(copied === link, `the clipboard holds the link (${copied})`);
    await touchTargets(page, '.invite-dialog button', 'invite dialog');
    await noOverflow(page, 'invite dialog');
    await shot(page, 'invite');
    await dialog.getByRole('button', { name: 'Done' }).tap();
    await dialog.waitFor({ state: 'detached', timeout: T });
    // A friend opens the link on their phone: the sign-up form, its first field ready to type in.
    const friend = await browser.newContext({ ...PHONE, colorScheme: 'dark' });
    const other = await friend.newPage();
    await other.goto(link);
    await other.locator('input[name=username]').waitFor({ timeout: T });
    const focused = await other.evaluate(() => document.activeElement?.getAttribute('name'));
    check(focused === 'username', `the invite page focuses the username field (found ${focused})`);
    await noOverflow(other, 'invite page');
    await shot(other, 'invite-page');
    await friend.close();
  }],

  ['admin_invites', async ({ page }) => {
    await page.goto(`${BASE}/admin/invites`);
    await page.locator('h1', { hasText: 'Invites' }).waitFor({ timeout: T });
    await noOverflow(page, 'admin: invites');
    for (const link of await page.locator('.admin-nav a').all()) {
      check(await onScreen(link), `the ${await link.textContent()} section link is on the screen`);
    }
    await page.locator('form[action="/admin/invites"] button[type=submit]').tap();
    await page.locator('.notice', { hasText: 'Invite created.' }).waitFor({ timeout: T });
    await noOverflow(page, 'admin: invites with a new one');
    await shot(page, 'admin-invites');
    const row = page.locator('table tbody tr', { has: page.getByRole('button', { name: 'Revoke' }) }).first();
    const code = row.locator('code');
    await code.scrollIntoViewIfNeeded();
    check(await onScreen(code), 'the invite link is on the screen');
    check(/\/invite\/[A-Za-z0-9]+$/.test((await code.textContent()).trim()), 'the whole link is shown');
    check(await row.evaluate((el) => el.textContent.includes('0 of 1')), 'the uses are shown');
    const revoke = row.getByRole('button', { name: 'Revoke' });
    await revoke.scrollIntoViewIfNeeded();
    check(await onScreen(revoke), 'Revoke is on the screen');
    await revoke.tap();
    await page.locator('.notice', { hasText: 'Invite revoked.' }).waitFor({ timeout: T });
    for (const section of ['users', 'channels', 'roles', 'bots', 'settings', 'audit']) {
      await page.goto(`${BASE}/admin/${section}`);
      await page.locator('.admin-main h1').waitFor({ timeout: T });
      await noOverflow(page, `admin: ${section}`);
      await shot(page, `admin-${section}`);
    }
    await page.goto(`${BASE}/admin/channels`);
    await page.getByRole('link', { name: 'Permissions', exact: true }).first().tap();
    await page.locator('.admin-main h1', { hasText: 'Permissions in' }).waitFor({ timeout: T });
    await noOverflow(page, 'admin: channel permissions');
  }],
];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SPOT_CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...FAKE_MEDIA,
    ],
  });
  try {
    const { context, page } = await open(browser, ADMIN, ADMIN_PASSWORD, { phone: true, peers: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
    const me = (await page.evaluate(() => fetch('/api/v10/users/@me').then((r) => r.json()))).id;
    report('logged_in');
    for (const [name, step] of STEPS) {
      await step({ page, browser }, me);
      report(name);
    }
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `phone-failure-${i}-${j}.png`) }).catch(() => undefined);
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
