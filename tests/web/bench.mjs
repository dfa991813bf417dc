// Measures the web client on a big channel, for the ignored test `web_client::web_client_ten_thousand_messages`:
// how long opening it takes, and what scrolling from the newest message back to the first costs (time, rows in
// the page, long tasks). Prints {"metrics": {...}} then {"done": true}. Environment as for chat.spec.mjs, plus
// SPOT_BIG_CHANNEL (its name).
import { check, chromium, open, report } from './helpers.mjs';

const NAME = process.env.SPOT_BIG_CHANNEL;

const browser = await chromium.launch({
  executablePath: process.env.SPOT_CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const { page } = await open(browser, 'alice', 'alice password 1');
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ entryTypes: ['longtask'] });
  });
  const openMs = await page.evaluate(
    (name) =>
      new Promise((resolve) => {
        const started = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector('.chat-title')?.textContent.includes(name) && document.querySelector('.chat article.msg')) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(Math.round(performance.now() - started)));
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
        [...document.querySelectorAll('.sidebar a.channel')].find((a) => a.textContent.includes(name)).click();
      }),
    NAME,
  );
  const scroller = page.locator('.chat .scroller');
  const started = Date.now();
  let maxRows = 0;
  let steps = 0;
  while (!(await page.getByText(`Welcome to #${NAME}!`).isVisible())) {
    check(Date.now() - started < 600_000, 'scrolling to the first message took over 10 minutes');
    await scroller.evaluate((el) => el.scrollBy(0, -el.clientHeight * 3));
    await page.waitForTimeout(16);
    maxRows = Math.max(maxRows, await page.locator('.chat .row').count());
    steps++;
  }
  const scrollMs = Date.now() - started;
  const longTasks = await page.evaluate(() => window.__longTasks);
  console.log(
    JSON.stringify({
      metrics: {
        open_channel_ms: openMs,
        scroll_to_first_ms: scrollMs,
        scroll_steps: steps,
        max_rows_in_page: maxRows,
        long_tasks: longTasks.length,
        longest_task_ms: Math.round(Math.max(0, ...longTasks)),
      },
    }),
  );
  report('done');
} catch (error) {
  report('error', String(error?.stack ?? error));
  process.exitCode = 1;
} finally {
  await browser.close();
}
