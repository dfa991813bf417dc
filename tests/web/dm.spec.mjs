// Direct messages and group DMs in the web client, driven in Debian's Chromium (playwright-core, never a
// downloaded browser) against a running spot, for tests/it/web_dm.rs. Three people, each in their own browser
// context: alice and bob on desktops (1280×800), carol on a phone (390×844, touch).
//
// How to launch it (as tests/it/web_client.rs launches chat.spec.mjs):
//   node tests/web/dm.spec.mjs            (no arguments)
// Environment:
//   SPOT_URL        the server's base URL, e.g. http://127.0.0.1:PORT (no trailing slash)
//   SPOT_CHROMIUM   the browser to drive: /usr/bin/chromium
//   SPOT_ARTIFACTS  an existing directory for screenshots (dm-*.png, and dm-failure-*.png on failure)
//   NODE_PATH       <repo>/web/node_modules (playwright-core is found through web/package.json anyway)
// The server must have these accounts, none an admin, all in the home space, with no DMs or blocks yet:
//   alice / "alice password 1", bob / "bob password 22", carol / "carol password 333"
// and REST limits high enough for three busy clients (web_client.rs uses
// "[api]\nroute_limit = 100000\nglobal_per_second = 100000\n").
//
// Output: one JSON object per line, {"<step>": true} as each step passes, in this order:
//   logged_in, dm_opened, dm_exchange, dm_react_pin, switcher_dm, group_created, group_renamed, group_phone,
//   group_call, group_left, blocked, undelivered, blocked_collapsed, dm_setting, done
// and {"error": "..."} on failure (exit code 1). The steps are the STEPS list below.
// The call step needs SPOT_TONE: a WAV file every fake microphone plays.
import { join } from 'node:path';
import {
  ARTIFACTS, FAKE_MEDIA, T, act, check, chromium, listen, message, open, openChannel, pwned, report, send, until,
} from './helpers.mjs';

/** The DM list's entry for a conversation. */
const dmItem = (page, name) => page.locator(`.sidebar .dm-list a.channel[aria-label^="${name} ("]`);

/** Opens a conversation from the DM list (on a phone, from the channel drawer). */
async function openDm(page, name, { phone = false } = {}) {
  if (phone) {
    await page.getByRole('button', { name: 'Show channels' }).click();
    await page.locator('.sidebar.open').waitFor({ timeout: T });
  }
  await dmItem(page, name).click();
  await page.locator('.chat.dm .chat-title', { hasText: name }).waitFor({ timeout: T });
}

/** Opens someone's profile card from the member list. */
async function profileFromMembers(page, name) {
  await page.locator('.members .member', { hasText: name }).first().getByRole('button').first().click();
  const card = page.getByRole('dialog', { name: `Profile of ${name}` });
  await card.waitFor({ timeout: T });
  return card;
}

/** A conversation's people in its members panel (which the group header's button shows). */
async function groupPeople(page) {
  const panel = page.locator('aside.recipients');
  if (!(await panel.isVisible())) await page.locator('.chat.dm').getByRole('button', { name: 'Member list' }).click();
  await panel.waitFor({ timeout: T });
  return panel.locator('.member');
}

