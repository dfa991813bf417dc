// The browser test's scenarios beyond plain chatting (tests/web/chat.spec.mjs runs them in order): unread
// state, history scrolling, search, settings, a network blip, XSS payloads and screenshots.
import { join } from 'node:path';
import { gradientPng } from './png.mjs';
import { ARTIFACTS, HISTORY_COUNT, T, check, gateway, message, openChannel, pwned, report, send } from './helpers.mjs';

/** Cuts bob's gateway connection; his client must RESUME on a new one and get what was sent meanwhile. */
export async function blip(a, b) {
  const { ws, server } = gateway.routes[gateway.routes.length - 1];
  const before = gateway.frames.length;
  await server.close({ code: 1006, reason: 'blip' }).catch(() => undefined);
  await ws.close({ code: 4000, reason: 'blip' });
  await send(a, 'sent during the blip');
  await message(b, 'sent during the blip').waitFor({ timeout: 30_000 });
  const later = gateway.frames.slice(before);
  const sent = later.filter((f) => f.to === 'server').map((f) => JSON.parse(f.frame));
  const received = later.filter((f) => f.to === 'page').map((f) => JSON.parse(f.frame));
  check(sent.some((f) => f.op === 6 && f.d.token === '' && f.d.session_id), 'the client sent RESUME');
  check(!sent.some((f) => f.op === 2), 'the client did not identify again');
  check(received.some((f) => f.t === 'RESUMED'), 'the server resumed the session');
  await b.locator('.banner').waitFor({ state: 'detached', timeout: T });
  report('resumed');
}

export async function unread(a, b) {
  await openChannel(b, 'history');
  await send(a, '@bob are you there? #general is quiet');
  const general = b.locator('.sidebar a.channel', { hasText: 'general' });
  await general.locator('.badge', { hasText: '1' }).waitFor({ timeout: T });
  check(await general.evaluate((el) => el.classList.contains('unread')), 'general shows as unread');
  await openChannel(b, 'general');
  const mention = message(b, 'are you there?');
  await mention.waitFor({ timeout: T });
  check(await mention.evaluate((el) => el.classList.contains('mentioned')), 'the mention is highlighted');
  check((await mention.locator('.mention').first().innerText()) === '@bob', 'the @mention resolves to a name');
  check((await mention.locator('a.mention').innerText()) === '#general', 'the #channel link resolves');
  const divider = await b.locator('.chat .row', { has: b.locator('.divider.unread') }).getAttribute('data-id');
  check(divider === (await mention.evaluate((el) => el.closest('.row').dataset.id)), 'the new-messages divider is above it');
  await general.locator('.badge').waitFor({ state: 'detached', timeout: T });
  report('unread');
}

