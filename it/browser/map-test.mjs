// The target map at site scale in a real browser: a real collector over a simulated tree of
// 100 file systems and 100,000 OSTs, Debian's chromium headless, driven by playwright-core.
//
//   node it/browser/map-test.mjs URL TREE_DIR [--jar PATH] [--java PATH] [--screenshot PATH]
//                                [--fs NAME] [--from N] [--count N]
//
// Checks that every target is drawn, measures what one refresh costs the browser (main-thread
// task time from the DevTools Performance metrics, and the page's own render time), takes a
// block of consecutive OSTs of one file system down at once (`simulate --down` for each, in one
// call, as a router failure in front of them would), then checks in a screenshot that the block
// shows: the pixels of those cells have the not-responding colour, their neighbours do not. A
// click on one of them shows its details and its trap. Exit 0 when every check passed.
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { cliOptions } from './cli.mjs';

const opts = cliOptions(process.argv.slice(2), { jar: 'target/lustre-collector.jar', java: 'java', screenshot: 'target/it/web-monitor-100k.png',
  chromium: process.env.CHROMIUM || '/usr/bin/chromium', fs: 'fs37', from: '300', count: '200' }, ['url', 'tree'],
  'node map-test.mjs URL TREE_DIR [--jar PATH] [--java PATH] [--screenshot PATH]');
const { url, tree } = opts;
const from = Number(opts.from);
const count = Number(opts.count);
const step = (what) => console.log('- ' + what);
const check = (condition, message) => {
  if (!condition) {
    throw new Error(message);
  }
};
const hex4 = (n) => n.toString(16).padStart(4, '0');
const ost = (fs, i) => fs + '-OST' + hex4(i);

