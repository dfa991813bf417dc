// Voice and the DJ in Debian's Chromium with fake media (a tone file the test writes as the microphone, the fake
// camera, a fake screen), for tests/it/web_voice.rs. Real browser contexts join a voice room of the embedded SFU
// through the web client's buttons; what each one receives is read from `RTCPeerConnection.getStats()`
// (inbound-rtp levels, packets, decoded frames), matched to the sender by the stream id the SFU gives each
// track (the publisher's user id). One JSON line per step, as in chat.spec.mjs; `{"restart": true}` asks the
// Rust side to restart the server, `{"stop_carol": pid}` to freeze one browser's processes.
// Environment: SPOT_URL, SPOT_CHROMIUM, SPOT_ARTIFACTS, SPOT_TONE (a WAV file).
import { join } from 'node:path';
import {
  ARTIFACTS, BASE, FAKE_MEDIA, T, check, chromium, inbound, listen, openChannel, recordPeers, report, send, sleep, until,
} from './helpers.mjs';

const LAUNCH = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ...FAKE_MEDIA,
  '--auto-select-desktop-capture-source=Entire screen',
];

async function open(browser, username, password, { denyMic = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await context.addInitScript(recordPeers);
  // The /voice signaling goes through Playwright, so the test can cut it (a network blip) and log it.
  const signaling = { sockets: [], log: [] };
  await context.routeWebSocket(/\/voice$/, (ws) => {
    const server = ws.connectToServer();
    signaling.sockets.push({ ws, server });
    const note = (dir, frame) => {
      let type = '?';
      try {
        const m = JSON.parse(String(frame));
        type = m.type + (m.tracks ? `(${m.tracks.map((t) => `${t.mid}:${t.kind}`).join(',')})` : '') + (m.reason ?? '') + (m.code ?? '');
      } catch {}
      signaling.log.push(`${dir}${type}`);
    };
    ws.onMessage((frame) => {
      note('>', frame);
      server.send(frame);
    });
    server.onMessage((frame) => {
      note('<', frame);
      ws.send(frame);
    });
  });
  if (denyMic) {
    await context.addInitScript(() => {
      const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = (c) =>
        c && c.audio ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) : real(c);
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[${username}] page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[${username}] console: ${msg.text()}`);
  });
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.composer textarea', { timeout: 2 * T });
  const me = await page.evaluate(() => fetch('/api/v10/users/@me').then((r) => r.json()));
  return { context, page, id: me.id, name: username, signaling };
}

const memberIn = (page, user) => page.locator(`.voice-members [data-user="${user.id}"]`);

async function joinLounge(page) {
  await page.locator('.sidebar a.channel', { hasText: 'Lounge' }).click();
  await page.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: 2 * T });
}

/** Everything a page receives, for failure messages. */
async function receiving(page) {
  return page.evaluate(async () => {
    const pc = window.__pcs.filter((p) => p.connectionState !== 'closed').at(-1);
    if (!pc) return 'no peer connection';
    const out = [];
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp') out.push({ mid: r.mid, kind: r.kind, packets: r.packetsReceived, bytes: r.bytesReceived, level: r.audioLevel, energy: r.totalAudioEnergy, dur: r.totalSamplesDuration, conceal: r.concealedSamples, recv: r.totalSamplesReceived });
      if (r.type === 'media-source') out.push({ source: r.kind, level: r.audioLevel, energy: r.totalAudioEnergy });
      if (r.type === 'outbound-rtp') out.push({ out: r.kind, packets: r.packetsSent, bytes: r.bytesSent });
    });
    const senders = pc.getSenders().map((x) => x.track && { kind: x.track.kind, enabled: x.track.enabled, muted: x.track.muted, state: x.track.readyState });
    return { state: pc.connectionState, publishers: window.__publisher, inbound: out, senders };
  });
}

async function hears(listener, speaker, what) {
  return until(`${listener.name} hearing ${speaker.name} (${what})`, async () => {
    const heard = await listen(listener.page, speaker.id, 1000);
    return heard.packets > 20 && heard.rms > 0.01 ? heard : null;
  }, 20_000, async () => ({ stats: await receiving(listener.page), signaling: listener.signaling.log, speaker: await receiving(speaker.page) }));
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.env.SPOT_CHROMIUM, args: LAUNCH });
  try {
    const alice = await open(browser, 'alice', 'alice password 1');
    const bob = await open(browser, 'bob', 'bob password 22');
    const a = alice.page;
    const b = bob.page;

    // Both join the Lounge with their buttons and hear each other's tone.
    await joinLounge(a);
    await joinLounge(b);
    await memberIn(a, bob).waitFor({ timeout: T });
    await memberIn(b, alice).waitFor({ timeout: T });
    const ab = await hears(bob, alice, 'after joining');
    const ba = await hears(alice, bob, 'after joining');
    console.error(`levels: alice→bob ${JSON.stringify(ab)}, bob→alice ${JSON.stringify(ba)}`);
    // The speaking indicators come from the audio itself.
    await b.locator(`.voice-members [data-user="${alice.id}"][data-speaking="true"]`).waitFor({ timeout: T });
    await a.locator(`.tile[data-user="${bob.id}"][data-speaking="true"]`).waitFor({ timeout: T });
    report('hear_each_other');

    // Alice's camera, then her screen, arrive at Bob as decoded video in their tiles.
    await a.getByRole('button', { name: 'Turn camera on' }).click();
    await a.getByRole('button', { name: 'Turn camera off' }).waitFor({ timeout: T });
    await until('alice\'s camera at bob', () => playing(b, `.tile[data-user="${alice.id}"][data-kind="person"] video`));
    await a.getByRole('button', { name: 'Share your screen' }).click();
    await a.getByRole('button', { name: 'Stop sharing your screen' }).waitFor({ timeout: T });
    await b.locator(`.voice-members [data-user="${alice.id}"] .live`).waitFor({ timeout: T });
    await until('alice\'s screen at bob', () => playing(b, `.tile[data-user="${alice.id}"][data-kind="screen"] video`));
    // Spotlight: the screen share fills the stage.
    await b.getByRole('button', { name: `Spotlight ${'alice'}'s screen` }).click();
    await b.locator(`.spotlight-main .tile[data-kind="screen"][data-user="${alice.id}"]`).waitFor({ timeout: T });
    await b.screenshot({ path: join(ARTIFACTS, 'voice-spotlight.png') });
    await b.getByRole('button', { name: 'Grid view' }).click();
    await a.getByRole('button', { name: 'Turn camera off' }).click();
    await a.getByRole('button', { name: 'Stop sharing your screen' }).click();
    await b.locator(`.tile[data-user="${alice.id}"][data-kind="screen"]`).waitFor({ state: 'detached', timeout: T });
    check((await b.locator(`.tile[data-user="${alice.id}"] video`).count()) === 0, 'camera tile back to the avatar');
    report('camera_and_screen');

    // Bob mutes himself: Alice sees it, and hears silence.
    await b.getByRole('button', { name: 'Mute', exact: true }).click();
    await a.locator(`.voice-members [data-user="${bob.id}"][aria-label*="muted"]`).waitFor({ timeout: T });
    await until('bob silent while muted', async () => ((await listen(a, bob.id, 1000)).rms < 0.003 ? true : null));
    await b.getByRole('button', { name: 'Unmute' }).click();
    await hears(alice, bob, 'unmuted');
    report('self_mute');

    // Alice turns Bob down to 0 % for herself: his audio still arrives, but plays (and measures) silent.
    const setVolume = (value) =>
      a.locator(`.tile[data-user="${bob.id}"] input[type="range"]`).evaluate((input, v) => {
        input.value = String(v);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
    await setVolume(0);
    await until('bob at 0 % for alice', async () => ((await listen(a, bob.id, 1000)).rms < 0.003 ? true : null));
    await setVolume(100);
    await hears(alice, bob, 'back at 100 %');
    report('volume');

    // Bob switches to push-to-talk: silent until he holds the key, silent again when he lets go.
    await b.getByRole('button', { name: 'User settings' }).click();
    await b.getByRole('tab', { name: 'Voice' }).click();
    await b.getByRole('radio', { name: /Push to talk/ }).check();
    await b.screenshot({ path: join(ARTIFACTS, 'voice-settings.png') });
    await b.keyboard.press('Escape');
    await b.getByText('Push to talk: hold `').waitFor({ timeout: T });
    await until('bob silent until he holds the key', async () => ((await listen(a, bob.id, 1000)).rms < 0.003 ? true : null));
    await b.keyboard.down('Backquote');
    await b.getByText('Talking…').waitFor({ timeout: T });
    await hears(alice, bob, 'holding the push-to-talk key');
    await b.keyboard.up('Backquote');
    await until('bob silent after letting go', async () => ((await listen(a, bob.id, 1000)).rms < 0.003 ? true : null));
    await b.getByRole('button', { name: 'User settings' }).click();
    await b.getByRole('tab', { name: 'Voice' }).click();
    await b.getByRole('radio', { name: /Voice activity/ }).check();
    await b.keyboard.press('Escape');
    await hears(alice, bob, 'voice activity again');
    report('push_to_talk');

    // Alice (an admin) mutes Bob for everyone: the server stops forwarding his audio.
    const tile = a.locator(`.tile[data-user="${bob.id}"]`);
    await tile.hover();
    await tile.getByRole('button', { name: 'Mute bob for everyone' }).click();
    await b.getByText('A moderator muted you.').waitFor({ timeout: T });
    await sleep(500);
    const muted = await listen(a, bob.id, 2000);
    check(muted.packets <= 3, `nothing forwarded while server-muted: ${JSON.stringify(muted)}`);
    await tile.hover();
    await tile.getByRole('button', { name: 'Unmute bob for everyone' }).click();
    await hears(alice, bob, 'server unmute');
    report('server_mute');

    // A network blip: Bob's signaling connection is cut. His client gets back in by itself.
    const before = bob.signaling.sockets.length;
    const cut = bob.signaling.sockets.at(-1);
    await cut.ws.close({ code: 1006 }).catch(() => cut.ws.close());
    await cut.server.close().catch(() => undefined);
    await b.locator('.voice-panel [data-status="reconnecting"], .voice-panel [data-status="connecting"]').first().waitFor({ timeout: T });
    await b.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: 3 * T });
    check(bob.signaling.sockets.length > before, 'a new signaling connection');
    await hears(alice, bob, 'after the blip');
    await hears(bob, alice, 'after the blip');
    report('blip');

    // Carol joins from another browser, which then freezes (no packets, no goodbye): she is removed in time.
    const server = await chromium.launchServer({ executablePath: process.env.SPOT_CHROMIUM, args: LAUNCH });
    const other = await chromium.connect(server.wsEndpoint());
    const carol = await open(other, 'carol', 'carol password 333');
    await joinLounge(carol.page);
    await memberIn(a, carol).waitFor({ timeout: T });
    const pid = server.process().pid;
    process.kill(-pid, 'SIGSTOP');
    const frozen = Date.now();
    await memberIn(a, carol).waitFor({ state: 'detached', timeout: 30_000 });
    const gone = (Date.now() - frozen) / 1000;
    process.kill(-pid, 'SIGKILL');
    report('vanished', gone);

    // Dave's browser refuses the microphone: a clear message, and he still joins to listen.
    const dave = await open(browser, 'dave', 'dave password 4444', { denyMic: true });
    await dave.page.locator('.sidebar a.channel', { hasText: 'Lounge' }).click();
    await dave.page.getByRole('alert').filter({ hasText: 'Microphone access is blocked' }).waitFor({ timeout: T });
    await dave.page.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: 2 * T });
    await a.locator(`.voice-members [data-user="${dave.id}"][aria-label*="muted"]`).waitFor({ timeout: T });
    await hears(dave, alice, 'listening without a microphone');
    await dave.page.screenshot({ path: join(ARTIFACTS, 'voice-mic-denied.png') });
    report('mic_denied');

    // The server restarts: everyone's client rejoins by itself.
    report('restart');
    await b.locator('.voice-panel [data-status="reconnecting"]').waitFor({ timeout: 3 * T });
    for (const who of [a, b, dave.page]) {
      await who.locator('.voice-panel [data-status="connected"]').waitFor({ timeout: 6 * T });
    }
    await memberIn(a, bob).waitFor({ timeout: T });
    await hears(alice, bob, 'after the restart');
    await hears(bob, alice, 'after the restart');
    report('restarted');

    // The DJ: Alice asks in #general; the DJ joins the Lounge and Bob hears it.
    await openChannel(a, 'general');
    check((await a.locator('.voice-panel [data-status="connected"]').count()) === 1, 'still in voice while chatting');
    await send(a, '!play first sine');
    await send(a, '!play second sine');
    await a.locator('.chat article.msg .embed', { hasText: 'First Sine' }).first().waitFor({ timeout: 2 * T });
    const djId = await a.evaluate(() => {
      const rows = [...document.querySelectorAll('.voice-members [data-user]')];
      return rows.map((r) => r.getAttribute('data-user'));
    });
    const dj = { id: null, name: 'dj' };
    for (const id of djId) if (![alice.id, bob.id, dave.id].includes(id)) dj.id = id;
    check(dj.id, `the DJ is in the room: ${djId}`);
    const loud = await until('bob hearing the DJ', async () => {
      const heard = await listen(b, dj.id, 1500);
      return heard.packets > 30 && heard.rms > 0.01 ? heard : null;
    });
    report('dj_plays', loud.rms);

    await send(a, '!pause');
    await until('silence while paused', async () => {
      const heard = await listen(b, dj.id, 1000);
      return heard.rms < 0.002 ? heard : null;
    });
    report('dj_pause');
    await send(a, '!resume');
    await until('playing again', async () => ((await listen(b, dj.id, 1000)).rms > 0.01 ? true : null));
    await send(a, '!volume 10');
    const quiet = await until('a lower level at volume 10', async () => {
      const heard = await listen(b, dj.id, 1500);
      return heard.packets > 30 && heard.rms > 0 && heard.rms < loud.rms * 0.4 ? heard : null;
    });
    report('dj_volume', { before: loud.rms, after: quiet.rms });
    await send(a, '!skip');
    await a.locator('.chat article.msg .embed', { hasText: 'Second Sine' }).first().waitFor({ timeout: 2 * T });
    await until('the next track playing', async () => ((await listen(b, dj.id, 1000)).rms > 0.001 ? true : null));
    report('dj_skip');

    // The now-playing bar in the room view shows the track and drives the DJ; the other bar follows the event.
    await a.locator('.sidebar a.channel', { hasText: 'Lounge' }).click();
    const barA = a.locator('.now-playing');
    const barB = b.locator('.now-playing');
    // The other page's bar follows SPOT_MUSIC_UPDATE: under the full suite's load that can take a while.
    await barA.locator('.np-title', { hasText: 'Second Sine' }).waitFor({ timeout: 2 * T });
    await barB.locator('.np-title', { hasText: 'Second Sine' }).waitFor({ timeout: 2 * T });
    await barA.getByRole('button', { name: 'Pause' }).click();
    await barB.getByRole('button', { name: 'Resume' }).waitFor({ timeout: T });
    await until('silence after pausing from the bar', async () => ((await listen(b, dj.id, 1000)).rms < 0.002 ? true : null));
    await barB.getByRole('button', { name: 'Resume' }).click();
    await barA.getByRole('button', { name: 'Pause' }).waitFor({ timeout: T });
    await until('playing after resuming from the bar', async () => ((await listen(b, dj.id, 1000)).rms > 0.001 ? true : null));
    await b.screenshot({ path: join(ARTIFACTS, 'voice-now-playing.png') });
    report('dj_bar');

    // Bob leaves: everyone's room list updates.
    await b.getByRole('button', { name: 'Disconnect' }).click();
    await memberIn(a, bob).waitFor({ state: 'detached', timeout: T });
    check((await b.locator('.voice-panel').count()) === 0, 'bob\'s call panel is gone');
    report('left');

    await a.screenshot({ path: join(ARTIFACTS, 'voice-room.png') });
    report('done');
  } finally {
    await browser.close();
  }
}

/** Whether the video at `selector` shows decoded frames that keep coming. */
async function playing(page, selector) {
  const frames = () =>
    page.evaluate((sel) => {
      const v = document.querySelector(sel);
      return v && v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : -1;
    }, selector);
  const first = await frames();
  if (first < 0) return null;
  await sleep(500);
  return (await frames()) > first ? true : null;
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error?.stack ?? error) }));
  process.exit(1);
});
