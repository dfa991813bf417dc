// Applications in the web client (issue 21): slash commands with options and autocomplete, a deferred answer,
// an ephemeral answer, a button, a select menu, a modal, a user and a message context-menu command, and a
// command nobody answers — each used from the page as a person would (the picker, the keyboard, the mouse; on a
// phone, taps and a long press), driven in Debian's Chromium (playwright-core) against a running spot and a
// running test bot.
//
// How to launch it (as tests/it/web_client.rs launches chat.spec.mjs):
//   node tests/web/slash.spec.mjs            (no arguments)
// Environment:
//   SPOT_URL        the server's base URL, e.g. http://127.0.0.1:PORT (no trailing slash)
//   SPOT_CHROMIUM   the browser to drive: /usr/bin/chromium
//   SPOT_ARTIFACTS  an existing directory for screenshots (slash-*.png, and slash-failure-*.png on failure)
// The server must have the account alice / "alice password 1" (not an admin) in the home space with a text
// channel named "general", REST limits high enough for two busy clients, and the test bot below connected
// (online, a member of the space) with its commands registered before the test starts.
//
// The bot is tests/bots/dpy_slash_bot.py (or its discord.js / hikari siblings, which behave the same), started
// with SPOT_CHANNEL_ID = #general; the test relies on exactly this (GUILD commands of the home space):
//   /echo text:str (required) loud:bool      -> type 4, content = text, upper-cased when loud is true
//   /pick fruit:str (required, autocomplete) -> autocomplete: type 8 with the choices (name = value) of apple,
//            apricot, banana, cherry that start with the typed text (all four for ""); the command: type 4
//            "picked <fruit>"
//   /slow    -> type 5 (deferred), 1.5 s later PATCH @original "done slowly", then a follow-up "and a follow-up"
//   /secret  -> type 4 with flags 64 (ephemeral) "only you"
//   /buttons -> type 4 "pick one" with [row: primary button custom_id "press" label "Press"] and [row: string
//            select custom_id "choose" (no placeholder) with options a, b, c]; the button -> type 7 "pressed by
//            <username>" with the button now disabled (the select kept); the select -> type 4 "chose <value>"
//   /form    -> type 9 modal custom_id "feedback" title "Feedback" with one short text input custom_id "thoughts"
//            label "Thoughts"; the submission -> type 4 "thanks: <value>"
//   "Say hi" (user command)    -> type 4 "hi <target username>"
//   "Quote"  (message command) -> type 4 "> <target content>"
//   /never   -> never answered (the page shows "The application did not respond" after the server's 3 s)
//   /admin-only (default_member_permissions "8") -> not in alice's command index (she is no admin)
// and, at start, it creates a webhook "ci" in #general and posts "build passed" through it as "builder" with the
// file log.txt (shown with a WEBHOOK tag, no profile behind the name).
//
// Output: one JSON object per line, {"<step>": true} as each step passes, in this order:
//   logged_in, webhook, echo, autocomplete, deferred, ephemeral, button, select, modal, user_command,
//   message_command, no_response, phone, done
// and {"error": "..."} on failure (exit code 1). The steps are the STEPS list below.
// Not covered: ATTACHMENT options (the client cannot fill them in yet).
// The phone step runs in a second browser context of alice (390×844, touch).
import { join } from 'node:path';
import {
  ARTIFACTS, T, act, check, chromium, longPress, message, noOverflow, open, openChannel, pwned, report, touchTargets,
  until,
} from './helpers.mjs';

const box = (page) => page.locator('.chat .composer textarea');

/** Types `/` and the start of a command's name, and chooses it from the picker (by keyboard or by pointer). */
async function chooseCommand(page, typed, full, { keyboard = true } = {}) {
  await box(page).click();
  await box(page).fill('');
  await box(page).pressSequentially(`/${typed}`, { delay: 30 });
  const picker = page.getByRole('listbox', { name: 'Commands matching' });
  const option = picker.getByRole('option').filter({ hasText: `/${full}` }).first();
  await option.waitFor({ timeout: T });
  if (keyboard) {
    // The first match is highlighted; Enter chooses it.
    check(
      (await picker.getByRole('option').first().textContent()).includes(`/${full}`),
      `/${full} is the first match for /${typed}`,
    );
    await box(page).press('Enter');
  } else {
    await option.click();
  }
  const form = page.getByRole('group', { name: `/${full} command` });
  await form.waitFor({ timeout: T });
  return form;
}

