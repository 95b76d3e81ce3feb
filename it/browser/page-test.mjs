// The web monitor in a real browser: Debian's chromium, headless, driven by playwright-core.
//
//   node it/browser/page-test.mjs URL TREE_DIR [--jar PATH] [--java PATH] [--screenshot PATH]
//                                 [--pair URL2]
//
// URL is the page (http://127.0.0.1:PORT/), TREE_DIR the simulated Lustre tree the collector
// reads (started with --interval 1 --lustre-root TREE_DIR --trap-file TREE_DIR/traps.log
// --kmsg TREE_DIR/kmsg). The test appends traps to the trap file and takes an OST down with
// `java -jar JAR simulate --down`, and checks what the page shows. Exit 0 when every check
// passed, 1 otherwise (the reason on stderr). Writes a screenshot for people to look at.
//
// With --pair URL2 (a second collector over the same tree, as the two MDS of a pair see the
// same events), it then puts both behind a small reverse proxy as /mds1/ and /mds2/, the way
// Apache httpd publishes them, opens /mds1/?peer=/mds2/RPC2 and checks that each trap is shown
// once with both collectors named, and that the page goes on when mds2 stops answering.
import { appendFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { cliOptions } from './cli.mjs';

const TIMEOUT = 20000;

const opts = cliOptions(process.argv.slice(2), { jar: 'target/lustre-collector.jar', java: 'java',
  screenshot: 'target/it/web-monitor.png', chromium: process.env.CHROMIUM || '/usr/bin/chromium' }, ['url', 'tree'],
  'node page-test.mjs URL TREE_DIR [--jar PATH] [--java PATH] [--screenshot PATH]');
const run = Date.now().toString(36);
const step = (what) => console.log('- ' + what);

function appendTrap(id, category, fs, node, message) {
  const now = (Date.now() / 1000).toFixed(3);
  appendFileSync(resolve(opts.tree, 'traps.log'), [id, now, category, fs, node, message].join('\t') + '\n');
}

function simulate(...args) {
  const out = execFileSync(opts.java, ['-jar', opts.jar, 'simulate', ...args, opts.tree], { encoding: 'utf8' });
  step('simulate ' + args.join(' ') + ': ' + out.trim());
}

const row = (page, id) => page.locator(`#traps-table tbody tr[data-id="${id}"]`);
const cells = async (locator) => (await locator.locator('td').allTextContents()).map((s) => s.trim());

/** /mds1/... and /mds2/... to the two collectors; a name in `down` answers 502 like httpd would. */
// The proxy notes which XML-RPC methods each collector was asked (seen[name]), and answers
// system.multicall for the collectors in `old` with "unknown method", as a collector from before
// multicall would: the page must then ask its file systems one by one.
const OLD_COLLECTOR_FAULT = '<?xml version="1.0" encoding="UTF-8"?><methodResponse><fault><value><struct>' +
  '<member><name>faultCode</name><value><int>-32601</int></value></member><member><name>faultString</name>' +
  '<value><string>unknown method: system.multicall</string></value></member></struct></value></fault></methodResponse>';

function startProxy(targets, down, old, seen) {
  const server = http.createServer((req, res) => {
    const m = /^\/(mds[123])(\/.*)$/.exec(req.url);
    if (!m || down.has(m[1])) {
      res.writeHead(m ? 502 : 404).end();
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = /<methodName>([^<]*)<\/methodName>/.exec(body.toString('utf8'));
      if (method) {
        (seen[m[1]] ||= new Set()).add(method[1]);
        if (method[1] === 'system.multicall' && old.has(m[1])) {
          res.writeHead(200, { 'Content-Type': 'text/xml' }).end(OLD_COLLECTOR_FAULT);
          return;
        }
      }
      const target = new URL(targets[m[1]]);
      const headers = { ...req.headers, host: target.host, 'content-length': body.length };
      delete headers['transfer-encoding']; // the body goes on whole
      const upstream = http.request({ host: target.hostname, port: target.port, path: m[2], method: req.method,
        headers }, (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const problems = [];
let page;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  // A CSP violation or a script error is a failure: the page must run with no inline script at all.
  page.on('console', (m) => {
    if (m.type() === 'error') {
      problems.push('console: ' + m.text());
    }
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));

  const response = await page.goto(opts.url);
  check(response.status() === 200, 'page answered ' + response.status());
  const csp = response.headers()['content-security-policy'] || '';
  check(csp.includes("script-src 'self'") && csp.includes("frame-ancestors 'none'"), 'CSP header: ' + csp);
  step('page loaded with CSP: ' + csp);

  await page.waitForFunction(() => Number(document.body.dataset.rounds || 0) >= 1);
  await page.locator('#collectors .collector.up').first().waitFor();
  await page.locator('#fs-table tbody tr').nth(1).waitFor();
  const fsNames = await page.locator('#fs-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.fs));
  check(fsNames.length >= 2, 'file systems shown: ' + fsNames);
  const [fs, other] = fsNames;
  step('file systems: ' + fsNames.join(', '));
  const header = await page.locator('#collectors').textContent();
  check(/last scan/.test(header) && /traps received/.test(header) && /dropped/.test(header), 'header: ' + header);

  // A trap appended to the trap file shows up, with its category, file system, node and message.
  const critical = 'web-' + run + '-crit';
  const info = 'web-' + run + '-info';
  const hostile = 'web-' + run + '-html';
  appendTrap(critical, 'Critical', fs, fs + '-OST0003', 'disk enclosure fault on shelf 2');
  appendTrap(info, 'Info', other, other + '-OST0001', 'recovery over after 12 s');
  appendTrap(hostile, 'Warning', fs, fs + '-OST0002', '<img src=x id=injected> & <b>bold</b>');
  await row(page, critical).waitFor();
  await row(page, info).waitFor();
  await row(page, hostile).waitFor();
  const c = await cells(row(page, critical));
  check(c[1] === 'Critical' && c[2] === fs && c[3] === fs + '-OST0003'
    && c[4] === 'disk enclosure fault on shelf 2', 'critical trap row: ' + c);
  check(await row(page, critical).evaluate((r) => r.classList.contains('cat-2')), 'critical row has its colour class');
  const badge = await row(page, critical).locator('.badge').evaluate((b) => getComputedStyle(b).backgroundColor);
  const infoBadge = await row(page, info).locator('.badge').evaluate((b) => getComputedStyle(b).backgroundColor);
  check(badge !== infoBadge, 'categories have different colours: ' + badge + ' / ' + infoBadge);
  const h = await cells(row(page, hostile));
  check(h[4] === '<img src=x id=injected> & <b>bold</b>', 'markup in a message is shown as text: ' + h[4]);
  check(await page.locator('#injected').count() === 0, 'markup in a message never becomes an element');
  step('traps shown: ' + [critical, info, hostile].join(', '));

  // A storm: 20 alike traps within a second are stored as 5 and one coalesced trap with a count.
  for (let i = 0; i < 20; i++) {
    const idx = (16 + i).toString(16).padStart(4, '0');
    appendTrap('web-' + run + '-storm-' + i, 'Critical', fs, fs + '-OST' + idx,
      'web storm: connection to ' + fs + '-OST' + idx + ' lost');
  }
  const storm = page.locator(`#traps-table tbody tr[data-id^="web-${run}-storm-"][data-id$="~storm"]`).first();
  await storm.waitFor();
  const s = await cells(storm);
  check(/^\u00d7\d+$/.test(s[5]) && Number(s[5].slice(1)) > 1, 'coalesced trap shows its count: ' + s);
  step('coalesced trap: ' + s.join(' | '));

  // Filters: by file system, then by minimum category; both kept in the address.
  await page.selectOption('#filter-fs', other);
  await row(page, critical).waitFor({ state: 'detached' });
  await row(page, info).waitFor();
  check(page.url().includes('#fs=' + other), 'fs filter in the address: ' + page.url());
  const fsRows = await page.locator('#traps-table tbody tr td:nth-child(3)').allTextContents();
  check(fsRows.every((f) => f === other), 'only ' + other + ' traps: ' + fsRows);
  await page.selectOption('#filter-fs', '');
  await page.selectOption('#filter-cat', '2');
  await row(page, info).waitFor({ state: 'detached' });
  await row(page, critical).waitFor();
  const cats = await page.locator('#traps-table tbody .badge').allTextContents();
  check(cats.length > 0 && cats.every((x) => x === 'Critical' || x === 'Fatal'), 'min category Critical: ' + cats);
  step('filters: fs=' + other + ' then min category Critical');
  await page.selectOption('#filter-cat', '0');

  // A disconnected OST is listed as not responding, and counted in its file system's row.
  simulate('--down', fs + ':5');
  await page.locator(`#down-list li[data-node="${fs}-OST0005"]`).waitFor();
  await page.waitForFunction((name) => {
    const r = document.querySelector(`#fs-table tbody tr[data-fs="${name}"]`);
    return r && r.cells[2].textContent.trim() === '1';
  }, fs);
  step(fs + '-OST0005 listed as not responding');

  // The target map: the OST drawn as not responding; a click on its cell shows its details.
  await page.waitForFunction(() => /1 not responding/.test(document.getElementById('map-count').textContent));
  const mapBox = await page.locator('#target-map').boundingBox();
  const cellOf = (name) => page.evaluate((n) => document.getElementById('target-map').cellBox(n), name);
  const downCell = await cellOf(fs + '-OST0005');
  check(downCell && downCell.size >= 14, 'cell of ' + fs + '-OST0005: ' + JSON.stringify(downCell));
  await page.mouse.move(mapBox.x + downCell.x + downCell.size / 2, mapBox.y + downCell.y + downCell.size / 2);
  await page.waitForFunction((n) => document.getElementById('map-tip').textContent === n + ': not responding',
    fs + '-OST0005');
  await page.mouse.click(mapBox.x + downCell.x + downCell.size / 2, mapBox.y + downCell.y + downCell.size / 2);
  await page.waitForFunction((n) => document.getElementById('node-details').dataset.node === n, fs + '-OST0005');
  const details = await page.locator('#node-details').textContent();
  check(/DISCONN, not responding/.test(details) && /NID/.test(details) && /space/.test(details)
    && /recovery/.test(details), 'details of ' + fs + '-OST0005: ' + details);
  step('map: hover names ' + fs + '-OST0005, a click shows ' + details.replace(/\s+/g, ' ').slice(0, 160));
  // Keyboard: the map's cursor starts on the clicked cell; the right arrow and Enter pick the next.
  await page.locator('#target-map').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.getElementById('node-details').dataset.node === n, fs + '-OST0006');
  step('map keyboard: ArrowRight, Enter shows ' + fs + '-OST0006');

  // The trap list by keyboard: the first row is in the tab order, arrows move, Enter shows the
  // row's target: down to the Critical trap of the OST taken down, whose details say DISCONN.
  const wanted = await page.locator('#traps-table tbody tr').evaluateAll((rows, n) => rows.findIndex(
    (r) => r.dataset.node === n && r.classList.contains('cat-2')), fs + '-OST0005');
  check(wanted >= 0, 'a Critical trap of ' + fs + '-OST0005 in the list');
  await page.locator('#traps-table tbody tr').first().focus();
  for (let k = 0; k < wanted; k++) {
    await page.keyboard.press('ArrowDown');
  }
  const focused = await page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('#traps-table tbody tr'));
    return { at: rows.indexOf(document.activeElement), node: document.activeElement.dataset.node };
  });
  check(focused.at === wanted && focused.node === fs + '-OST0005',
    'ArrowDown x' + wanted + ' reached the row: ' + JSON.stringify(focused));
  check(await page.evaluate(() => document.getElementById('node-details').dataset.node) !== focused.node,
    'the details show another target before Enter');
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.getElementById('node-details').dataset.node === n
    && /DISCONN/.test(document.getElementById('node-details').textContent), focused.node);
  step('trap list keyboard: ArrowDown x' + wanted + ', Enter shows ' + focused.node);

  // The timeline: the storm's minute is a spike of Critical traps counted with their coalesced
  // counts (1 + 20 appended this run at least); a click on its bar filters the list to that minute.
  const tl = await page.locator('#timeline').boundingBox();
  const minuteOf = async (bar) => {
    await page.mouse.move(tl.x + (bar + 0.5) * tl.width / 120, tl.y + tl.height / 2);
    const text = await page.locator('#timeline-tip').textContent();
    return { bar, text, critical: Number(/Critical ([\d,]+)/.exec(text)[1].replace(/,/g, '')) };
  };
  const bars = [await minuteOf(119), await minuteOf(118)];
  const criticalCount = bars[0].critical + bars[1].critical;
  check(criticalCount >= 21, 'Critical traps in the last two minutes of the timeline: ' + bars.map((b) => b.text));
  const criticalPixels = await page.evaluate(() => {
    const c = document.getElementById('timeline');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      n += d[i] === 0xb2 && d[i + 1] === 0x18 && d[i + 2] === 0x2b ? 1 : 0; // Critical's colour
    }
    return n;
  });
  check(criticalPixels > 100, 'the timeline draws a Critical bar: ' + criticalPixels + ' pixels');
  const storming = bars[0].critical >= bars[1].critical ? bars[0] : bars[1];
  await page.mouse.click(tl.x + (storming.bar + 0.5) * tl.width / 120, tl.y + tl.height / 2);
  await page.waitForFunction(() => /minute=\d+/.test(location.hash));
  const minute = Number(/minute=(\d+)/.exec(page.url())[1]);
  const shownTimes = await page.locator('#traps-table tbody tr td.time').allTextContents();
  check(shownTimes.length > 0, 'traps of the picked minute shown');
  const hhmm = new Date(minute * 1000).toTimeString().slice(0, 5);
  check(shownTimes.every((t) => t.slice(11, 16) === hhmm), 'only traps of ' + hhmm + ': ' + shownTimes);
  step('timeline: ' + storming.text + '; a click on that bar shows only its ' + shownTimes.length + ' traps');
  await page.locator('#timeline-clear').click();
  await page.waitForFunction(() => !/minute=/.test(location.hash));

  check(problems.length === 0, 'browser problems:\n' + problems.join('\n'));
  mkdirSync(dirname(resolve(opts.screenshot)), { recursive: true });
  await page.screenshot({ path: opts.screenshot, fullPage: true });
  step('screenshot: ' + resolve(opts.screenshot));

  if (opts.pair) {
    const down = new Set();
    const seen = {};
    // mds3: the first collector again under another path, as a third collector of the site
    const proxy = await startProxy({ mds1: opts.url, mds2: opts.pair, mds3: opts.url }, down, new Set(['mds2']),
      seen);
    try {
      const base = 'http://127.0.0.1:' + proxy.address().port;
      const pair = await context.newPage();
      pair.setDefaultTimeout(TIMEOUT);
      pair.on('pageerror', (e) => problems.push('pair page error: ' + e.message));
      page = pair;
      await pair.goto(base + '/mds1/?peer=/mds2/RPC2');
      await pair.locator('#collectors .collector.up[data-collector="mds1"]').waitFor();
      await pair.locator('#collectors .collector.up[data-collector="mds2"]').waitFor();
      const both = 'web-' + run + '-pair';
      appendTrap(both, 'Fatal', fs, fs + '-OST0004', 'LBUG seen by both collectors');
      await pair.waitForFunction((id) => {
        const r = document.querySelector(`#traps-table tbody tr[data-id="${id}"]`);
        return r !== null && /^from mds[12] and mds[12]$/.test(r.title);
      }, both);
      check(await row(pair, both).count() === 1, 'one row for a trap both collectors sent');
      const ids = await pair.locator('#traps-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
      check(new Set(ids).size === ids.length, 'no trap twice: ' + ids);
      step('pair: ' + both + ' shown once, from both collectors');
      const asked = (name) => [...(seen[name] || [])].sort().join(', ');
      check(seen.mds1.has('system.multicall') && !seen.mds1.has('getFileSystemInfo'),
        'mds1 asked for its file systems in one multicall: ' + asked('mds1'));
      check(seen.mds2.has('system.multicall') && seen.mds2.has('getFileSystemInfo'),
        'mds2, without multicall, asked one by one: ' + asked('mds2'));
      step('pair: file systems in one multicall from mds1; one by one from mds2, which has no multicall');

      down.add('mds2');
      await pair.locator('#collectors .collector.down[data-collector="mds2"]').waitFor();
      const alone = 'web-' + run + '-alone';
      appendTrap(alone, 'Warning', fs, fs + '-OST0001', 'seen while mds2 is away');
      await row(pair, alone).waitFor();
      check(await pair.locator('#collectors .collector.up[data-collector="mds1"]').count() === 1, 'mds1 still up');
      step('pair: mds2 shown as not answering, traps still arrive from mds1');
      const pairShot = opts.screenshot.replace(/\.png$/, '') + '-pair.png';
      await pair.screenshot({ path: pairShot, fullPage: true });
      step('screenshot: ' + resolve(pairShot));

      down.delete('mds2');

      const three = await context.newPage();
      three.setDefaultTimeout(TIMEOUT);
      three.on('pageerror', (e) => problems.push('three page error: ' + e.message));
      await three.goto(base + '/mds1/?peer=/mds2/RPC2&peer=/mds3/RPC2&peer=/mds2/RPC2');
      for (const name of ['mds1', 'mds2', 'mds3']) {
        await three.locator(`#collectors .collector.up[data-collector="${name}"]`).waitFor();
      }
      check(await three.locator('#collectors .collector').count() === 3, 'three collectors, mds2 given twice shown once');
      const all = 'web-' + run + '-three';
      appendTrap(all, 'Critical', fs, fs + '-OST0002', 'seen by all three collectors');
      await three.waitForFunction((id) => {
        const r = document.querySelector(`#traps-table tbody tr[data-id="${id}"]`);
        return r !== null && /^from mds[123], mds[123] and mds[123]$/.test(r.title);
      }, all);
      check(await row(three, all).count() === 1, 'one row for a trap three collectors sent');
      step('three collectors (peer= twice): ' + all + ' shown once, from all three');
    } finally {
      proxy.closeAllConnections();
      proxy.close();
    }
  }
  check(problems.length === 0, 'browser problems:\n' + problems.join('\n'));
  console.log('page test passed');
} catch (e) {
  console.error('page test FAILED: ' + e.message);
  if (problems.length) {
    console.error(problems.join('\n'));
  }
  if (page) {
    const failed = opts.screenshot.replace(/\.png$/, '') + '-failed.png';
    mkdirSync(dirname(resolve(failed)), { recursive: true });
    await page.screenshot({ path: failed, fullPage: true }).catch(() => {});
    console.error('screenshot of the failure: ' + resolve(failed));
  }
  process.exitCode = 1;
} finally {
  await browser.close();
}
