// Expressions in the web client (the issue: custom emoji, stickers, soundboard, voice messages), driven in
// Debian's Chromium (playwright-core, never a downloaded browser) with fake media against a running spot. The
// instance admin adds an emoji, a sticker and a sound in the admin panel (and is refused a text file posing as
// a picture); bob, whose page stays open, gets them live: he writes with the custom emoji (typed, and chosen from
// the `:` autocomplete: alone, it shows big), the admin reacts with it, bob sends the sticker and records a voice
// message from the fake microphone, which the admin plays; in the Lounge bob plays the sound from the soundboard
// and the admin hears it through the DJ (inbound audio in getStats, matched by publisher), then a second sound
// at once is refused with the cooldown notice. Last, bob on a phone: images, pickers, the player and the mic.
//
// How to launch it (as tests/it/web_slash.rs launches slash.spec.mjs):
//   node tests/web/expressions.spec.mjs            (no arguments)
// Environment:
//   SPOT_URL        the server's base URL, e.g. http://127.0.0.1:PORT (no trailing slash)
//   SPOT_CHROMIUM   the browser to drive: /usr/bin/chromium
//   SPOT_ARTIFACTS  an existing directory for screenshots (expressions-*.png, expressions-failure-*.png on failure)
//   SPOT_TONE       a WAV file every fake microphone plays (the voice message records it)
// The server must have the instance admin admin / "correct horse battery" and the member bob / "bob password 1"
// in the home space, a text channel "general" and a voice channel "Lounge", no custom emoji, stickers or sounds
// yet, the DJ enabled (it plays the soundboard's sounds; its account is named "dj"), the default 2 s sound
// cooldown, and REST limits high enough for busy clients.
//
// Output: one JSON object per line, {"<step>": true} as each step passes, in this order:
//   logged_in, admin_emoji, emoji_message, emoji_reaction, sticker, voice_message, soundboard, phone, done
// and {"error": "..."} on failure (exit code 1). The steps are the STEPS list below.
import { join } from 'node:path';
import {
  ARTIFACTS, BASE, FAKE_MEDIA, T, act, check, chromium, inbound, message, noOverflow, open, openChannel, pwned,
  report, send, sleep, touchTargets, until,
} from './helpers.mjs';
import { gradientPng } from './png.mjs';

const shot = (page, name, fullPage = false) => page.screenshot({ path: join(ARTIFACTS, `expressions-${name}.png`), fullPage });

/** A `rate` Hz, 16-bit mono WAV of a `hz` sine at half of full scale. */
function toneWav(seconds = 1, hz = 880, rate = 16_000) {
  const n = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + n * 2);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + n * 2, 4);
  wav.write('WAVEfmt ', 8, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) wav.writeInt16LE(Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * hz * i) / rate)), 44 + i * 2);
  return wav;
}

/** Seconds of an `m:ss` clock (-1 when there is none). */
function seconds(text) {
  const m = /(\d+):(\d{2})/.exec(text ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
}

/** Waits for the image at `img` and until it really loaded (it may load lazily: scrolled into view first). */
async function shown(img, what) {
  await img.waitFor({ timeout: T });
  await img.scrollIntoViewIfNeeded();
  await until(`${what} to load`, () => img.evaluate((el) => el.complete && el.naturalWidth > 0));
}

/** Submits an admin panel form and waits for the page it leads to (303 back, or the page with an error). */
async function submit(page, form, button) {
  await Promise.all([page.waitForEvent('load', { timeout: T }), form.getByRole('button', { name: button }).click()]);
}

/** The admin panel's success notice, and no error. */
async function added(page, what) {
  const notice = page.locator('p.notice');
  await notice.waitFor({ timeout: T });
  const text = await notice.textContent();
  check(/added/i.test(text), `the panel says ${what} was added (found "${text}")`);
  check((await page.locator('p.error').count()) === 0, `no error after adding ${what}: ${await page.locator('p.error').allTextContents()}`);
}

const composer = (page) => page.locator('.chat .composer');

async function joinLounge(page) {
  await page.locator('.sidebar a.channel', { hasText: 'Lounge' }).click();
  await page.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: 2 * T });
}

/** The DJ's user id: its account in the space's member list (it may only now be made), or the one other person
 *  in the room. */