export async function history(page) {
  // Time from the click to the newest message on screen, measured in the page.
  const last = `history message ${HISTORY_COUNT - 1}`;
  const openMs = await page.evaluate(
    (text) =>
      new Promise((resolve) => {
        const started = performance.now();
        const seen = () => [...document.querySelectorAll('.chat .content')].some((el) => el.textContent === text);
        const observer = new MutationObserver(() => {
          if (seen()) {
            observer.disconnect();
            resolve(Math.round(performance.now() - started));
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
        [...document.querySelectorAll('.sidebar a.channel')].find((a) => a.textContent.includes('history')).click();
      }),
    last,
  );
  console.log(JSON.stringify({ metrics: { open_channel_ms: openMs } }));
  await message(page, last).waitFor({ timeout: T });
  const scroller = page.locator('.chat .scroller');
  // Scroll up page by page; each time older messages load above, what was on screen must not move.
  let maxShift = 0;
  for (let i = 0; i < 60; i++) {
    if (await page.getByText('Welcome to #history!').isVisible()) break;
    const before = await scroller.evaluate((el) => {
      const rows = [...el.querySelectorAll('.row[data-id]')];
      const box = el.getBoundingClientRect();
      const first = rows.find((r) => r.getBoundingClientRect().bottom > box.top + 10);
      return { id: first.dataset.id, top: first.getBoundingClientRect().top, count: rows.length, scrollTop: el.scrollTop };
    });
    await scroller.evaluate((el) => el.scrollBy(0, -el.clientHeight * 0.9));
    await page.waitForTimeout(120);
    const after = await scroller.evaluate((el, id) => {
      const row = el.querySelector(`.row[data-id="${id}"]`);
      return row ? row.getBoundingClientRect().top : null;
    }, before.id);
    if (after !== null) {
      // Near the top the browser clamps the scroll at 0: the row moves only as far as the scroller could.
      const scrolled = Math.min(before.scrollTop, await scroller.evaluate((el) => el.clientHeight * 0.9));
      maxShift = Math.max(maxShift, Math.abs(after - before.top - scrolled));
    }
    check(before.count < 150, `only visible rows are in the DOM (saw ${before.count})`);
  }
  await message(page, 'history message 0').waitFor({ timeout: T });
  check(maxShift < 4, `content jumped by ${maxShift}px while history loaded`);
  report('history');
}

export async function search(page) {
  await page.getByRole('searchbox', { name: 'Search messages' }).fill('42');
  await page.getByRole('searchbox', { name: 'Search messages' }).press('Enter');
  await openChannel(page, 'general');
  const result = page.locator('.panel .result', { hasText: 'history message 42' });
  await result.waitFor({ timeout: T });
  await result.click();
  await page.waitForSelector('.chat-title:has-text("history")', { timeout: T });
  await page.locator('.chat article.msg.highlight', { hasText: 'history message 42' }).waitFor({ timeout: T });
  await page.keyboard.press('Escape');
  // The jump loaded history around message 42; the newest messages come back with "jump to present".
  await page.getByRole('button', { name: /Jump to present/ }).click();
  await message(page, `history message ${HISTORY_COUNT - 1}`).waitFor({ timeout: T });
  report('search');
}

/** Landmarks, names for every control, and keyboard reach: the composer, then messages with arrow keys. */
export async function accessibility(page) {
  const found = await page.evaluate(() => {
    const named = (el) =>
      (el.getAttribute('aria-label') || el.textContent || el.getAttribute('title') || '').trim().length > 0 ||
      (el.id && document.querySelector(`label[for="${el.id}"]`)) ||
      el.closest('label');
    return {
      landmarks: ['nav', 'main', 'aside'].filter((tag) => document.querySelector(`#app ${tag}`)).length,
      unnamedButtons: [...document.querySelectorAll('#app button')].filter((b) => !named(b)).map((b) => b.outerHTML.slice(0, 80)),
      unnamedInputs: [...document.querySelectorAll('#app input:not([type=hidden]), #app textarea')]
        .filter((i) => !named(i) && !i.hidden)
        .map((i) => i.outerHTML.slice(0, 80)),
    };
  });
  check(found.landmarks === 3, `navigation, main and complementary landmarks (found ${found.landmarks})`);
  check(found.unnamedButtons.length === 0, `unnamed buttons: ${found.unnamedButtons.join(' ')}`);
  check(found.unnamedInputs.length === 0, `unnamed inputs: ${found.unnamedInputs.join(' ')}`);
  // From the composer, Shift+Tab reaches the message list; arrows move between messages; a focused message
  // shows its actions.
  await page.locator('.chat .composer textarea').focus();
  let onMessage = false;
  for (let i = 0; i < 40 && !onMessage; i++) {
    await page.keyboard.press('Shift+Tab');
    onMessage = await page.evaluate(() => document.activeElement?.matches('article.msg') ?? false);
  }
  check(onMessage, 'a message is reachable with the keyboard');
  const first = await page.evaluate(() => document.activeElement.closest('.row').dataset.id);
  await page.keyboard.press('ArrowUp');
  const second = await page.evaluate(() => document.activeElement.closest('.row')?.dataset.id);
  check(second && second !== first, 'ArrowUp moves to the previous message');
  check(await page.evaluate(() => getComputedStyle(document.activeElement.querySelector('.toolbar')).display !== 'none'), 'a focused message shows its actions');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  check(outline !== 'none', 'focus is visible');
  report('a11y');
}

export async function settings(a, b) {
  await b.getByRole('button', { name: 'User settings' }).click();
  const dialog = b.getByRole('dialog', { name: 'User settings' });
  await dialog.getByLabel('Display name').fill('Bobby Tables');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await dialog.getByText('Saved.').waitFor({ timeout: T });
  await dialog.locator('input[type=file]').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: gradientPng(96, 96) });
  await b.locator('.user-panel .avatar img').waitFor({ timeout: T });
  await dialog.getByRole('tab', { name: 'Appearance' }).click();
  await dialog.getByLabel('Light').check();
  check((await b.evaluate(() => document.documentElement.dataset.theme)) === 'light', 'the light theme applies');
  await dialog.getByLabel('Sync with system').check();
  await dialog.getByRole('tab', { name: 'Sessions' }).click();
  await dialog.getByText('This browser').waitFor({ timeout: T });
  await b.keyboard.press('Escape');
  await a.locator('.members .member', { hasText: 'Bobby Tables' }).locator('.avatar img').waitFor({ timeout: T });
  await message(a, 'hi alice, replying').locator('.author', { hasText: 'Bobby Tables' }).waitFor({ timeout: T });
  report('settings');
}

const PAYLOADS = [
  '<img src=x onerror="__pwned(\'img\')">',
  '<script>__pwned("script")</script>',
  '"><svg onload="__pwned(\'svg\')">',
  '[click me](javascript:__pwned("mdlink"))',
  '[x](https://example.com/"onmouseover="__pwned(\'attr\'))',
  '<a href="javascript:__pwned(\'a\')">a link</a>',
  '<iframe srcdoc="<script>parent.__pwned(\'iframe\')</script>"></iframe>',
  'javascript:__pwned("bare")',
  '`<img src=x onerror=__pwned("code")>` and ||<img src=x onerror=__pwned("spoiler")>||',
  '```html\n<img src=x onerror=__pwned("block")>\n```',
  '> <img src=x onerror=__pwned("quote")>',
];

export async function xss(a, b) {
  await openChannel(b, 'general');
  // A display name and a file name carrying markup too.
  const renamed = await b.evaluate(async () => {
    const csrf = document.cookie.split('; ').find((c) => c.startsWith('spot_csrf=')).split('=')[1];
    const response = await fetch('/api/v10/users/@me', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ global_name: '<img src=x onerror=__pwned(9)>' }),
    });
    return response.status;
  });
  check(renamed === 200, `display name change answered ${renamed}`);
  await b.locator('.chat .composer input[type=file]').setInputFiles({
    name: '"><img src=x onerror=__pwned(7)>.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('just text'),
  });
  await send(b, 'a file with a strange name');
  for (const payload of PAYLOADS) await send(b, payload);
  await message(a, 'onerror=__pwned("quote")').waitFor({ timeout: T });
  await message(a, 'a file with a strange name').locator('.attachment.file').waitFor({ timeout: T });
  await a.waitForTimeout(500);
  for (const row of await a.locator('.chat article.msg').all()) await row.hover();
  const found = await a.evaluate(() => ({
    dangerous: document.querySelectorAll('#app img[src="x"], #app script, #app svg:not(.icon-svg), #app iframe').length,
    handlers: [...document.querySelectorAll('#app *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    badLinks: [...document.querySelectorAll('#app a[href]')].filter((l) => !/^(https?:|\/)/.test(l.getAttribute('href'))).length,
    text: document.querySelector('.chat').innerText,
  }));
  check(found.dangerous === 0, `${found.dangerous} elements were created from user text`);
  check(found.badLinks === 0, `${found.badLinks} links with unsafe schemes`);
  check(found.handlers === 0, `${found.handlers} elements carry event-handler attributes`);
  check(found.text.includes('<img src=x onerror="__pwned(\'img\')">'), 'the payload shows as text');
  check(found.text.includes('<img src=x onerror=__pwned(9)>'), 'the display name shows as text');
  check(pwned.length === 0, `script ran: ${pwned.join(', ')}`);
  report('xss');
}

/** Dark, light and phone-width pictures of #general, named `<prefix>-<variant>.png`. */
export async function screenshots(page, prefix) {
  await openChannel(page, 'general');
  await page.locator('.chat .scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.mouse.move(0, 0);
  await page.waitForTimeout(200);
  const shot = (name) => page.screenshot({ path: join(ARTIFACTS, `${prefix}-${name}.png`) });
  await shot('dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot('light');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  await shot('phone');
  await page.getByRole('button', { name: 'Show channels' }).click();
  await page.locator('.sidebar.open').waitFor({ timeout: T });
  await page.waitForTimeout(300);
  await shot('phone-channels');
  await page.keyboard.press('Escape');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 1280, height: 800 });
}
