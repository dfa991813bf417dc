// Shared pieces of the browser tests (tests/web/chat.spec.mjs, dm.spec.mjs, phone.spec.mjs): configuration from the
// environment, step reports, the users' browser contexts (with script-injection detectors), helpers that act like
// a person (on a phone: swipes and long presses as real touch events), and the phone's layout checks (nothing
// wider than the screen, controls a finger can hit).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../web/package.json', import.meta.url)));
export const { chromium } = require('playwright-core');

export const BASE = process.env.SPOT_URL;
export const ARTIFACTS = process.env.SPOT_ARTIFACTS;
export const HISTORY_COUNT = Number(process.env.SPOT_HISTORY_COUNT);
export const T = 15_000;

export const report = (key, value = true) => console.log(JSON.stringify({ [key]: value }));
/** Every sign of injected script running: calls of `window.__pwned` and browser dialogs. */
export const pwned = [];

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * Bob's gateway traffic goes through Playwright's WebSocket routing, so the test can cut his connection (a
 * network blip) and see what the client sends and receives.
 */
export const gateway = { routes: [], frames: [] };

export async function routeGateway(context) {
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

/** A phone: 390×844 CSS pixels, touch, no hover (as an iPhone 12–15 reports itself). */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function open(browser, username, password, { routed = false, phone = false, peers = false } = {}) {
  const size = phone ? PHONE : { viewport: { width: 1280, height: 800 } };
  const context = await browser.newContext({ ...size, colorScheme: 'dark' });
  if (routed) await routeGateway(context);
  if (peers) await context.addInitScript(recordPeers);
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
export const message = (page, text) =>
  page.locator('.chat article.msg').filter({ has: page.locator('.msg-body > .content', { hasText: text }) }).last();

export async function send(page, text, scope = '.chat') {
  const box = page.locator(`${scope} .composer textarea`);
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

export async function act(page, text, label) {
  const row = message(page, text);
  await row.hover();
  await row.getByRole('button', { name: label, exact: true }).click();
}

export async function openChannel(page, name) {
  await page.locator('.sidebar a.channel', { hasText: name }).click();
  await page.waitForSelector(`.chat-title:has-text("${name}")`, { timeout: T });
}

/** Chromium's switches for fake media: the WAV in SPOT_TONE as every microphone, granted without asking. */
export const FAKE_MEDIA = [
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  `--use-file-for-fake-audio-capture=${process.env.SPOT_TONE}`,
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Records every peer connection a page makes and the stream id (publisher) of each received mid. */
export function recordPeers() {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.__publisher = {};
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
      this.addEventListener('track', (e) => {
        if (e.streams[0]) window.__publisher[e.transceiver.mid] = e.streams[0].id;
      });
    }
  };
}

/** What `page` receives from `userId` now: packets, audio energy and duration, decoded frames. */
export async function inbound(page, userId, kind) {
  return page.evaluate(
    async ([userId, kind]) => {
      const pc = window.__pcs.filter((p) => p.connectionState !== 'closed').at(-1);
      if (!pc) return null;
      const stats = await pc.getStats();
      let out = null;
      stats.forEach((r) => {
        if (r.type !== 'inbound-rtp' || r.kind !== kind || window.__publisher[r.mid] !== userId) return;
        const s = {
          packets: r.packetsReceived ?? 0,
          energy: r.totalAudioEnergy ?? 0,
          duration: r.totalSamplesDuration ?? 0,
          level: r.audioLevel ?? 0,
          frames: r.framesDecoded ?? 0,
          width: r.frameWidth ?? 0,
        };
        if (!out || s.packets > out.packets) out = s;
      });
      return out;
    },
    [userId, kind],
  );
}

/** Packets received and the RMS level of `userId`'s audio at `page` over `ms`. */
export async function listen(page, userId, ms = 2000) {
  const a = await inbound(page, userId, 'audio');
  await sleep(ms);
  const b = await inbound(page, userId, 'audio');
  if (!a || !b) return { packets: 0, rms: 0 };
  const seconds = b.duration - a.duration;
  return { packets: b.packets - a.packets, rms: seconds > 0 ? Math.sqrt((b.energy - a.energy) / seconds) : 0 };
}

/** Polls `fn` until it returns something truthy; the error names `what` and the last answer. */
export async function until(what, fn, timeout = 20_000, debug = null) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}${debug ? ` ${JSON.stringify(await debug())}` : ''}`);
}

/**
 * Fails unless everything on `page` fits its width: the page does not scroll sideways, no visible element
 * reaches past the right edge (after what its ancestors clip), and nothing scrolls sideways inside (text boxes,
 * code blocks and the spotlight's strip excepted). The error names the offenders by tag and class.
 */
export async function noOverflow(page, screen) {
  const found = await page.evaluate(() => {
    const width = window.innerWidth;
    const offenders = [];
    const name = (el) => {
      const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const label = el.getAttribute('aria-label');
      return `${el.tagName.toLowerCase()}${classes}${label ? `[${label}]` : ''}`;
    };
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      let right = box.right;
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') right = Math.min(right, up.getBoundingClientRect().right);
      }
      if (right > width + 1) offenders.push(`${name(el)} (right edge at ${Math.round(box.right)})`);
      const overflow = getComputedStyle(el).overflowX;
      if (
        (overflow === 'auto' || overflow === 'scroll') &&
        el.scrollWidth > el.clientWidth + 1 &&
        !el.matches('input, textarea, select, .codeblock, .spotlight-strip')
      ) {
        offenders.push(`${name(el)} (scrolls sideways: ${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, offenders };
  });
  const list = found.offenders.slice(0, 12).join(', ');
  check(found.scrollWidth <= found.width, `${screen}: the page is ${found.scrollWidth}px wide on a ${found.width}px screen: ${list}`);
  check(found.offenders.length === 0, `${screen}: ${found.offenders.length} elements overflow the ${found.width}px screen: ${list}`);
}

/** Fails when a visible control matching `selector` is smaller than 44×44 CSS pixels (a finger's size). */
export async function touchTargets(page, selector, screen) {
  const small = await page.locator(selector).evaluateAll((els) =>
    els
      .filter((el) => el.checkVisibility({ checkVisibilityCSS: true }))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 43.5 || box.height < 43.5))
      .map(({ el, box }) => `${el.getAttribute('aria-label') ?? el.textContent.trim()} ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
  check(small.length === 0, `${screen}: controls smaller than 44px: ${small.join(', ')}`);
}

/** The page's DevTools session, for real touch events (Playwright itself only taps). */
const sessions = new WeakMap();
async function devtools(page) {
  if (!sessions.has(page)) sessions.set(page, await page.context().newCDPSession(page));
  return sessions.get(page);
}

/** A finger moving from `from` to `to` ([x, y] in CSS pixels) in `ms`. */
export async function swipe(page, from, to, ms = 240) {
  const cdp = await devtools(page);
  const steps = 8;
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from[0], y: from[1] }] });
  for (let i = 1; i <= steps; i++) {
    await sleep(ms / steps);
    const x = from[0] + ((to[0] - from[0]) * i) / steps;
    const y = from[1] + ((to[1] - from[1]) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** A finger held still on the middle of `locator` for `ms`. */
export async function longPress(page, locator, ms = 800) {
  const box = await locator.boundingBox();
  check(box, 'the element to press is on screen');
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await devtools(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await sleep(ms);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}