/** Chooses a command without options and sends it (Enter on the focused Send button). */
async function runPlain(page, name) {
  const form = await chooseCommand(page, name, name);
  const send = form.getByRole('button', { name: 'Send command' });
  await until(`the Send button of /${name} to have the focus`, () => send.evaluate((el) => el === document.activeElement));
  await page.keyboard.press('Enter');
  await form.waitFor({ state: 'detached', timeout: T });
}

/** The message (of anyone, the newest) whose text contains `text`, with the "used /command" line above it. */
async function answer(page, text, command) {
  const row = message(page, text);
  await row.waitFor({ timeout: T });
  if (command) {
    const line = row.locator('.interaction-line');
    await line.waitFor({ timeout: T });
    const said = await line.textContent();
    check(said.includes('alice') && said.includes(command), `the answer says who used ${command}: "${said}"`);
  }
  return row;
}

const STEPS = [
  ['webhook', async ({ a }) => {
    // The bot's webhook posted as "builder" when it started (first, while #general's history is short): its own
    // name and tag, a file, and no profile card behind the name.
    const row = message(a, 'build passed');
    await row.waitFor({ timeout: T });
    const header = row.locator('.msg-header');
    check((await header.locator('.author').textContent()).startsWith('builder'), 'the webhook posts under its given name');
    check((await header.locator('.bot-tag').textContent()) === 'WEBHOOK', 'the webhook message is tagged WEBHOOK');
    check((await row.locator('.author-button').count()) === 0, 'the name opens no profile card');
    await row.locator('.attachment', { hasText: 'log.txt' }).waitFor({ timeout: T });
  }],

  ['echo', async ({ a }) => {
    // "/" lists what alice may use: not the administrators' command.
    await box(a).click();
    await box(a).pressSequentially('/', { delay: 30 });
    const listed = a.getByRole('listbox', { name: 'Commands matching' }).getByRole('option');
    await listed.filter({ hasText: '/echo' }).waitFor({ timeout: T });
    const names = await listed.allTextContents();
    check(!names.some((n) => n.includes('/admin-only')), `the picker offers only what alice may use: ${names.join(' | ')}`);
    await a.screenshot({ path: join(ARTIFACTS, 'slash-picker.png') });
    const form = await chooseCommand(a, 'ec', 'echo');
    // The required option is first and has the focus; the optional one is offered.
    const text = form.getByRole('textbox', { name: 'text', exact: true });
    await until('the text option to have the focus', () => text.evaluate((el) => el === document.activeElement));
    // Enter with the required option empty sends nothing and marks it.
    await a.keyboard.press('Enter');
    await form.locator('.command-field.missing').waitFor({ timeout: T });
    await text.pressSequentially('hello from slash', { delay: 10 });
    await form.getByRole('button', { name: '+ loud' }).click();
    await form.getByRole('button', { name: 'True', exact: true }).click();
    await a.screenshot({ path: join(ARTIFACTS, 'slash-echo-form.png') });
    await text.press('Enter');
    await form.waitFor({ state: 'detached', timeout: T });
    await answer(a, 'HELLO FROM SLASH', '/echo');
    const tag = await message(a, 'HELLO FROM SLASH').locator('.bot-tag').first().textContent();
    check(tag === 'APP', `the bot's answer is tagged APP (found "${tag}")`);
  }],

  ['autocomplete', async ({ a }) => {
    const form = await chooseCommand(a, 'pi', 'pick', { keyboard: false });
    const fruit = form.getByRole('textbox', { name: 'fruit', exact: true });
    await until('the fruit option to have the focus', () => fruit.evaluate((el) => el === document.activeElement));
    // Focused and empty: the bot suggests everything.
    const choices = form.getByRole('listbox', { name: 'Choices for fruit' });
    await choices.getByRole('option', { name: 'cherry' }).waitFor({ timeout: T });
    await fruit.pressSequentially('ban', { delay: 60 });
    await until('only banana to be suggested', async () => {
      const names = await choices.getByRole('option').allTextContents();
      return names.length === 1 && names[0] === 'banana' ? names : null;
    });
    await fruit.press('Enter');
    await until('Enter to pick the highlighted suggestion', async () => (await fruit.inputValue()) === 'banana');
    await choices.waitFor({ state: 'detached', timeout: T });
    await fruit.press('Enter');
    await form.waitFor({ state: 'detached', timeout: T });
    await answer(a, 'picked banana', '/pick');
  }],

  ['deferred', async ({ a }) => {
    await runPlain(a, 'slow');
    const thinking = a.locator('.chat article.msg .thinking', { hasText: 'is thinking…' });
    await thinking.waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'slash-thinking.png') });
    // The deferred message becomes the answer; the follow-up comes after it.
    await answer(a, 'done slowly', '/slow');
    await message(a, 'and a follow-up').waitFor({ timeout: T });
    await thinking.waitFor({ state: 'detached', timeout: T });
  }],

  ['ephemeral', async ({ a }) => {
    await runPlain(a, 'secret');
    let secret = await answer(a, 'only you', '/secret');
    await secret.locator('.ephemeral-note', { hasText: 'Only you can see this' }).waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'slash-ephemeral.png') });
    // Dismissed, it is gone at once.
    await secret.locator('.ephemeral-note').getByRole('button', { name: 'Dismiss message' }).click();
    await message(a, 'only you').waitFor({ state: 'detached', timeout: T });
    // Again; after a reload it is gone too (never stored).
    await runPlain(a, 'secret');
    secret = await answer(a, 'only you', '/secret');
    await a.reload();
    await box(a).waitFor({ timeout: 2 * T });
    await message(a, 'and a follow-up').waitFor({ timeout: T });
    check((await message(a, 'only you').count()) === 0, 'the ephemeral answer is gone after a reload');
  }],

  ['button', async ({ a }) => {
    await runPlain(a, 'buttons');
    const row = await answer(a, 'pick one', '/buttons');
    const press = row.getByRole('button', { name: 'Press', exact: true });
    await press.waitFor({ timeout: T });
    check(await press.isEnabled(), 'the button can be pressed');
    await a.screenshot({ path: join(ARTIFACTS, 'slash-components.png') });
    await press.click();
    // The bot updates the message in place: its words change, its components stay.
    const updated = message(a, 'pressed by alice');
    await updated.waitFor({ timeout: T });
    const pressed = updated.getByRole('button', { name: 'Press', exact: true });
    await pressed.waitFor({ timeout: T });
    check(await pressed.isDisabled(), 'the bot disabled the button: it cannot be pressed again');
    check((await message(a, 'pick one').count()) === 0, 'the message was updated, not answered anew');
  }],

  ['select', async ({ a }) => {
    const row = message(a, 'pressed by alice');
    // No placeholder was given: Discord's own stands in.
    await row.getByRole('button', { name: 'Make a selection' }).click();
    const list = row.getByRole('listbox', { name: 'Make a selection' });
    await list.waitFor({ timeout: T });
    await list.getByRole('option', { name: 'b', exact: true }).click();
    await answer(a, 'chose b');
  }],

  ['modal', async ({ a }) => {
    await runPlain(a, 'form');
    const dialog = a.getByRole('dialog', { name: 'Feedback' });
    await dialog.waitFor({ timeout: T });
    await dialog.getByLabel('Thoughts').fill('spot is nice');
    await a.screenshot({ path: join(ARTIFACTS, 'slash-modal.png') });
    await dialog.getByRole('button', { name: 'Submit' }).click();
    await dialog.waitFor({ state: 'detached', timeout: T });
    await answer(a, 'thanks: spot is nice');
  }],

  ['user_command', async ({ a }) => {
    // A right click on a person in the member list opens the Apps menu of user commands.
    await a.locator('.members .member', { hasText: 'alice' }).first().locator('.member-button').click({ button: 'right' });
    const menu = a.getByRole('menu', { name: 'Apps for this person' });
    await menu.getByRole('menuitem', { name: /Say hi/ }).click();
    await menu.waitFor({ state: 'detached', timeout: T });
    await answer(a, 'hi alice');
  }],

  ['message_command', async ({ a }) => {
    // The hover toolbar's Apps button lists message commands.
    await act(a, 'hi alice', 'Apps');
    const menu = a.getByRole('menu', { name: 'Apps for this message' });
    await menu.getByRole('menuitem', { name: /Quote/ }).click();
    await a.locator('.chat article.msg .content blockquote', { hasText: 'hi alice' }).last().waitFor({ timeout: T });
  }],

  ['no_response', async ({ a }) => {
    await runPlain(a, 'never');
    const failed = a.locator('.chat .command-status.failed', { hasText: 'The application did not respond' });
    await failed.waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'slash-no-response.png') });
    await failed.getByRole('button', { name: 'Dismiss' }).click();
    await failed.waitFor({ state: 'detached', timeout: T });
  }],

  ['phone', async ({ phone: p }) => {
    // The same person on a 390px phone: the picker and the form fit and can be tapped.
    if (!(await p.locator('.chat-title', { hasText: 'general' }).count())) {
      await p.getByRole('button', { name: 'Show channels' }).tap();
      await p.locator('.sidebar.open a.channel', { hasText: 'general' }).tap();
      await p.locator('.chat-title', { hasText: 'general' }).waitFor({ timeout: T });
    }
    await box(p).tap();
    await box(p).pressSequentially('/', { delay: 30 });
    const picker = p.getByRole('listbox', { name: 'Commands matching' });
    await picker.getByRole('option').filter({ hasText: '/echo' }).waitFor({ timeout: T });
    await noOverflow(p, 'the command picker');
    await touchTargets(p, '.command-picker li', 'the command picker');
    await p.screenshot({ path: join(ARTIFACTS, 'slash-phone-picker.png') });
    await picker.getByRole('option').filter({ hasText: '/echo' }).first().tap();
    const form = p.getByRole('group', { name: '/echo command' });
    await form.waitFor({ timeout: T });
    await form.getByRole('textbox', { name: 'text', exact: true }).fill('from my phone');
    await noOverflow(p, 'the command form');
    await touchTargets(p, '.command-form button', 'the command form');
    await p.screenshot({ path: join(ARTIFACTS, 'slash-phone-form.png') });
    await form.getByRole('button', { name: 'Send command' }).tap();
    await answer(p, 'from my phone', '/echo');
    // Buttons and menus under a message fit the screen and a finger.
    const components = message(p, 'pressed by alice');
    if (await components.count()) {
      await components.scrollIntoViewIfNeeded();
      await touchTargets(p, '.chat .components button', 'message components');
    }
    await noOverflow(p, 'messages with components');
    // A long press offers the Apps sheet with the message commands.
    await longPress(p, message(p, 'from my phone').locator('.content'));
    const sheet = p.getByRole('dialog', { name: 'Message actions' });
    await sheet.getByRole('button', { name: 'Apps' }).tap();
    const apps = p.getByRole('menu', { name: 'Apps for this message' });
    await apps.getByRole('menuitem', { name: /Quote/ }).waitFor({ timeout: T });
    await noOverflow(p, 'the Apps sheet');
    await p.screenshot({ path: join(ARTIFACTS, 'slash-phone-apps.png') });
    await apps.getByRole('menuitem', { name: /Quote/ }).tap();
    await p.locator('.chat article.msg .content blockquote', { hasText: 'from my phone' }).last().waitFor({ timeout: T });
  }],
];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SPOT_CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const desktop = await open(browser, 'alice', 'alice password 1');
    await openChannel(desktop.page, 'general');
    const people = { a: desktop.page };
    report('logged_in');
    for (const [name, step] of STEPS) {
      if (name === 'phone') people.phone = (await open(browser, 'alice', 'alice password 1', { phone: true })).page;
      await step(people);
      report(name);
    }
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `slash-failure-${i}-${j}.png`) }).catch(() => undefined);
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
