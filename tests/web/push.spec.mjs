// The installable app, Web Push and notification settings in the web client, driven in Debian's Chromium
// (playwright-core, never a downloaded browser) against a running spot, for the Rust driver that plays the push
// service. Two people on desktops (1280×800), each in their own browser context: alice (notifications
// permission granted, her gateway traffic recorded) and bob.
//
// How to launch it (as tests/it/web_client.rs launches chat.spec.mjs):
//   node tests/web/push.spec.mjs            (no arguments)
// Environment:
//   SPOT_URL            the server's base URL, e.g. http://127.0.0.1:PORT (no trailing slash; 127.0.0.1 and
//                       localhost are secure contexts, which service workers and push need)
//   SPOT_CHROMIUM       the browser to drive: /usr/bin/chromium
//   SPOT_ARTIFACTS      an existing directory for screenshots (push-*.png, and push-failure-*.png on failure)
//   SPOT_PUSH_ENDPOINT  the push endpoint alice's subscription names (the driver's local push service, an https
//                       URL); default https://push.invalid/spot-test
//   SPOT_PUSH_SUBSCRIPTION  optional: the subscription JSON ({endpoint, keys: {p256dh, auth}}) the stand-in
//                       returns, when the driver's push service made the keys; else they are made here
//   SPOT_TONE           optional: a WAV file the fake microphones play (the call step works without it)
// The server must have these accounts, neither an admin, both in the home space (with a text channel named
// "general"), with no DMs, blocks or notification settings yet:
//   alice / "alice password 1", bob / "bob password 22"
// and REST limits high enough for two busy clients.
//
// Headless Chromium reaches no push service, so `pushManager.subscribe` would fail there. alice's pages get a
// stand-in push manager instead (installed before any script runs): `subscribe` records the application server
// key it is given and returns a subscription whose endpoint is SPOT_PUSH_ENDPOINT and whose keys are a P-256 key
// pair and auth secret made here (reported as push_keys, so the driver can decrypt what spot sends there). All
// the rest is real: the service worker, the permission, the page's requests to the server, the gateway.
//
// Output: one JSON object per line, in this order:
//   {"logged_in": {"alice": id, "bob": id, "general": channel id, "guild": id}}
//   {"service_worker": {"scope": url, "controlled": true}}
//   {"manifest": {"url": manifest URL or "", "errors": [...]}}       (CDP Page.getAppManifest)
//   {"installability": [...]}                                         (CDP Page.getInstallabilityErrors; [] = installable)
//   {"push_keys": {"endpoint", "p256dh", "auth", "private_jwk"}}      (what the stand-in subscription holds)
//   {"application_server_key": base64url}                             (what the page passed to subscribe)
//   {"subscribed": <the body alice's page POSTed to /api/v10/users/@me/push>}
//   {"push_on": {"status": 204, "state": <GET /users/@me/push>}}
//   {"muted": <the body bob's page PATCHed to /users/@me/guilds/{guild}/settings>}
//   {"muted_dimmed": {"label": aria-label of bob's #general, "entry": the answer's #general override}}
//   {"hidden": {"visibility": "hidden", "presence": <alice's opcode 3 d with afk true>}}
//   {"mention_sent": {"channel_id", "message_id"}}                    (bob mentions alice in #general: a push is due)
//   {"dm_sent": {"channel_id", "message_id"}}                         (bob DMs alice: a push is due)
//   {"call_started": {"channel_id"}}                                  (bob rings alice in the DM: a call push is due)
//   {"call_ended": {"channel_id"}}
//   {"alice_muted": {"channel_id", "entry"}}                          (alice mutes #general over REST, tab hidden)
//   {"muted_mention_sent": {"channel_id", "message_id"}}              (bob mentions alice there: no push is due)
//   {"dm_after_mute_sent": {"channel_id", "message_id"}}              (bob DMs alice again: a push is due)
//   {"visible": {"visibility": "visible", "presence": <opcode 3 d with afk false>}}
//   {"sw_push": [notifications]}                                      (a push delivered to the worker over CDP,
//                                                                      as registration.getNotifications() lists it)
//   {"offline": {"banner": text, "message": true}}                    (offline reload shows the last channel)
//   {"logged_out": {"push_deleted": true, "caches": [names left]}}    (no spot-data-* / spot-page-* left)
//   {"done": true}
// and {"error": "..."} on failure (exit code 1). The driver decides what the reports mean (which pushes arrived,
// that they decrypt, that the muted mention sent none, that installability is []).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS, BASE, T, check, chromium, gateway, message, openChannel, pwned, report, routeGateway, send, sleep, until,
} from './helpers.mjs';