function djId(page, others) {
  return until('the DJ to be found', () =>
    page.evaluate(async (others) => {
      for (const guild of await fetch('/api/v10/users/@me/guilds').then((r) => r.json())) {
        const members = await fetch(`/api/v10/guilds/${guild.id}/members?limit=100`).then((r) => r.json());
        const dj = Array.isArray(members) && members.find((m) => m.user?.username === 'dj');
        if (dj) return dj.user.id;
      }
      const inRoom = [...document.querySelectorAll('.voice-members [data-user]')].map((el) => el.getAttribute('data-user'));
      return inRoom.find((id) => !others.includes(id)) ?? null;
    }, others),
  );
}

const isSound = (r) => r.url().includes('/send-soundboard-sound') && r.request().method() === 'POST';

const STEPS = [
  ['admin_emoji', async ({ b, admin }) => {
    const panel = await admin.context.newPage();
    await panel.exposeFunction('__pwned', (label) => pwned.push(`admin panel: ${label}`));
    panel.on('dialog', async (dialog) => {
      pwned.push(`admin panel: ${dialog.type()} ${dialog.message()}`);
      await dialog.dismiss();
    });
    const opened = await panel.goto(`${BASE}/admin/expressions`);
    check(opened.ok(), `the expressions page opens (status ${opened.status()})`);

    // The emoji.
    const emojiForm = panel.locator('form[aria-label="Add an emoji"]');
    await emojiForm.getByLabel('Emoji name').fill('party');
    await emojiForm.getByLabel('Emoji picture').setInputFiles({ name: 'party.png', mimeType: 'image/png', buffer: gradientPng(256, 256) });
    await submit(panel, emojiForm, 'Add emoji');
    await added(panel, ':party:');
    const emojiTable = panel.locator('table[aria-label="Custom emoji"]');
    const partyRow = emojiTable.locator('tr').filter({ has: panel.locator('td:first-child img[alt=":party:"], th:first-child img[alt=":party:"]') });
    await shown(partyRow.locator('img[alt=":party:"]'), 'the emoji in the panel');
    check((await partyRow.getByRole('button', { name: 'Delete :party:' }).count()) === 1, ':party: can be deleted');

    // A text file posing as a picture is refused; the page stays usable.
    await emojiForm.getByLabel('Emoji name').fill('fake');
    await emojiForm.getByLabel('Emoji picture').setInputFiles({
      name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('this is not a picture, only words\n'),
    });
    await submit(panel, emojiForm, 'Add emoji');
    await panel.locator('p.error[role=alert]').waitFor({ timeout: T });
    await shot(panel, 'admin-refused', true);
    check((await panel.locator('img[alt=":fake:"]').count()) === 0, 'the fake picture was not added');

    // The sticker.
    const stickerForm = panel.locator('form[aria-label="Add a sticker"]');
    await stickerForm.getByLabel('Sticker name').fill('fortytwo');
    await stickerForm.getByLabel('Sticker description').fill('the answer');
    await stickerForm.getByLabel('Related emoji').fill('😂');
    await stickerForm.getByLabel('Sticker picture').setInputFiles({ name: 'fortytwo.png', mimeType: 'image/png', buffer: gradientPng(320, 320) });
    await submit(panel, stickerForm, 'Add sticker');
    await added(panel, 'sticker fortytwo');
    const stickerRow = panel.locator('table[aria-label="Stickers"] tr', { hasText: 'fortytwo' });
    await stickerRow.getByRole('button', { name: 'Delete sticker fortytwo' }).waitFor({ timeout: T });

    // The sound.
    const soundForm = panel.locator('form[aria-label="Add a sound"]');
    await soundForm.getByLabel('Sound name').fill('airhorn');
    await soundForm.getByLabel('Sound emoji').fill('📯');
    // A number or a slider: set as a person's input would.
    await soundForm.getByLabel('Sound volume').evaluate((el) => {
      el.value = '100';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await soundForm.getByLabel('Sound file').setInputFiles({ name: 'airhorn.wav', mimeType: 'audio/wav', buffer: toneWav(2) });
    await submit(panel, soundForm, 'Add sound');
    await added(panel, 'sound airhorn');
    const soundRow = panel.locator('table[aria-label="Sounds"] tr', { hasText: 'airhorn' });
    await soundRow.getByRole('button', { name: 'Delete sound airhorn' }).waitFor({ timeout: T });
    check((await emojiTable.locator('img[alt=":party:"]').count()) === 1, ':party: is still listed once');
    await shot(panel, 'admin', true);

    // bob's page, never reloaded, has the emoji in his picker.
    await composer(b).getByRole('button', { name: 'Choose an emoji' }).click();
    const picker = b.getByRole('dialog', { name: 'Choose an emoji' });
    const insert = picker.getByRole('group', { name: 'This space' }).getByRole('button', { name: 'Insert :party:' });
    await insert.waitFor({ timeout: T });
    await shown(insert.locator('img.emoji.custom'), 'the emoji in bob’s picker');
    await shot(b, 'picker');
    await b.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached', timeout: T });
  }],

  ['emoji_message', async ({ a, b }) => {
    await send(b, 'hello :party:');
    const row = message(a, 'hello');
    await row.waitFor({ timeout: T });
    await shown(row.locator('img.emoji.custom[alt=":party:"]'), 'the custom emoji in the admin’s message list');
    await shown(message(b, 'hello').locator('img.emoji.custom[alt=":party:"]'), 'the custom emoji in bob’s message list');
    check((await row.locator('.msg-body > .content').textContent()).includes('hello'), 'the words stay around the emoji');

    // The `:` autocomplete: the custom emoji first; Enter chooses it; sent alone, it shows big.
    const box = composer(b).locator('textarea');
    await box.click();
    await box.fill('');
    await box.pressSequentially(':par', { delay: 40 });
    const list = b.getByRole('listbox', { name: 'Emoji suggestions' });
    await list.getByRole('option', { name: ':party:', exact: true }).waitFor({ timeout: T });
    const first = list.getByRole('option').first();
    check((await first.textContent()).includes(':party:'), `:party: is the first suggestion (found "${await first.textContent()}")`);
    check((await first.getAttribute('aria-selected')) === 'true', 'the first suggestion is highlighted');
    await shot(b, 'autocomplete');
    await box.press('Enter');
    await until('Enter to put the emoji in the text', async () => (await box.inputValue()).trim() === ':party:');
    await list.waitFor({ state: 'detached', timeout: T });
    await box.press('Enter');
    await until('the box to empty', async () => (await box.inputValue()) === '');
    const last = a.locator('.chat article.msg').filter({ has: a.locator('.markdown img.emoji.custom[alt=":party:"]') }).last();
    await until('the emoji-only message to show big', async () =>
      (await last.locator('.markdown').first().getAttribute('class'))?.split(/\s+/).includes('jumbo'));
    check(!(await last.locator('.msg-body > .content').textContent()).includes('hello'), 'the big emoji is the new message');
    await shown(last.locator('img.emoji.custom'), 'the big emoji');
    await shot(a, 'messages');
  }],

  ['emoji_reaction', async ({ a, b }) => {
    await act(a, 'hello', 'Add reaction');
    const picker = a.getByRole('dialog', { name: 'Add a reaction' });
    await picker.getByRole('group', { name: 'This space' }).getByRole('button', { name: 'React with :party:' }).click();
    await picker.waitFor({ state: 'detached', timeout: T });
    await message(a, 'hello').getByRole('button', { name: ':party: reaction, 1, including you', exact: true }).waitFor({ timeout: T });
    const chip = message(b, 'hello').locator('.reaction').filter({ has: b.locator('img.emoji.custom') });
    await chip.waitFor({ timeout: T });
    const label = await chip.getAttribute('aria-label');
    check(label === ':party: reaction, 1', `bob's chip is named ":party: reaction, 1" (found "${label}")`);
    await shown(chip.locator('img.emoji.custom'), 'the reaction’s emoji at bob');
    await shot(b, 'reaction');
  }],

  ['sticker', async ({ a, b }) => {
    await composer(b).getByRole('button', { name: 'Send a sticker' }).click();
    const picker = b.getByRole('dialog', { name: 'Stickers' });
    await picker.waitFor({ timeout: T });
    await shot(b, 'sticker-picker');
    await picker.getByRole('button', { name: 'Send sticker fortytwo' }).click();
    await picker.waitFor({ state: 'detached', timeout: T });
    await shown(a.locator('.chat article.msg .stickers img.sticker[alt="fortytwo"]').last(), 'the sticker at the admin');
    await shown(b.locator('.chat article.msg .stickers img.sticker[alt="fortytwo"]').last(), 'the sticker at bob');
    await shot(a, 'sticker');
  }],

  ['voice_message', async ({ a, b }) => {
    const before = await a.locator('.chat .voice-message').count();
    // A tap on the mic: the recording stays on with Cancel and Send.
    await composer(b).locator('.mic').click();
    const bar = composer(b).getByRole('group', { name: 'Recording a voice message' });
    await composer(b).locator('.recording-bar.recording').waitFor({ timeout: T });
    const timer = bar.getByRole('timer', { name: 'Recording time' });
    // 0:03 on the clock leaves the recording safely over two seconds.
    await until('three seconds of recording', async () => seconds(await timer.textContent()) >= 3);
    await shot(b, 'recording');
    await bar.getByRole('button', { name: 'Send voice message' }).click();
    await composer(b).locator('.recording-bar').waitFor({ state: 'detached', timeout: T });
    await composer(b).locator('textarea').waitFor({ timeout: T });

    await until('the voice message at the admin', async () => (await a.locator('.chat .voice-message').count()) > before, 2 * T);
    const player = a.locator('.chat article.msg .voice-message').last();
    await player.scrollIntoViewIfNeeded();
    const time = player.locator('.vm-time');
    const total = await until('the voice message’s length', async () => {
      const s = seconds((await time.textContent()).split('/')[1]);
      return s >= 2 ? s : null;
    }, 5000, () => time.textContent());
    check((await player.locator('.vm-bar').count()) > 0, 'the waveform has bars');
    await player.getByRole('button', { name: 'Play voice message' }).click();
    await player.getByRole('button', { name: 'Pause voice message' }).waitFor({ timeout: T });
    const audio = player.locator('audio');
    await until('the recording to play', () => audio.evaluate((el) => (el.currentTime > 0.5 ? el.currentTime : null)), 8000,
      () => audio.evaluate((el) => ({ t: el.currentTime, paused: el.paused, state: el.readyState, error: el.error?.message ?? null })));
    const speed = player.getByRole('button', { name: 'Playback speed' });
    await speed.click();
    const said = (await speed.textContent()).trim();
    check(said === '1.5×', `the speed button says 1.5× (found "${said}")`);
    check((await audio.evaluate((el) => el.playbackRate)) === 1.5, 'the recording plays at 1.5×');
    await shot(a, 'voice-message');
    console.error(`voice message: ${total} s`);
  }],

  ['soundboard', async ({ a, b, ids }) => {
    await joinLounge(a);
    await joinLounge(b);
    await a.locator(`.voice-members [data-user="${ids.bob}"]`).waitFor({ timeout: T });
    await b.getByRole('button', { name: 'Soundboard', exact: true }).click();
    const board = b.getByRole('dialog', { name: 'Soundboard' });
    const play = board.getByRole('button', { name: 'Play sound airhorn' });
    await play.waitFor({ timeout: T });
    await shot(b, 'soundboard');

    // The admin sees who played what, and hears it: the DJ joins and plays it into the room.
    const effect = a.locator('.voice-effects p.voice-effect', { hasText: 'airhorn' });
    const seen = effect.waitFor({ timeout: T }).then(() => null, (error) => error);
    const started = Date.now();
    const [answer] = await Promise.all([b.waitForResponse(isSound, { timeout: 2 * T }), play.click()]);
    check(answer.ok(), `the sound is played (status ${answer.status()})`);
    const missed = await seen;
    check(!missed, `the admin sees that bob played airhorn: ${missed}`);
    await shot(a, 'effect');
    const dj = await djId(a, [ids.admin, ids.bob]);
    const heard = await until('the admin hearing the airhorn through the DJ', async () => {
      const s = await inbound(a, dj, 'audio');
      return s && s.packets >= 30 && s.energy > 0.005 ? s : null;
    }, 20_000, () => a.evaluate((dj) => ({ dj, publishers: window.__publisher }), dj));
    console.error(`airhorn at the admin: ${JSON.stringify(heard)}`);

    // Once the cooldown has passed, it plays again; a second press at once is refused with a notice.
    await sleep(Math.max(0, started + 2500 - Date.now()));
    const [again] = await Promise.all([b.waitForResponse(isSound, { timeout: 2 * T }), play.click()]);
    check(again.ok(), `the sound plays again after the cooldown (status ${again.status()})`);
    const [refused] = await Promise.all([b.waitForResponse(isSound, { timeout: 2 * T }), play.click()]);
    check(!refused.ok(), `a sound at once is refused (status ${refused.status()})`);
    await board.locator('p.sound-notice').filter({ hasText: /\S/ }).waitFor({ timeout: T });
    await shot(b, 'cooldown');
    // Nothing broke: both still in the room, the board still there.
    for (const page of [a, b]) await page.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: T });
    await play.waitFor({ timeout: T });
  }],

  ['phone', async ({ browser }) => {
    const { page: p } = await open(browser, 'bob', 'bob password 1', { phone: true });
    if (!(await p.locator('.chat-title', { hasText: 'general' }).count())) {
      await p.getByRole('button', { name: /^Show channels/ }).tap();
      await p.locator('.sidebar.open a.channel', { hasText: 'general' }).tap();
      await p.locator('.chat-title', { hasText: 'general' }).waitFor({ timeout: T });
    }
    const row = message(p, 'hello');
    await row.waitFor({ timeout: T });
    await shown(row.locator('.msg-body > .content img.emoji.custom[alt=":party:"]'), 'the custom emoji on the phone');
    const chip = row.getByRole('button', { name: ':party: reaction, 1', exact: true });
    await shown(chip.locator('img.emoji.custom'), 'the reaction’s emoji on the phone');

    // The emoji picker.
    await composer(p).getByRole('button', { name: 'Choose an emoji' }).tap();
    const emojiPicker = p.getByRole('dialog', { name: 'Choose an emoji' });
    await emojiPicker.getByRole('group', { name: 'This space' }).getByRole('button', { name: 'Insert :party:' }).waitFor({ timeout: T });
    await noOverflow(p, 'the emoji picker');
    await shot(p, 'phone-emoji-picker');
    // On a touch screen the picker does not take the focus (no keyboard over it): Escape from its search box.
    await emojiPicker.getByRole('textbox', { name: 'Find an emoji' }).focus();
    await p.keyboard.press('Escape');
    await emojiPicker.waitFor({ state: 'detached', timeout: T });

    // The sticker picker.
    await composer(p).getByRole('button', { name: 'Send a sticker' }).tap();
    const stickerPicker = p.getByRole('dialog', { name: 'Stickers' });
    await stickerPicker.getByRole('button', { name: 'Send sticker fortytwo' }).waitFor({ timeout: T });
    await noOverflow(p, 'the sticker picker');
    await shot(p, 'phone-sticker-picker');
    await p.keyboard.press('Escape');
    await stickerPicker.waitFor({ state: 'detached', timeout: T });

    // The voice message's player fits the screen; the mic is a finger's size.
    const player = p.locator('.chat .voice-message').last();
    await player.waitFor({ timeout: T });
    await player.scrollIntoViewIfNeeded();
    await noOverflow(p, 'expressions');
    await touchTargets(p, '.chat .composer button', 'the composer');
    const mic = await composer(p).getByRole('button', { name: 'Record voice message' }).boundingBox();
    check(mic && mic.width >= 43.5 && mic.height >= 43.5, `the mic button is at least 44px: ${JSON.stringify(mic)}`);
    await shot(p, 'phone');
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
    const admin = await open(browser, 'admin', 'correct horse battery', { peers: true });
    const bob = await open(browser, 'bob', 'bob password 1', { peers: true });
    await openChannel(admin.page, 'general');
    await openChannel(bob.page, 'general');
    const ids = {};
    for (const [name, page] of [['admin', admin.page], ['bob', bob.page]]) {
      ids[name] = (await page.evaluate(() => fetch('/api/v10/users/@me').then((r) => r.json()))).id;
    }
    const people = { a: admin.page, b: bob.page, admin, ids, browser };
    report('logged_in');
    for (const [name, step] of STEPS) {
      await step(people);
      report(name);
    }
    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    // Pictures of every page at the moment of failure, for whoever reads the test log.
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `expressions-failure-${i}-${j}.png`) }).catch(() => undefined);
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