const STEPS = [
  ['dm_opened', async ({ a }) => {
    // alice starts the DM from the member list: bob's row opens his card, and its Message button the DM.
    const card = await profileFromMembers(a, 'bob');
    await a.screenshot({ path: join(ARTIFACTS, 'dm-profile.png') });
    await card.getByRole('button', { name: 'Message', exact: true }).click();
    await a.locator('.chat.dm .chat-title', { hasText: 'bob' }).waitFor({ timeout: T });
    await a.getByText('This is the beginning of your direct message history with bob.').waitFor({ timeout: T });
    await dmItem(a, 'bob').waitFor({ timeout: T });
    check((await a.locator('.chat.dm').getByRole('button', { name: 'Threads' }).count()) === 0, 'no threads button in a DM');
  }],

  ['dm_exchange', async ({ a, b }) => {
    // bob is in #general: the DM appears in his list, unread with a badge, until he opens it.
    await send(a, 'hi bob, this is a DM');
    await message(a, 'hi bob, this is a DM').waitFor({ timeout: T });
    const fromAlice = dmItem(b, 'alice');
    await fromAlice.locator('.badge', { hasText: '1' }).waitFor({ timeout: T });
    check(await fromAlice.evaluate((el) => el.classList.contains('unread')), 'the DM shows as unread');
    await openDm(b, 'alice');
    await message(b, 'hi bob, this is a DM').waitFor({ timeout: T });
    await fromAlice.locator('.badge').waitFor({ state: 'detached', timeout: T });
    // bob answers; alice, looking at the DM, sees it live.
    await send(b, 'hi alice, got your DM');
    await message(a, 'hi alice, got your DM').waitFor({ timeout: T });
    // The other way round: alice is elsewhere, so bob's next message waits for her with a badge.
    await openChannel(a, 'general');
    await send(b, 'are you still there?');
    const fromBob = dmItem(a, 'bob');
    await fromBob.locator('.badge', { hasText: '1' }).waitFor({ timeout: T });
    check(await fromBob.evaluate((el) => el.classList.contains('unread')), 'the DM shows as unread for alice');
    await openDm(a, 'bob');
    await message(a, 'are you still there?').waitFor({ timeout: T });
    await fromBob.locator('.badge').waitFor({ state: 'detached', timeout: T });
    // The newest conversation is first in the list.
    await b.screenshot({ path: join(ARTIFACTS, 'dm-desktop.png') });
  }],

  ['dm_react_pin', async ({ a, b }) => {
    await act(b, 'hi bob, this is a DM', 'Add reaction');
    await b.getByRole('button', { name: 'React with 👍' }).click();
    await message(a, 'hi bob, this is a DM').locator('.reaction', { hasText: '1' }).waitFor({ timeout: 2 * T });
    // Anyone in a DM may pin.
    await act(b, 'hi bob, this is a DM', 'Pin message');
    await a.locator('.chat article.msg.pinned', { hasText: 'hi bob, this is a DM' }).waitFor({ timeout: T });
    await a.getByRole('button', { name: 'Pinned messages' }).click();
    await a.locator('.panel .result', { hasText: 'hi bob, this is a DM' }).waitFor({ timeout: T });
    await a.getByRole('button', { name: 'Close pinned messages' }).click();
    // The header's search looks in this conversation.
    await a.getByRole('searchbox', { name: 'Search messages' }).fill('got your');
    await a.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
    await a.locator('.panel .result', { hasText: 'hi alice, got your DM' }).waitFor({ timeout: T });
    await a.keyboard.press('Escape');
  }],

  ['switcher_dm', async ({ a }) => {
    await openChannel(a, 'general');
    await a.keyboard.press('Control+k');
    await a.getByRole('dialog', { name: 'Quick switcher' }).waitFor({ timeout: T });
    await a.keyboard.type('bob');
    await a.getByRole('option', { name: /bob/ }).first().waitFor({ timeout: T });
    await a.keyboard.press('Enter');
    await a.locator('.chat.dm .chat-title', { hasText: 'bob' }).waitFor({ timeout: T });
  }],

  ['group_created', async ({ a, b, c }) => {
    await a.getByRole('button', { name: 'Create a group DM' }).click();
    const dialog = a.getByRole('dialog', { name: 'New group' });
    await dialog.waitFor({ timeout: T });
    await dialog.getByRole('searchbox', { name: 'Find people' }).fill('b');
    await dialog.locator('label.person', { hasText: 'bob' }).locator('input').check();
    await dialog.getByRole('searchbox', { name: 'Find people' }).fill('');
    await dialog.locator('label.person', { hasText: 'carol' }).locator('input').check();
    await dialog.getByText('You can add 7 more people.').waitFor({ timeout: T });
    await dialog.getByRole('button', { name: 'Create group' }).click();
    await a.locator('.chat.dm .chat-title', { hasText: 'bob, carol' }).waitFor({ timeout: T });
    check((await groupPeople(a).then((people) => people.count())) === 3, 'the group has three people');
    // The others see it in their lists at once, before anything was said.
    await dmItem(b, 'alice, carol').waitFor({ timeout: T });
    await c.getByRole('button', { name: 'Show channels' }).click();
    await dmItem(c, 'alice, bob').waitFor({ timeout: T });
    await c.keyboard.press('Escape');
  }],

  ['group_renamed', async ({ a, b }) => {
    await a.locator('.chat.dm').getByRole('button', { name: 'Group settings' }).click();
    const dialog = a.getByRole('dialog', { name: 'Group settings' });
    await dialog.getByLabel('Group name').fill('Weekend plans');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Saved.').waitFor({ timeout: T });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await a.locator('.chat.dm .chat-title', { hasText: 'Weekend plans' }).waitFor({ timeout: T });
    await dmItem(b, 'Weekend plans').waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'dm-group.png') });
  }],

  ['group_phone', async ({ a, b, c }) => {
    // carol, on her phone, finds the group in the drawer and posts.
    await c.getByRole('button', { name: 'Show channels' }).click();
    await c.locator('.sidebar.open').waitFor({ timeout: T });
    await dmItem(c, 'Weekend plans').waitFor({ timeout: T });
    await c.waitForTimeout(300);
    await c.screenshot({ path: join(ARTIFACTS, 'dm-phone-list.png') });
    await dmItem(c, 'Weekend plans').click();
    await c.locator('.chat.dm .chat-title', { hasText: 'Weekend plans' }).waitFor({ timeout: T });
    check(!(await c.locator('.sidebar.open').count()), 'the drawer closes when a conversation opens');
    await send(c, 'carol here, from my phone');
    await message(a, 'carol here, from my phone').waitFor({ timeout: T });
    await openDm(b, 'Weekend plans');
    await message(b, 'carol here, from my phone').waitFor({ timeout: T });
    // Everything fits the phone's width: nothing scrolls sideways.
    const overflow = await c.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    await c.screenshot({ path: join(ARTIFACTS, 'dm-phone-group.png') });
  }],

  ['group_call', async ({ a, b, c }, ids) => {
    // alice starts a call from the group's header; bob (desktop) and carol (phone) get the ringing notice and
    // accept; then each of the three hears the other two (inbound audio in getStats, matched by publisher).
    await openDm(a, 'Weekend plans');
    await a.locator('.chat.dm').getByRole('button', { name: 'Start call' }).click();
    await a.locator('.dm-call [data-status="connected"]').waitFor({ timeout: 2 * T });
    for (const page of [b, c]) {
      const ring = page.getByRole('alertdialog', { name: 'Incoming call from alice' });
      await ring.waitFor({ timeout: T });
      if (page === c) await c.screenshot({ path: join(ARTIFACTS, 'dm-phone-ringing.png') });
      await ring.getByRole('button', { name: 'Accept call' }).click();
      await page.locator('.dm-call [data-status="connected"]').waitFor({ timeout: 2 * T });
      await ring.waitFor({ state: 'detached', timeout: T });
    }
    const people = [['alice', a], ['bob', b], ['carol', c]];
    for (const [listener, page] of people) {
      for (const [speaker] of people) {
        if (speaker === listener) continue;
        await until(`${listener} hearing ${speaker}`, async () => {
          const heard = await listen(page, ids[speaker], 1000);
          return heard.packets > 20 && heard.rms > 0.01 ? heard : null;
        });
      }
    }
    const overflow = await c.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the call is ${overflow}px wider than the phone`);
    await c.screenshot({ path: join(ARTIFACTS, 'dm-phone-call.png') });
    // Everyone hangs up: the call ends, and the header offers to start a new one.
    for (const page of [c, b, a]) await page.locator('.dm-call').getByRole('button', { name: 'Leave call' }).click();
    await a.locator('.chat.dm').getByRole('button', { name: 'Start call' }).waitFor({ timeout: T });
    await a.locator('.dm-call').waitFor({ state: 'detached', timeout: T });
  }],

  ['group_left', async ({ a, b, c }) => {
    await c.locator('.chat.dm').getByRole('button', { name: 'Group settings' }).click();
    await c.getByRole('dialog', { name: 'Group settings' }).getByRole('button', { name: 'Leave group' }).click();
    await c.getByRole('dialog', { name: 'Leave Weekend plans' }).getByRole('button', { name: 'Leave group' }).click();
    await c.locator('.chat-title', { hasText: 'general' }).waitFor({ timeout: T });
    check(!(await dmItem(c, 'Weekend plans').count()), 'the group left carol’s list');
    for (const page of [a, b]) {
      await page.locator('.chat.dm .topic', { hasText: '2 members' }).waitFor({ timeout: T });
      const people = await groupPeople(page);
      await people.filter({ hasText: 'carol' }).waitFor({ state: 'detached', timeout: T });
      check((await people.count()) === 2, 'two people are left');
    }
  }],

  ['blocked', async ({ b }) => {
    // bob blocks alice from her name on one of her messages.
    await openDm(b, 'alice');
    await message(b, 'hi bob, this is a DM').locator('.author-button').click();
    const card = b.getByRole('dialog', { name: 'Profile of alice' });
    await b.screenshot({ path: join(ARTIFACTS, 'dm-profile-author.png') });
    await card.getByRole('button', { name: 'Block', exact: true }).click();
    await card.getByRole('button', { name: 'Unblock', exact: true }).waitFor({ timeout: T });
    await b.keyboard.press('Escape');
    await b.locator('.blocked-bar', { hasText: 'You blocked alice' }).waitFor({ timeout: T });
  }],

  ['undelivered', async ({ a }) => {
    await openDm(a, 'bob');
    const text = 'can you still read this?';
    await send(a, text);
    await a.locator('.chat .notice', { hasText: 'could not be delivered' }).waitFor({ timeout: T });
    const kept = await a.locator('.chat .composer textarea').inputValue();
    check(kept === text, `the typed text is kept (found "${kept}")`);
    check(!(await message(a, text).count()), 'the refused message is not in the history');
    await a.screenshot({ path: join(ARTIFACTS, 'dm-undelivered.png') });
    await a.locator('.chat .composer textarea').fill('');
  }],

  ['blocked_collapsed', async ({ a, b }) => {
    // In a shared channel, a blocked person's message folds away until bob asks to see it.
    await openChannel(b, 'general');
    await openChannel(a, 'general');
    await send(a, 'words bob will not see at first');
    await message(a, 'words bob will not see at first').waitFor({ timeout: T });
    const folded = b.locator('.chat article.msg.blocked').last();
    await folded.waitFor({ timeout: T });
    check(!(await message(b, 'words bob will not see at first').count()), 'the blocked message is hidden');
    await folded.getByRole('button', { name: /Show the blocked message/ }).click();
    await message(b, 'words bob will not see at first').waitFor({ timeout: T });
  }],

  ['dm_setting', async ({ a, c }) => {
    // carol turns off DMs from people in the space; alice's new DM to her is refused.
    await c.getByRole('button', { name: 'Show channels' }).click();
    await c.getByRole('button', { name: 'User settings' }).click();
    const settings = c.getByRole('dialog', { name: 'User settings' });
    await settings.getByRole('tab', { name: 'Privacy & safety' }).click();
    const allow = settings.getByLabel('Allow direct messages from people in this space');
    check(await allow.isChecked(), 'DMs are allowed by default');
    await Promise.all([
      c.waitForResponse((r) => r.url().endsWith('/users/@me/settings') && r.request().method() === 'PATCH'),
      allow.uncheck(),
    ]);
    check(!(await allow.isChecked()), 'the setting stays off');
    await c.keyboard.press('Escape');
    const card = await profileFromMembers(a, 'carol');
    await card.getByRole('button', { name: 'Message', exact: true }).click();
    await a.locator('.chat.dm .chat-title', { hasText: 'carol' }).waitFor({ timeout: T });
    await send(a, 'hello carol');
    await a.locator('.chat .notice', { hasText: 'could not be delivered' }).waitFor({ timeout: T });
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
    const alice = await open(browser, 'alice', 'alice password 1', { peers: true });
    const bob = await open(browser, 'bob', 'bob password 22', { peers: true });
    const carol = await open(browser, 'carol', 'carol password 333', { phone: true, peers: true });
    const people = { a: alice.page, b: bob.page, c: carol.page };
    const ids = {};
    for (const [name, page] of [['alice', alice.page], ['bob', bob.page], ['carol', carol.page]]) {
      ids[name] = (await page.evaluate(() => fetch('/api/v10/users/@me').then((r) => r.json()))).id;
    }
    report('logged_in');
    for (const [name, step] of STEPS) {
      await step(people, ids);
      report(name);
    }
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    // Pictures of every page at the moment of failure, for whoever reads the test log.
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `dm-failure-${i}-${j}.png`) }).catch(() => undefined);
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