const ENDPOINT = process.env.SPOT_PUSH_ENDPOINT || 'https://push.invalid/spot-test';

/** A subscription's keys as a browser makes them: a P-256 key pair (the public key as an uncompressed point) and
 *  a 16-byte auth secret, all base64url. */
function subscriptionKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
  return {
    endpoint: ENDPOINT,
    p256dh: point.toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
    private_jwk: privateKey.export({ format: 'jwk' }),
  };
}

/** Runs in alice's pages before their scripts: the stand-in push manager (see the header). Like a browser's,
 *  its subscription outlives a reload (kept in localStorage). */
function standInPushManager({ endpoint, p256dh, auth }) {
  if (!('PushManager' in self)) return;
  const KEPT = '__spot_test_push_key';
  const encode = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const decode = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const make = (bytes) => ({
    endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: bytes.slice().buffer },
    toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
    unsubscribe: async () => {
      current = null;
      localStorage.removeItem(KEPT);
      return true;
    },
  });
  let current = localStorage.getItem(KEPT) ? make(decode(localStorage.getItem(KEPT))) : null;
  PushManager.prototype.subscribe = async function (options) {
    const key = options?.applicationServerKey;
    const bytes =
      typeof key === 'string'
        ? decode(key)
        : new Uint8Array(ArrayBuffer.isView(key) ? key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) : key);
    window.__applicationServerKey = encode(bytes);
    localStorage.setItem(KEPT, encode(bytes));
    current = make(bytes);
    return current;
  };
  PushManager.prototype.getSubscription = async function () {
    return current;
  };
  PushManager.prototype.permissionState = async function () {
    return Notification.permission === 'granted' ? 'granted' : 'prompt';
  };
}

