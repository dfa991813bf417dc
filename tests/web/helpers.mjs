// Shared pieces of the browser tests (tests/web/chat.spec.mjs, dm.spec.mjs): configuration from the environment, step
// reports, the users' browser contexts (with script-injection detectors), and helpers that act like a person.
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

export async function open(browser, username, password, { routed = false, phone = false } = {}) {
  const size = phone ? PHONE : { viewport: { width: 1280, height: 800 } };
  const context = await browser.newContext({ ...size, colorScheme: 'dark' });
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
