// The README's picture of the monitor page: opens the page of a running collector (the demo:
// `java -jar target/lustre-collector.jar --demo`), waits for the map and the first traps, opens
// the details of the first target not responding, and saves the top of the page.
//
//   node it/browser/demo-screenshot.mjs URL OUT.png [--wait SECONDS] [--chromium PATH]
import { chromium } from 'playwright-core';
import { cliOptions } from './cli.mjs';

const opts = cliOptions(process.argv.slice(2), { wait: '20', chromium: process.env.CHROMIUM || '/usr/bin/chromium' },
  ['url', 'out'], 'node demo-screenshot.mjs URL OUT.png [--wait SECONDS]');
const { url, out } = opts;
const browser = await chromium.launch({ executablePath: opts.chromium, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1150 }, locale: 'en-US' }))
    .newPage();
  await page.goto(url);
  await page.waitForFunction(() => Number(document.body.dataset.mapTargets || 0) > 0, null, { timeout: 60000 });
  await page.waitForTimeout(Number(opts.wait) * 1000);
  const down = await page.locator('#down-list li[data-node]').first().getAttribute('data-node').catch(() => null);
  if (down) {
    const box = await page.evaluate((n) => document.getElementById('target-map').cellBox(n), down);
    const map = await page.locator('#target-map').boundingBox();
    await page.mouse.click(map.x + box.x + box.size / 2, map.y + box.y + box.size / 2);
    await page.waitForFunction((n) => document.getElementById('node-details').dataset.node === n, down);
    await page.mouse.move(map.x + box.x + box.size / 2, map.y + box.y + box.size / 2);
  }
  await page.screenshot({ path: out });
  console.log('screenshot: ' + out + (down ? ' (details of ' + down + ')' : ''));
} finally {
  await browser.close();
}