/** A person's browser context, logged in (as helpers.open, with a setup step before the first page). */
async function login(browser, username, password, setup = async () => {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await setup(context);
  const page = await context.newPage();
  await page.exposeFunction('__pwned', (label) => pwned.push(`${username}: ${label}`));
  page.on('dialog', async (dialog) => {
    pwned.push(`${username}: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
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

/** A REST call from a page, with its session cookie and CSRF token, as the client makes it. */
function rest(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const csrf = decodeURIComponent(document.cookie.split('; ').find((c) => c.startsWith('spot_csrf='))?.slice(10) ?? '');
      const response = await fetch(`/api/v10${path}`, {
        method,
        headers: { 'X-CSRF-Token': csrf, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body],
  );
}

/** Sends a message from the composer and returns its id (from the server's answer). */
async function sendAndId(page, text) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => /\/channels\/\d+\/messages$/.test(new URL(r.url()).pathname) && r.request().method() === 'POST', { timeout: T }),
    send(page, text),
  ]);
  check(response.ok(), `sending "${text}" answered ${response.status()}`);
  return (await response.json()).id;
}

/** alice's opcode 3 frames (PRESENCE_UPDATE) so far. */
const presenceFrames = () =>
  gateway.frames
    .filter((f) => f.to === 'server')
    .map((f) => {
      try {
        return JSON.parse(f.frame);
      } catch {
        return null;
      }
    })
    .filter((f) => f?.op === 3)
    .map((f) => f.d);

async function openSettingsTab(page, tab) {
  await page.getByRole('button', { name: 'User settings' }).click();
  const settings = page.getByRole('dialog', { name: 'User settings' });
  await settings.getByRole('tab', { name: tab }).click();
  return settings;
}

async function main() {
  const LAUNCH = {
    executablePath: process.env.SPOT_CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
      ...(process.env.SPOT_TONE ? [`--use-file-for-fake-audio-capture=${process.env.SPOT_TONE}`] : []),
    ],
  };
  const browser = await chromium.launch(LAUNCH);
  // The driver's push service may hand us the subscription (its keys, to decrypt what arrives); else make one.
  const given = process.env.SPOT_PUSH_SUBSCRIPTION ? JSON.parse(process.env.SPOT_PUSH_SUBSCRIPTION) : null;
  const keys = given
    ? { endpoint: given.endpoint, p256dh: given.keys.p256dh, auth: given.keys.auth, private_jwk: null }
    : subscriptionKeys();
  try {
    const alice = await login(browser, 'alice', 'alice password 1', async (context) => {
      await context.grantPermissions(['notifications'], { origin: BASE });
      await routeGateway(context);
      await context.addInitScript(standInPushManager, { endpoint: keys.endpoint, p256dh: keys.p256dh, auth: keys.auth });
    });
    const bob = await login(browser, 'bob', 'bob password 22');
    const a = alice.page;
    const b = bob.page;
    const ids = {
      alice: (await rest(a, 'GET', '/users/@me')).body.id,
      bob: (await rest(b, 'GET', '/users/@me')).body.id,
    };
    await openChannel(a, 'general');
    await openChannel(b, 'general');
    const [, , guild, general] = new URL(b.url()).pathname.split('/');
    report('logged_in', { ...ids, general, guild });

    // The service worker: registered on load, in charge of the page (it claims it on activation).
    const worker = await until('the service worker to control the page', () =>
      a.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration('/');
        return registration?.active && navigator.serviceWorker.controller ? { scope: registration.scope, controlled: true } : null;
      }),
    );
    report('service_worker', worker);

    const cdp = await alice.context.newCDPSession(a);
    const manifest = await cdp.send('Page.getAppManifest').catch((e) => ({ url: '', errors: [String(e)] }));
    report('manifest', { url: manifest.url ?? '', errors: manifest.errors ?? [] });
    // Installability is judged in a normal profile: Playwright's contexts are incognito, which Chromium never
    // installs from ("in-incognito"). A persistent profile logs in, lets the worker take charge, and asks.
    const profile = mkdtempSync(join(tmpdir(), 'spot-install-'));
    const installed = await chromium.launchPersistentContext(profile, { ...LAUNCH, viewport: { width: 1280, height: 800 } });
    try {
      const page = installed.pages()[0] ?? (await installed.newPage());
      await page.goto(`${BASE}/login`);
      await page.fill('input[name=username]', 'alice');
      await page.fill('input[name=password]', 'alice password 1');
      await page.click('button[type=submit]');
      await page.waitForSelector('.composer textarea', { timeout: 2 * T });
      await until('the service worker to control the installable page', () =>
        page.evaluate(() => !!navigator.serviceWorker.controller),
      );
      const session = await installed.newCDPSession(page);
      const { installabilityErrors } = await session.send('Page.getInstallabilityErrors');
      report('installability', installabilityErrors);
    } finally {
      await installed.close();
      rmSync(profile, { recursive: true, force: true });
    }

    // alice turns push on from Settings → Notifications: the permission (granted to this context), the
    // subscription, and its POST to the server.
    const settings = await openSettingsTab(a, 'Notifications');
    await settings.getByText('Off for this device.', { exact: true }).waitFor({ timeout: T });
    report('push_keys', keys);
    const [posted] = await Promise.all([
      a.waitForRequest((r) => r.url().endsWith('/api/v10/users/@me/push') && r.method() === 'POST', { timeout: T }),
      settings.getByRole('button', { name: 'Enable push notifications on this device' }).click(),
    ]);
    report('application_server_key', await a.evaluate(() => window.__applicationServerKey ?? null));
    report('subscribed', JSON.parse(posted.postData() ?? 'null'));
    const answer = await posted.response();
    await settings.getByText('On for this device', { exact: false }).waitFor({ timeout: T });
    await settings.getByRole('button', { name: 'Turn off on this device' }).waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'push-settings.png') });
    report('push_on', { status: answer?.status() ?? 0, state: (await rest(a, 'GET', '/users/@me/push')).body });
    await a.keyboard.press('Escape');

    // bob mutes #general for an hour from the bell in its header: the PATCH, then the channel dimmed.
    await b.locator('.chat-header').getByRole('button', { name: 'Notification settings' }).click();
    const menu = b.getByRole('menu', { name: 'Notification settings' });
    await menu.waitFor({ timeout: T });
    await b.screenshot({ path: join(ARTIFACTS, 'push-bell.png') });
    const [patched] = await Promise.all([
      b.waitForRequest((r) => r.url().endsWith(`/users/@me/guilds/${guild}/settings`) && r.method() === 'PATCH', { timeout: T }),
      menu.getByRole('menuitem', { name: 'Mute for 1 hour' }).click(),
    ]);
    const body = JSON.parse(patched.postData() ?? 'null');
    report('muted', body);
    const asked = body?.channel_overrides?.[general];
    check(asked?.muted === true && asked?.mute_config?.selected_time_window === 3600, `the PATCH mutes #general for an hour: ${JSON.stringify(body)}`);
    const end = Date.parse(asked.mute_config.end_time);
    check(Math.abs(end - (Date.now() + 3600_000)) < 120_000, `the mute ends in an hour: ${asked.mute_config.end_time}`);
    const entry = await (await patched.response()).json();
    const item = b.locator('.sidebar a.channel.channel-muted', { hasText: 'general' });
    await item.waitFor({ timeout: T });
    const label = await item.getAttribute('aria-label');
    check(label?.includes('muted'), `the sidebar says #general is muted: ${label}`);
    check(
      (await item.evaluate((el) => Number(getComputedStyle(el).opacity))) < 1,
      'the muted channel is dimmed',
    );
    await b.locator('.chat-header').getByRole('button', { name: 'Notification settings (muted)' }).click();
    await b.getByRole('menu', { name: 'Notification settings' }).getByText(/Muted until/).waitFor({ timeout: T });
    await b.screenshot({ path: join(ARTIFACTS, 'push-muted.png') });
    await b.keyboard.press('Escape');
    report('muted_dimmed', { label, entry: entry?.channel_overrides?.find((o) => o.channel_id === general) ?? null });

    // alice's tab goes to the background: the page says so (afk) and the server pushes from now on. Headless
    // Chromium reports every tab visible (behind another tab, minimized), so the test plays the browser's part:
    // visibilityState reads "hidden" and the visibilitychange event fires, as a real background tab does.
    const setVisibility = (state) =>
      a.evaluate((state) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    const visibility = await until('alice\'s spot tab to be hidden', async () => {
      const v = await a.evaluate(() => document.visibilityState);
      return v === 'hidden' ? v : null;
    });
    const away = await until('opcode 3 with afk: true', () => presenceFrames().find((d) => d.afk === true) ?? null);
    report('hidden', { visibility, presence: away });

    // While alice is away: a mention, a DM and a call, each of which should reach her push endpoint.
    const mentionId = await sendAndId(b, `<@${ids.alice}> are you there? (push test)`);
    report('mention_sent', { channel_id: general, message_id: mentionId });
    const dm = await rest(b, 'POST', '/users/@me/channels', { recipient_id: ids.alice });
    check(dm.status === 200, `bob opens a DM with alice: ${dm.status}`);
    const dmChannel = dm.body.id;
    await b.locator(`.sidebar .dm-list a.channel[aria-label^="alice ("]`).click();
    await b.locator('.chat.dm .chat-title', { hasText: 'alice' }).waitFor({ timeout: T });
    const dmId = await sendAndId(b, 'a direct message for the push test');
    report('dm_sent', { channel_id: dmChannel, message_id: dmId });
    await b.locator('.chat.dm').getByRole('button', { name: 'Start call' }).click();
    await b.locator('.dm-call').waitFor({ timeout: T });
    report('call_started', { channel_id: dmChannel });
    await sleep(3000);
    await b.locator('.dm-call').getByRole('button', { name: 'Leave call' }).click();
    await b.locator('.chat.dm').getByRole('button', { name: /Start call|Join call/ }).waitFor({ timeout: T });
    report('call_ended', { channel_id: dmChannel });

    // alice mutes #general (over REST: her tab is hidden), and a mention there must not be pushed.
    const muted = await rest(a, 'PATCH', `/users/@me/guilds/${guild}/settings`, {
      channel_overrides: { [general]: { muted: true, mute_config: { end_time: null, selected_time_window: -1 } } },
    });
    check(muted.status === 200, `alice mutes #general: ${muted.status} ${JSON.stringify(muted.body)}`);
    report('alice_muted', { channel_id: general, entry: muted.body });
    await until('alice\'s page to see the mute', () =>
      a.evaluate(() => !!document.querySelector('.sidebar a.channel.channel-muted')),
    );
    await openChannel(b, 'general');
    const quietId = await sendAndId(b, `<@${ids.alice}> this one is muted (push test)`);
    report('muted_mention_sent', { channel_id: general, message_id: quietId });
    // A DM after it is pushed: the driver sees it arrive next, so the muted mention sent nothing.
    await b.locator(`.sidebar .dm-list a.channel[aria-label^="alice ("]`).click();
    await b.locator('.chat.dm .chat-title', { hasText: 'alice' }).waitFor({ timeout: T });
    const afterId = await sendAndId(b, 'after the mute (push test)');
    report('dm_after_mute_sent', { channel_id: dmChannel, message_id: afterId });

    // Back in front: afk is cleared.
    const before = presenceFrames().length;
    await setVisibility('visible');
    await until('alice\'s tab to be visible', async () => (await a.evaluate(() => document.visibilityState)) === 'visible');
    const back = await until('opcode 3 with afk: false', () => presenceFrames().slice(before).find((d) => d.afk === false) ?? null);
    report('visible', { visibility: 'visible', presence: back });

    // The worker shows a push (delivered to it over CDP, as a push service would).
    const swCdp = cdp;
    const registrations = [];
    swCdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
    await swCdp.send('ServiceWorker.enable');
    const registration = await until('the worker\'s registration id', () =>
      registrations.find((r) => r.scopeURL === `${BASE}/` && !r.isDeleted) ?? null,
    ).catch(() => null);
    if (registration) {
      const payload = { kind: 'message', title: 'bob', body: 'delivered over CDP', tag: 'cdp-test', url: `/channels/${guild}/${general}/${quietId}`, icon: null, timestamp: Date.now() };
      await swCdp.send('ServiceWorker.deliverPushMessage', { origin: BASE, registrationId: registration.registrationId, data: JSON.stringify(payload) });
      const shown = await until('the worker to show the notification', () =>
        a.evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration('/');
          const list = (await reg?.getNotifications({ tag: 'cdp-test' })) ?? [];
          return list.length ? list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })) : null;
        }),
        T,
      ).catch((e) => [{ error: String(e) }]);
      report('sw_push', shown);
    } else {
      report('sw_push', [{ error: 'no service worker registration found over CDP' }]);
    }

    // Offline: the page reloads from the worker and shows #general as last loaded, with the banner.
    await openChannel(a, 'general');
    await message(a, 'this one is muted (push test)').waitFor({ timeout: T });
    await until('the saved view to hold the last message', () =>
      a.evaluate(async ([id, quietId]) => {
        const found = await (await caches.open(`spot-data-${id}`)).match('/__spot/view.json');
        const view = found ? await found.json() : null;
        return !!view?.messages?.some((m) => m.id === quietId);
      }, [ids.alice, quietId]),
    );
    await alice.context.setOffline(true);
    await a.reload({ waitUntil: 'domcontentloaded' });
    const banner = a.locator('.banner', { hasText: 'showing what was last loaded' });
    await banner.waitFor({ timeout: 2 * T });
    await message(a, 'this one is muted (push test)').waitFor({ timeout: T });
    await a.screenshot({ path: join(ARTIFACTS, 'push-offline.png') });
    report('offline', { banner: await banner.textContent(), message: true });
    await alice.context.setOffline(false);
    await a.locator('.banner').waitFor({ state: 'detached', timeout: 3 * T });

    // Logging out: the push subscription goes first, then every cache of private data.
    const out = await openSettingsTab(a, 'Notifications');
    await out.getByRole('button', { name: 'Turn off on this device' }).waitFor({ timeout: T });
    const [deleted] = await Promise.all([
      a.waitForRequest((r) => r.url().endsWith('/api/v10/users/@me/push') && r.method() === 'DELETE', { timeout: T }),
      a.waitForURL(/\/login/, { timeout: 2 * T }),
      a.getByRole('button', { name: 'Log out', exact: true }).click(),
    ]);
    const left = await a.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('spot-data-') || n.startsWith('spot-page-')));
    check(left.length === 0, `private caches left after logout: ${left.join(', ')}`);
    report('logged_out', { push_deleted: !!deleted, caches: left });

    check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
    report('done');
  } catch (error) {
    for (const [i, context] of browser.contexts().entries()) {
      for (const [j, page] of context.pages().entries()) {
        await page.screenshot({ path: join(ARTIFACTS, `push-failure-${i}-${j}.png`) }).catch(() => undefined);
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