// The states' colours, as targetmap.js draws them (a cell too small for a pattern is plain).
const RESPONDING = [0xc9, 0xe4, 0xf2];
const DOWN = [0xd5, 0x5e, 0x00];

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const problems = [];
let page;
try {
  // Tall enough for the whole map in the viewport: a screenshot then shows every cell as drawn.
  const context = await browser.newContext({ viewport: { width: 1400, height: 2400 }, screen: { width: 1400,
    height: 1000 }, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(120000);
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push('console: ' + m.text());
    }
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  await page.goto(url);

  // Every target drawn, once the collector's sweep has read every OST's import state.
  const started = Date.now();
  await page.waitForFunction(() => Number(document.body.dataset.mapTargets || 0) >= 100000
    && !/unknown/.test(document.getElementById('map-count').textContent), null, { timeout: 240000, polling: 500 });
  const drawn = Number(await page.evaluate(() => document.body.dataset.mapTargets));
  check(drawn === 100100, 'targets drawn: ' + drawn);
  const layout = await page.locator('#target-map').getAttribute('data-layout');
  step('100,100 targets drawn (' + layout + '), every state known after ' +
    Math.round((Date.now() - started) / 1000) + ' s');

  // One refresh at 100,000 targets: main-thread task time over a few rounds (polling, decoding
  // the answers, rendering), from the DevTools Performance domain.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics
    .map((m) => [m.name, m.value]));
  const rounds = () => page.evaluate(() => Number(document.body.dataset.rounds));
  const r0 = await rounds();
  await page.waitForFunction((r) => Number(document.body.dataset.rounds) > r, r0);
  const m0 = await metrics();
  const r1 = await rounds();
  await page.waitForFunction((r) => Number(document.body.dataset.rounds) >= r + 3, r1);
  const m1 = await metrics();
  const n = (await rounds()) - r1;
  const perRound = (k) => ((m1[k] - m0[k]) * 1000 / n).toFixed(1);
  const render = await page.evaluate(() => document.body.dataset.renderMs);
  step(`one refresh at 100,000 targets (mean of ${n} rounds, nothing changed): main-thread tasks ` +
    `${perRound('TaskDuration')} ms, of which script ${perRound('ScriptDuration')} ms, layout ` +
    `${perRound('LayoutDuration')} ms; render ${render} ms; JS heap ${(m1.JSHeapUsedSize / 1048576).toFixed(1)} MiB`);

  // A block of consecutive OSTs of one file system goes down at once.
  const args = [];
  for (let i = from; i < from + count; i++) {
    args.push('--down', opts.fs + ':' + i);
  }
  const t0 = Date.now();
  execFileSync(opts.java, ['-jar', opts.jar, 'simulate', ...args, tree], { encoding: 'utf8' });
  const mt0 = await metrics();
  const rt0 = await rounds();
  await page.waitForFunction((c) => new RegExp('\\b' + c + ' not responding').test(
    document.getElementById('map-count').textContent), count, { timeout: 120000, polling: 200 });
  const mt1 = await metrics();
  const roundsMeanwhile = (await rounds()) - rt0;
  step(`${count} OSTs of ${opts.fs} (${hex4(from)}-${hex4(from + count - 1)}) down: on the map ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s after the simulator started; map redrawn in ` +
    `${await page.evaluate(() => document.body.dataset.mapDrawMs)} ms; main-thread tasks ` +
    `${((mt1.TaskDuration - mt0.TaskDuration) * 1000 / Math.max(1, roundsMeanwhile)).toFixed(1)} ms a round ` +
    `over ${roundsMeanwhile} rounds`);

  mkdirSync(dirname(resolve(opts.screenshot)), { recursive: true });
  const shot = await page.screenshot({ path: opts.screenshot });
  step('screenshot: ' + resolve(opts.screenshot));

  // Read the screenshot's pixels back with the browser's own PNG decoder (a blank page: no CSP).
  const canvasBox = await page.locator('#target-map').boundingBox();
  const box = (name) => page.evaluate((n) => document.getElementById('target-map').cellBox(n), name);
  const centre = async (name) => {
    const b = await box(name);
    check(b, name + ' is not on the map');
    return [Math.round(canvasBox.x + b.x + b.size / 2 - 0.5), Math.round(canvasBox.y + b.y + b.size / 2 - 0.5)];
  };
  const down = [];
  for (let i = from; i < from + count; i += 7) {
    down.push(await centre(ost(opts.fs, i)));
  }
  down.push(await centre(ost(opts.fs, from + count - 1)));
  const up = [await centre(ost(opts.fs, from - 1)), await centre(ost(opts.fs, from + count)),
    await centre(ost(opts.fs, 0))];
  const otherFs = opts.fs === 'fs36' ? 'fs38' : 'fs36';
  for (let i = from; i < from + count; i += 50) {
    up.push(await centre(ost(otherFs, i)));
  }
  const first = await box(ost(opts.fs, from));
  const last = await box(ost(opts.fs, from + count - 1));
  const reader = await context.newPage();
  const pixels = await reader.evaluate(async ({ png, points, area }) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + png;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const at = ([x, y]) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
    // Pixels of the not-responding colour over the rows the block spans.
    const d = ctx.getImageData(area.x, area.y, area.w, area.h).data;
    let red = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === 0xd5 && d[i + 1] === 0x5e && d[i + 2] === 0x00) {
        red++;
      }
    }
    return { points: points.map(at), red };
  }, {
    png: shot.toString('base64'),
    points: [...down, ...up],
    area: { x: Math.round(canvasBox.x), y: Math.round(canvasBox.y + first.y),
      w: Math.round(canvasBox.width), h: Math.round(last.y - first.y + last.size) },
  });
  await reader.close();
  const same = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 2);
  const downPx = pixels.points.slice(0, down.length);
  const upPx = pixels.points.slice(down.length);
  check(downPx.every((p) => same(p, DOWN)), 'cells of the down block in the screenshot: ' + JSON.stringify(downPx));
  check(upPx.every((p) => same(p, RESPONDING)), 'cells around the block: ' + JSON.stringify(upPx));
  const cell = first.size >= 4 ? first.size - 1 : first.size;
  check(pixels.red >= count * cell * cell * 0.95, 'pixels of the down colour in the block\'s rows: ' + pixels.red);
  step(`screenshot pixels: ${downPx.length} sampled cells of the block have the not-responding colour, ` +
    `${upPx.length} around it and in ${otherFs} the responding one; ${pixels.red} not-responding pixels ` +
    `in the block's rows (${count} cells of ${cell}x${cell})`);

  // A click on one cell of the block shows that OST's details, with its trap.
  const target = ost(opts.fs, from + 5);
  const b = await box(target);
  await page.locator('#target-map').click({ position: { x: b.x + b.size / 2, y: b.y + b.size / 2 } });
  await page.waitForFunction((n) => document.getElementById('node-details').dataset.node === n, target);
  const details = await page.locator('#node-details').textContent();
  check(/DISCONN/.test(details) && /not responding/.test(details) && /@o2ib\d/.test(details),
    'details of ' + target + ': ' + details);
  const traps = await page.locator('#node-details .node-traps').textContent();
  // Its own trap: the kernel log's "Connection ... was lost", and the scan's Critical "not
  // responding" unless the store folded it into the storm's aggregate (200 alike in a second).
  check(/Critical: .*not responding|Warning: .*Connection to .* was lost/.test(traps),
    'last traps of ' + target + ': ' + traps);
  step('click on ' + target + ': ' + details.replace(/\s+/g, ' ').slice(0, 300));

  check(problems.length === 0, 'browser problems:\n' + problems.join('\n'));
  console.log('map test passed');
} catch (e) {
  console.error('map test FAILED: ' + e.message);
  if (problems.length) {
    console.error(problems.join('\n'));
  }
  if (page) {
    const failed = opts.screenshot.replace(/\.png$/, '') + '-failed.png';
    mkdirSync(dirname(resolve(failed)), { recursive: true });
    await page.screenshot({ path: failed }).catch(() => {});
    console.error('screenshot of the failure: ' + resolve(failed));
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
