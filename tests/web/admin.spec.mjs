// The admin panel in Chromium: the admin creates an account through the panel's form, the new member logs in
// through the login page and reaches the chat, and is refused the panel; a channel named like an XSS payload,
// created in the panel, stays text in the panel and in the chat. Screenshots of each section for a person to
// look at. One JSON line per step (see tests/it/web_client.rs).
import { chromium, BASE, ARTIFACTS, T, report, pwned, check } from './helpers.mjs';

const ADMIN = process.env.SPOT_ADMIN;
const ADMIN_PASSWORD = process.env.SPOT_ADMIN_PASSWORD;
const PAYLOAD = '<img src=x onerror=__pwned("admin-channel")>';

async function context(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await ctx.newPage();
  await page.exposeFunction('__pwned', (label) => pwned.push(label));
  page.on('dialog', async (dialog) => {
    pwned.push(`dialog ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return { ctx, page };
}

async function login(page, username, password) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

const browser = await chromium.launch({
  executablePath: process.env.SPOT_CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const admin = await context(browser);
  await login(admin.page, ADMIN, ADMIN_PASSWORD);
  await admin.page.waitForSelector('.composer textarea', { timeout: 2 * T });
  await admin.page.goto(`${BASE}/admin/users`);
  await admin.page.fill('input[name=username]', 'dora');
  await admin.page.fill('input[name=password]', 'dora password 1');
  await admin.page.click('form[action="/admin/users"] button[type=submit]');
  await admin.page.waitForSelector('.notice:has-text("Account created.")', { timeout: T });
  check(await admin.page.locator('td strong', { hasText: 'dora' }).count() === 1, 'dora is listed');
  await admin.page.screenshot({ path: `${ARTIFACTS}/admin-users.png`, fullPage: true });
  report('admin_created_user');

  const dora = await context(browser);
  await login(dora.page, 'dora', 'dora password 1');
  await dora.page.waitForSelector('.composer textarea', { timeout: 2 * T });
  report('new_user_logged_in');
  const refused = await dora.page.goto(`${BASE}/admin/users`);
  check(refused.status() === 403, `a member gets ${refused.status()} from the panel`);
  check(await dora.page.locator('form[action="/admin/users"]').count() === 0, 'no admin form for members');
  report('member_refused');

  await admin.page.goto(`${BASE}/admin/channels`);
  await admin.page.fill('form[action="/admin/channels"] input[name=name]', PAYLOAD);
  await admin.page.click('form[action="/admin/channels"] button[type=submit]');
  await admin.page.waitForSelector('.notice:has-text("Channel created.")', { timeout: T });
  check(await admin.page.locator(`input[value='${PAYLOAD}']`).count() === 1, 'the name is shown as a value');
  await admin.page.screenshot({ path: `${ARTIFACTS}/admin-channels.png`, fullPage: true });
  await dora.page.goto(`${BASE}/`);
  await dora.page.waitForSelector('.composer textarea', { timeout: 2 * T });
  await dora.page.locator('.sidebar a.channel', { hasText: 'onerror' }).first().waitFor({ timeout: T });
  check(await dora.page.locator('img[src=x]').count() === 0, 'no element came from the channel name');
  report('xss_inert');

  for (const section of ['invites', 'roles', 'bots', 'settings', 'audit']) {
    await admin.page.goto(`${BASE}/admin/${section}`);
    await admin.page.screenshot({ path: `${ARTIFACTS}/admin-${section}.png`, fullPage: true });
  }
  await admin.page.setViewportSize({ width: 390, height: 800 });
  await admin.page.goto(`${BASE}/admin/users`);
  await admin.page.screenshot({ path: `${ARTIFACTS}/admin-phone.png`, fullPage: true });
  report('screenshots');

  check(pwned.length === 0, `script ran: ${pwned.join('; ')}`);
  report('done');
} finally {
  await browser.close();
}
