// Link previews in the browser: a posted link grows a card (title, site, description, large image), the image
// comes from spot's proxy and the page never contacts the linked site; a direct image link shows the image,
// a video link offers "Play" and loads nothing until clicked. One JSON line per step.
import { chromium, BASE, ARTIFACTS, T, report, check, send } from './helpers.mjs';

const FIXTURE = process.env.SPOT_FIXTURE;
const USER = process.env.SPOT_USER;
const PASSWORD = process.env.SPOT_PASSWORD;

const browser = await chromium.launch({
  executablePath: process.env.SPOT_CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const contacted = [];
  page.on('request', (request) => {
    if (request.url().startsWith(FIXTURE)) contacted.push(request.url());
  });
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', USER);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('.composer textarea', { timeout: 2 * T });

  await send(page, `have a look: ${FIXTURE}/article`);
  const card = page.locator('.embed', { hasText: 'A "fixture" article' });
  await card.waitFor({ timeout: T });
  check(await card.locator('.embed-provider').innerText() === 'Fixture & Co', 'site name');
  check((await card.locator('.embed-description').innerText()).startsWith('It has a description'), 'description');
  const image = card.locator('img.embed-image');
  await image.waitFor({ timeout: T });
  check((await image.getAttribute('src')).startsWith('/external/'), 'the image comes from the proxy');
  await page.waitForFunction((img) => img.complete && img.naturalWidth === 1200, await image.elementHandle(), { timeout: T });
  report('card');

  await send(page, `${FIXTURE}/photo.png and ${FIXTURE}/clip.mp4`);
  const bare = page.locator('.embed.embed-bare img.embed-image').last();
  await bare.waitFor({ timeout: T });
  check((await bare.getAttribute('src')).startsWith('/external/'), 'the photo comes from the proxy');
  const play = page.getByRole('button', { name: 'Play clip.mp4' });
  await play.waitFor({ timeout: T });
  check(contacted.length === 0, `the page contacted the linked site: ${contacted.join(', ')}`);
  report('private');
  await page.screenshot({ path: `${ARTIFACTS}/previews.png` });
  await play.click();
  await page.locator('video.embed-video').waitFor({ timeout: T });
  check(contacted.some((u) => u.endsWith('/clip.mp4')), 'the video loads after "Play"');
  report('play');
  report('done');
} finally {
  await browser.close();
}
