// The web client with the LiveKit voice backend, for tests/it/web_voice.rs. No LiveKit server can run here, so
// Playwright stands in for its WebSocket: joining the Lounge must load livekit-client on demand and open the
// LiveKit signaling socket at the configured URL with the access token spot issued (the Rust side verifies it);
// when that server then goes away, the client says it is reconnecting instead of pretending to be connected.
// (Playwright's routing replaces the page's WebSocket, so the CSP for that URL is checked by the Rust side.)
// Environment: SPOT_URL, SPOT_CHROMIUM.
import { BASE, T, chromium, report } from './helpers.mjs';

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.SPOT_CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    ],
  });
  try {
    const context = await browser.newContext();
    const opened = [];
    await context.routeWebSocket(/\/rtc/, (ws) => {
      opened.push(ws.url());
      ws.close({ code: 1011, reason: 'no LiveKit here' });
    });
    const violations = [];
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (/Content Security Policy/.test(msg.text())) violations.push(msg.text());
    });
    await page.goto(`${BASE}/login`);
    await page.fill('input[name=username]', 'alice');
    await page.fill('input[name=password]', 'alice password 1');
    await page.click('button[type=submit]');
    await page.waitForSelector('.composer textarea', { timeout: 2 * T });
    const chunks = [];
    page.on('request', (r) => {
      if (/\/assets\/chunk\./.test(r.url())) chunks.push(r.url());
    });
    await page.locator('.sidebar a.channel', { hasText: 'Lounge' }).click();
    const deadline = Date.now() + 2 * T;
    while (opened.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (opened.length === 0) throw new Error(`livekit-client never connected; CSP: ${violations.join(' | ')}`);
    if (chunks.length === 0) throw new Error('livekit-client was not loaded on demand');
    report('livekit_url', opened[0]);
    await page.locator('.voice-panel [data-status="reconnecting"]').waitFor({ timeout: 2 * T });
    if (violations.length) throw new Error(`CSP violations: ${violations.join(' | ')}`);
    report('done');
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.log(JSON.stringify({ error: String(error?.stack ?? error) }));
  process.exit(1);
});
