// Drives headless Chromium (Debian's /usr/bin/chromium through playwright-core; no browser is downloaded)
// through the steps given as JSON in argv[2], against spot at SPOT_URL. Each `report` step prints one JSON line
// {"<name>": {url, status, text}}; failures print {"error": …}. Steps:
//   {"goto": "/login"}                    relative to SPOT_URL, or absolute
//   {"click": "<playwright selector>"}     and wait for the navigation it causes to settle
//   {"fill": ["<selector>", "value"]}
//   {"wait_url": "<regex>"}
//   {"wait_for": "<selector>"}             e.g. the web client's composer, once the app has loaded
//   {"report": "name"}                     the page: URL, last main-frame status, visible text
//   {"cookies": "name", "origin": "…"}      the browser's cookies for SPOT_URL, or for another origin

import { chromium } from 'playwright-core';

const base = process.env.SPOT_URL;
const steps = JSON.parse(process.argv[2]);
const out = (value) => console.log(JSON.stringify(value));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  let status = null;
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) status = response.status();
  });
  const cookies = async (origin) => Object.fromEntries((await context.cookies(origin)).map((c) => [c.name, c.value]));
  for (const step of steps) {
    if (step.goto) {
      await page.goto(new URL(step.goto, base).href);
    } else if (step.click) {
      await Promise.all([page.waitForLoadState('load'), page.click(step.click)]);
      await page.waitForLoadState('load');
    } else if (step.fill) {
      await page.fill(step.fill[0], step.fill[1]);
    } else if (step.wait_url) {
      await page.waitForURL(new RegExp(step.wait_url));
      await page.waitForLoadState('load');
    } else if (step.wait_for) {
      await page.waitForSelector(step.wait_for);
    } else if (step.report) {
      out({ [step.report]: { url: page.url(), status, text: await page.innerText('body') } });
    } else if (step.cookies) {
      out({ [step.cookies]: await cookies(step.origin || base) });
    } else {
      throw new Error(`unknown step ${JSON.stringify(step)}`);
    }
  }
  out({ done: true });
} catch (error) {
  out({ error: String(error && error.stack || error) });
  process.exitCode = 1;
} finally {
  await browser.close();
}
