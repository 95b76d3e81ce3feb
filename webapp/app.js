// The Lustre trap collector's monitor page. Plain JavaScript, no library: a small XML-RPC
// client (only the types the collector's API uses), a poller that follows any number of
// collectors like the monitor tool (cursor per collector, traps merged by id), and rendering
// that writes server data with textContent only, never as markup. The target map and the trap
// timeline are canvases drawn by targetmap.js and timeline.js.
//
// Query parameters: peer=/mds2/RPC2 (another collector, a path on this same origin, e.g. through
// the same Apache httpd; once per collector), interval=SECONDS (1-300, default 2).
'use strict';

(() => {
  const CATEGORIES = ['Info', 'Warning', 'Critical', 'Fatal'];
  const DOWN_PAGE_SIZE = 50;      // non-responding targets per page
  const TRAPS_KEPT = 2000;        // traps the page remembers (oldest forgotten first)
  const TRAP_ROWS = 300;          // rows shown after filtering
  const BATCH = 500;              // getTrapRecords limit (the collector caps it at its maxtraps)
  const MAX_CALLS_PER_ROUND = 20; // getTrapRecords calls per collector and round
  const FS_PER_MULTICALL = 100;   // getFileSystemInfo calls batched in one system.multicall
  const FS_CONCURRENCY = 4;       // getFileSystemInfo calls in flight, for a collector without multicall
  const TIMEOUT_MS = 10000;
  const MAX_BACKOFF_MS = 30000;

  // ---------------------------------------------------------------- XML-RPC

  class RpcError extends Error {
    constructor(message, code) {
      super(message);
      this.code = code; // the fault code, or undefined for transport and format errors
    }
  }

  // Characters XML 1.0 cannot carry at all become U+FFFD; the three markup ones are escaped.
  function escapeXml(text) {
    return String(text)
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function encodeValue(v) {
    if (typeof v === 'boolean') {
      return '<boolean>' + (v ? '1' : '0') + '</boolean>';
    }
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) {
        return '<int>' + v + '</int>';
      }
      const s = String(v);
      if (!Number.isFinite(v) || /e/i.test(s)) {
        throw new RangeError('not an XML-RPC double: ' + s);
      }
      return '<double>' + s + '</double>';
    }
    if (typeof v === 'string') {
      return '<string>' + escapeXml(v) + '</string>';
    }
    if (Array.isArray(v)) {
      return '<array><data>' + v.map((x) => '<value>' + encodeValue(x) + '</value>').join('') +
        '</data></array>';
    }
    if (v !== null && typeof v === 'object') {
      return '<struct>' + Object.keys(v).map((k) => '<member><name>' + escapeXml(k) +
        '</name><value>' + encodeValue(v[k]) + '</value></member>').join('') + '</struct>';
    }
    throw new TypeError('no XML-RPC type for ' + v);
  }

  function encodeCall(method, params) {
    return '<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>' + escapeXml(method) +
      '</methodName><params>' +
      params.map((p) => '<param><value>' + encodeValue(p) + '</value></param>').join('') +
      '</params></methodCall>';
  }

  function child(el, name) {
    for (const c of el.children) {
      if (c.localName === name) {
        return c;
      }
    }
    return null;
  }

  function decodeValue(valueEl) {
    const typed = valueEl.firstElementChild;
    if (!typed) {
      return valueEl.textContent; // a value without a type element is a string
    }
    const text = typed.textContent;
    switch (typed.localName) {
      case 'int':
      case 'i4': {
        const n = Number(text.trim());
        if (!Number.isInteger(n)) {
          throw new RpcError('bad int in the answer: ' + text);
        }
        return n;
      }
      case 'double': {
        const n = Number(text.trim());
        if (Number.isNaN(n)) {
          throw new RpcError('bad double in the answer: ' + text);
        }
        return n;
      }
      case 'boolean':
        return text.trim() === '1';
      case 'string':
        return text;
      case 'array': {
        const data = child(typed, 'data');
        return data ? Array.from(data.children).filter((c) => c.localName === 'value').map(decodeValue) : [];
      }
      case 'struct': {
        // No prototype: a member called __proto__ is just a member.
        const o = Object.create(null);
        for (const m of typed.children) {
          const name = m.localName === 'member' ? child(m, 'name') : null;
          const value = name ? child(m, 'value') : null;
          if (value) {
            o[name.textContent] = decodeValue(value);
          }
        }
        return o;
      }
      default:
        return text; // dateTime.iso8601 and base64: the API sends neither
    }
  }

  function decodeResponse(text) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const root = doc.documentElement;
    if (doc.getElementsByTagName('parsererror').length > 0 || root.localName !== 'methodResponse') {
      throw new RpcError('the answer is not an XML-RPC response');
    }
    const fault = child(root, 'fault');
    if (fault) {
      const v = child(fault, 'value');
      const f = v ? decodeValue(v) : null;
      const code = f && typeof f.faultCode === 'number' ? f.faultCode : undefined;
      throw new RpcError('fault ' + code + ': ' + (f ? f.faultString : ''), code);
    }
    const params = child(root, 'params');
    const param = params && child(params, 'param');
    const value = param && child(param, 'value');
    if (!value) {
      throw new RpcError('the answer has no value');
    }
    return decodeValue(value);
  }

  async function rpc(url, method, ...params) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    try {
      let response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'text/xml' },
          body: encodeCall(method, params),
          credentials: 'same-origin',
          cache: 'no-store',
          signal: abort.signal,
        });
      } catch (e) {
        throw new RpcError(abort.signal.aborted ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s'
          : 'cannot connect');
      }
      if (!response.ok) {
        throw new RpcError('HTTP ' + response.status + (response.status === 403 ? ' (not allowed)' : ''));
      }
      return decodeResponse(await response.text());
    } finally {
      clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------- collectors

  /** Most peer= collectors followed (each is polled every round from this browser). */
  const MAX_PEERS = 64;

  /** A same-origin path given as peer=..., or null (another origin is refused, as CSP would). */
  function peerUrl(text) {
    if (!text || !text.startsWith('/') || text.startsWith('//') || text.includes('\\')) {
      return null;
    }
    const u = new URL(text, location.href);
    return u.origin === location.origin ? u.href : null;
  }

  /** "a", "a and b", "a, b and c". */
  function joinNames(names) {
    return names.length < 2 ? names.join('') : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1];
  }

  function nameFor(url, fallback) {
    const segments = new URL(url).pathname.split('/').filter((s) => s && s !== 'RPC2');
    return segments.length ? segments[segments.length - 1] : fallback;
  }

  class Collector {
    constructor(url, name) {
      this.url = url;
      this.name = name;
      this.state = 'new';       // new, up, down
      this.error = null;
      this.info = null;
      this.cursor = 0;
      this.started = null;
      this.missed = 0;          // traps that left its store before we read them
      this.firstAnswer = true;
      this.fileSystems = new Map(); // name -> getFileSystemInfo struct
      this.ready = false;       // false while the collector's first scan runs (fault 4)
      this.backoff = 0;
      this.nextAttempt = 0;
      this.lastAnswer = 0;
      this.multicall = true;    // false once it answered that it has no system.multicall
      this.targetStates = new Map(); // name -> getTargetStates struct
      this.hasTargetStates = true; // false once it answered that it has no getTargetStates
    }

    call(method, ...params) {
      return rpc(this.url, method, ...params);
    }
  }

  const NOT_READY = 4;
  const UNKNOWN_FS = 3;
  const UNKNOWN_METHOD = -32601;

  async function pollTraps(c) {
    const limit = Math.max(1, Math.min(BATCH, c.info.maxtraps || BATCH));
    for (let calls = 0; calls < MAX_CALLS_PER_ROUND; calls++) {
      const page = await c.call('getTrapRecords', c.cursor, limit);
      const traps = Array.isArray(page.traps) ? page.traps : [];
      if (!c.firstAnswer && page.dropped > 0) {
        c.missed += page.dropped;
      }
      c.firstAnswer = false;
      const before = c.cursor;
      c.cursor = typeof page.cursor === 'number' ? page.cursor : c.cursor;
      for (const t of traps) {
        remember(t, c.name);
      }
      if (traps.length < limit || c.cursor <= before) {
        return;
      }
    }
  }

  async function pollFileSystems(c) {
    let names;
    try {
      names = await c.call('getFileSystems');
    } catch (e) {
      if (e.code === NOT_READY) {
        c.ready = false;
        return;
      }
      throw e;
    }
    c.ready = true;
    c.fileSystems = c.multicall ? await fileSystemsBatched(c, names) : await fileSystemsOneByOne(c, names);
  }

  // One request per FS_PER_MULTICALL file systems instead of one each: 100 file systems cost
  // the collector one HTTP exchange a round, not a hundred.
  // The target map's getTargetStates rides in the same multicall, one call per file system.
  async function fileSystemsBatched(c, names) {
    const found = new Map();
    const states = new Map();
    for (let i = 0; i < names.length; i += FS_PER_MULTICALL) {
      const chunk = names.slice(i, i + FS_PER_MULTICALL);
      const withStates = c.hasTargetStates;
      const calls = [];
      for (const name of chunk) {
        calls.push({ methodName: 'getFileSystemInfo', params: [name] });
        if (withStates) {
          calls.push({ methodName: 'getTargetStates', params: [name, knownVersion(c, name)] });
        }
      }
      let answers;
      try {
        answers = await c.call('system.multicall', calls);
      } catch (e) {
        if (e.code === UNKNOWN_METHOD) { // an older collector: ask one by one from now on
          c.multicall = false;
          return fileSystemsOneByOne(c, names);
        }
        throw e;
      }
      const per = withStates ? 2 : 1;
      chunk.forEach((name, k) => {
        const a = answers[k * per];
        if (Array.isArray(a) && a.length === 1) {
          found.set(name, a[0]);
        } else if (!a || a.faultCode !== UNKNOWN_FS) { // unknown: gone between the calls, left out
          throw new RpcError('getFileSystemInfo ' + name + ': ' + (a ? a.faultString : 'no answer'),
            a ? a.faultCode : undefined);
        }
        if (withStates) {
          const t = answers[k * per + 1];
          if (Array.isArray(t) && t.length === 1) {
            states.set(name, current(c, name, t[0]));
          } else if (t && t.faultCode === UNKNOWN_METHOD) { // a collector from before the target map
            c.hasTargetStates = false;
          }
        }
      });
    }
    c.targetStates = states;
    return found;
  }

  // getTargetStates answers "unchanged" to the version of the states we hold: then keep them
  // (the same object, so that the map sees nothing new).
  function knownVersion(c, name) {
    const held = c.targetStates.get(name);
    return held && Number.isInteger(held.version) ? held.version : 0;
  }

  function current(c, name, answer) {
    const held = c.targetStates.get(name);
    return answer.unchanged === true && held && held.version === answer.version ? held : answer;
  }

  async function fileSystemsOneByOne(c, names) {
    const found = new Map();
    const states = new Map();
    const queue = names.slice();
    const worker = async () => {
      while (queue.length) {
        const name = queue.shift();
        try {
          found.set(name, await c.call('getFileSystemInfo', name));
          if (c.hasTargetStates) {
            states.set(name, current(c, name, await c.call('getTargetStates', name, knownVersion(c, name))));
          }
        } catch (e) {
          if (e.code === UNKNOWN_METHOD) {
            c.hasTargetStates = false;
          } else if (e.code !== UNKNOWN_FS) { // gone between the two calls: just leave it out
            throw e;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FS_CONCURRENCY, queue.length) }, worker));
    c.targetStates = states;
    return found;
  }

  async function pollCollector(c, now) {
    if (c.state === 'down' && now < c.nextAttempt) {
      return;
    }
    try {
      const info = await c.call('getCollectorInfo');
      if (c.started !== null && info.started !== c.started) {
        c.cursor = 0; // restarted: its sequence numbers began again; ids keep us from showing twice
        c.firstAnswer = true;
      }
      c.started = info.started;
      c.info = info;
      await pollTraps(c);
      await pollFileSystems(c);
      c.state = 'up';
      c.error = null;
      c.backoff = 0;
      c.lastAnswer = Date.now();
    } catch (e) {
      c.state = 'down';
      c.error = e instanceof RpcError ? e.message : 'unexpected answer';
      c.backoff = c.backoff ? Math.min(c.backoff * 2, MAX_BACKOFF_MS) : 1000;
      c.nextAttempt = now + c.backoff;
    }
  }

  // ---------------------------------------------------------------- traps, merged by id

  const traps = new Map(); // id -> trap, with .from (collector names) and .when (seconds)

  function remember(t, from) {
    if (typeof t.id !== 'string') {
      return;
    }
    const known = traps.get(t.id);
    if (known) {
      // The same event seen by the other collector of the pair, or a re-read after a restart.
      known.from.add(from);
      known.count = Math.max(known.count, t.count || 1);
      timeline.add(known);
      return;
    }
    const when = t.eventTime > 0 ? t.eventTime : t.time;
    const trap = {
      id: t.id, time: t.time, when, category: clampCategory(t.category), fs: String(t.fs || ''),
      node: String(t.node || ''), message: String(t.message || ''), count: t.count || 1,
      nodes: Array.isArray(t.nodes) ? t.nodes.map(String) : [], from: new Set([from]),
    };
    traps.set(t.id, trap);
    timeline.add(trap);
  }

  function clampCategory(c) {
    return Number.isInteger(c) && c >= 0 && c <= 3 ? c : 0;
  }

  function newestFirst(a, b) {
    return b.when - a.when || b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
  }

  /** Forgets the oldest traps beyond TRAPS_KEPT; a forgotten one read again is the oldest again. */
  function trimTraps() {
    if (traps.size <= TRAPS_KEPT) {
      return;
    }
    const sorted = Array.from(traps.values()).sort(newestFirst);
    for (const t of sorted.slice(TRAPS_KEPT)) {
      traps.delete(t.id);
    }
  }

  // ---------------------------------------------------------------- view

  const $ = (id) => document.getElementById(id);
  const filters = { fs: '', minCategory: 0, minute: null };
  let downPage = 0;
  let rounds = 0;

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function pad(n) {
    return String(n).padStart(2, '0');
  }

  function formatTime(seconds) {
    if (!seconds) {
      return '-';
    }
    const d = new Date(seconds * 1000);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
      pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function ago(seconds) {
    if (!seconds) {
      return 'never';
    }
    const s = Math.max(0, Math.round(Date.now() / 1000 - seconds));
    return s < 120 ? s + ' s ago' : s < 7200 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  }

  // One formatter: Number.toLocaleString builds a new one at every call (~0.1 ms each).
  const COUNT_FORMAT = new Intl.NumberFormat('en-US');

  function formatCount(n) {
    return typeof n === 'number' ? COUNT_FORMAT.format(n) : '-';
  }

  function formatKbytes(kb) {
    const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
    let v = kb;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }

  function renderCollectors(collectors) {
    const box = $('collectors');
    box.replaceChildren();
    for (const c of collectors) {
      const chip = el('div', null, 'collector ' + c.state);
      chip.dataset.collector = c.name;
      chip.appendChild(el('span', '', 'dot'));
      chip.appendChild(el('strong', c.name));
      if (c.state === 'down') {
        chip.appendChild(el('span', 'not answering: ' + c.error, 'problem'));
      } else if (c.state === 'new') {
        chip.appendChild(el('span', 'connecting', 'muted'));
      }
      const i = c.info;
      if (i) {
        chip.appendChild(el('span', 'v' + i.version, 'muted'));
        chip.appendChild(el('span', c.ready ? 'last scan ' + ago(i.lastScan) + ' (' + i.lastScanMillis + ' ms)'
          : 'first scan running'));
        chip.appendChild(el('span', 'traps received ' + formatCount(i.trapsReceived) + ', stored ' +
          formatCount(i.trapsStored) + ', coalesced ' + formatCount(i.trapsCoalesced)));
        const dropped = el('span', 'dropped ' + formatCount(i.trapsDropped), i.trapsDropped > 0 ? 'problem' : '');
        chip.appendChild(dropped);
        if (i.parseErrors > 0) {
          chip.appendChild(el('span', 'parse errors ' + formatCount(i.parseErrors), 'problem'));
        }
        if (c.missed > 0) {
          chip.appendChild(el('span', formatCount(c.missed) + ' traps missed by this page', 'problem'));
        }
        for (const s of Array.isArray(i.sources) ? i.sources : []) {
          if (s.state !== 'ok') {
            const bad = el('span', s.name + ': ' + s.state + (s.message ? ' (' + s.message + ')' : ''), 'problem');
            bad.title = s.path || '';
            chip.appendChild(bad);
          }
        }
      }
      box.appendChild(chip);
    }
    $('updated').textContent = 'updated ' + formatTime(Date.now() / 1000).slice(11) +
      ($('pause').checked ? ' (paused)' : '');
  }

  /** File systems merged over the collectors, as the monitor tool does (larger answer, union). */
  function mergedFileSystems(collectors) {
    const merged = new Map();
    for (const c of collectors) {
      for (const [name, f] of c.fileSystems) {
        let m = merged.get(name);
        if (!m) {
          m = { name, nodes: 0, kbytesTotal: -1, kbytesFree: -1, traps: 0, notResponding: new Set() };
          merged.set(name, m);
        }
        m.nodes = Math.max(m.nodes, f.nodes || 0);
        if (f.kbytesTotal > m.kbytesTotal) {
          m.kbytesTotal = f.kbytesTotal;
          m.kbytesFree = f.kbytesFree;
        }
        m.traps = Math.max(m.traps, f.traps || 0);
        for (const n of Array.isArray(f.notResponding) ? f.notResponding : []) {
          m.notResponding.add(String(n));
        }
      }
    }
    return Array.from(merged.values()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  let fsTableShown = '';

  function renderFileSystems(list) {
    const body = $('fs-table').tBodies[0];
    // Rebuilt only when a figure changed: 100 rows with a meter each are not free.
    const shown = filters.fs + '\n' + list.map((f) => [f.name, f.nodes, f.notResponding.size, f.kbytesTotal,
      f.kbytesFree, f.traps].join(' ')).join('\n');
    if (shown === fsTableShown) {
      return;
    }
    fsTableShown = shown;
    body.replaceChildren();
    for (const f of list) {
      const tr = el('tr');
      tr.dataset.fs = f.name;
      if (f.notResponding.size > 0) {
        tr.className = 'bad';
      }
      if (f.name === filters.fs) {
        tr.classList.add('selected');
      }
      const name = el('td');
      const pick = el('button', f.name, 'link');
      pick.type = 'button';
      pick.title = 'show only ' + f.name;
      pick.addEventListener('click', () => setFilters(filters.fs === f.name ? '' : f.name, filters.minCategory));
      name.appendChild(pick);
      tr.appendChild(name);
      tr.appendChild(el('td', formatCount(f.nodes), 'num'));
      tr.appendChild(el('td', formatCount(f.notResponding.size), 'num'));
      const used = el('td', null, 'num used');
      if (f.kbytesTotal > 0 && f.kbytesFree >= 0) {
        const pct = Math.min(100, Math.max(0, 100 * (f.kbytesTotal - f.kbytesFree) / f.kbytesTotal));
        const meter = el('meter');
        meter.min = 0;
        meter.max = 100;
        meter.low = 80;
        meter.high = 95;
        meter.optimum = 0;
        meter.value = pct;
        used.appendChild(meter);
        used.appendChild(el('span', pct.toFixed(1) + ' %'));
        used.title = formatKbytes(f.kbytesTotal - f.kbytesFree) + ' of ' + formatKbytes(f.kbytesTotal);
      } else {
        used.textContent = '-';
      }
      tr.appendChild(used);
      tr.appendChild(el('td', formatCount(f.traps), 'num'));
      body.appendChild(tr);
    }
    $('fs-count').textContent = '(' + list.length + ')';
  }

  function renderDown(list) {
    const down = [];
    for (const f of list) {
      if (filters.fs && f.name !== filters.fs) {
        continue;
      }
      for (const n of f.notResponding) {
        down.push({ node: n, fs: f.name });
      }
    }
    down.sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    const pages = Math.max(1, Math.ceil(down.length / DOWN_PAGE_SIZE));
    downPage = Math.min(downPage, pages - 1);
    const ol = $('down-list');
    ol.replaceChildren();
    ol.start = downPage * DOWN_PAGE_SIZE + 1;
    for (const d of down.slice(downPage * DOWN_PAGE_SIZE, (downPage + 1) * DOWN_PAGE_SIZE)) {
      const li = el('li', d.node);
      li.dataset.node = d.node;
      ol.appendChild(li);
    }
    if (down.length === 0) {
      ol.appendChild(el('li', 'every target responds', 'none'));
    }
    $('down-count').textContent = '(' + formatCount(down.length) + ')';
    $('down-page').textContent = 'page ' + (downPage + 1) + ' of ' + pages;
    $('down-prev').disabled = downPage === 0;
    $('down-next').disabled = downPage >= pages - 1;
  }

  function renderTraps(collectors) {
    const body = $('traps-table').tBodies[0];
    const shown = Array.from(traps.values())
      .filter((t) => t.category >= filters.minCategory && (!filters.fs || t.fs === filters.fs)
        && (filters.minute === null || (t.when >= filters.minute && t.when < filters.minute + 60)))
      .sort(newestFirst);
    const focused = document.activeElement && body.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    body.replaceChildren();
    const many = collectors.length > 1;
    for (const t of shown.slice(0, TRAP_ROWS)) {
      const tr = el('tr', null, 'cat-' + t.category);
      tr.dataset.id = t.id;
      tr.dataset.node = t.node;
      tr.tabIndex = -1;
      tr.appendChild(el('td', formatTime(t.when), 'time'));
      const cat = el('td');
      cat.appendChild(el('span', CATEGORIES[t.category], 'badge'));
      tr.appendChild(cat);
      tr.appendChild(el('td', t.fs));
      tr.appendChild(el('td', t.node, 'node'));
      const msg = el('td', t.message, 'message');
      if (t.nodes.length > 1) {
        msg.title = 'nodes: ' + t.nodes.join(', ');
      }
      tr.appendChild(msg);
      const count = el('td', t.count > 1 ? '\u00d7' + formatCount(t.count) : '', 'num');
      tr.appendChild(count);
      if (many) {
        tr.title = 'from ' + joinNames(Array.from(t.from));
      }
      body.appendChild(tr);
    }
    // One row in the tab order (roving focus); the one that had the focus keeps it.
    const keep = focused && Array.from(body.rows).find((r) => r.dataset.id === focused);
    if (keep) {
      keep.tabIndex = 0;
      keep.focus({ preventScroll: true });
    } else if (body.rows.length) {
      body.rows[0].tabIndex = 0;
    }
    $('traps-count').textContent = '(' + Math.min(shown.length, TRAP_ROWS) + ' of ' + formatCount(shown.length) +
      (shown.length === traps.size ? '' : ', ' + formatCount(traps.size) + ' in all') + ')';
  }

  function renderFsOptions(list) {
    const select = $('filter-fs');
    const names = list.map((f) => f.name);
    if (filters.fs && !names.includes(filters.fs)) {
      names.push(filters.fs); // keep a filter from the address bar until that file system shows up
    }
    const current = Array.from(select.options).slice(1).map((o) => o.value);
    if (current.join('\n') !== names.join('\n')) {
      select.replaceChildren(el('option', 'all'));
      select.options[0].value = '';
      for (const n of names) {
        const o = el('option', n);
        o.value = n;
        select.appendChild(o);
      }
    }
    select.value = filters.fs;
    $('filter-cat').value = String(filters.minCategory);
  }

  function render(collectors) {
    const t0 = performance.now();
    const list = mergedFileSystems(collectors);
    renderCollectors(collectors);
    renderFsOptions(list);
    renderFileSystems(list);
    renderDown(list);
    renderMap(collectors, list);
    renderTimeline();
    renderTraps(collectors);
    lastCollectors = collectors;
    document.body.dataset.renderMs = (performance.now() - t0).toFixed(1); // read by the browser test
  }

  // ---------------------------------------------------------------- target map and timeline

  let map = null;
  let timeline = { add() {} }; // replaced in start(); traps may arrive before

  /** Every file system's target states from every collector that has it, in name order. */
  function renderMap(collectors, list) {
    const answers = [];
    for (const f of list) {
      if (filters.fs && f.name !== filters.fs) {
        continue;
      }
      const from = collectors.map((c) => c.targetStates.get(f.name)).filter((a) => a);
      if (from.length) {
        answers.push([f.name, from]);
      }
    }
    const drawn = map.update(answers);
    if (drawn) {
      const totals = map.totals();
      const all = Object.values(totals).reduce((a, b) => a + b, 0);
      $('map-count').textContent = '(' + formatCount(all) + ' targets' +
        TargetMap.STATES.slice(2).filter((s) => totals[s.code] > 0)
          .map((s) => ', ' + formatCount(totals[s.code]) + ' ' + s.label).join('') + ')';
      document.body.dataset.mapTargets = String(all);
      document.body.dataset.mapDrawMs = map.lastDrawMs.toFixed(1);
    }
  }

  function renderTimeline() {
    timeline.prune(Date.now() / 1000);
    timeline.draw();
    if (filters.minute !== null) {
      $('timeline-minute').textContent = '(showing the traps of ' + formatTime(filters.minute).slice(11, 16) + ')';
      $('timeline-clear').hidden = false;
    } else {
      $('timeline-minute').textContent = '';
      $('timeline-clear').hidden = true;
    }
  }

  function renderLegend() {
    const ul = $('map-legend');
    for (const s of TargetMap.STATES.slice(1)) {
      const li = el('li');
      const swatch = document.createElement('canvas');
      swatch.width = 14;
      swatch.height = 14;
      const ctx = swatch.getContext('2d');
      ctx.fillStyle = 'rgb(' + s.rgb.join(',') + ')';
      ctx.fillRect(0, 0, 14, 14);
      ctx.fillStyle = '#222';
      ctx.font = 'bold 10px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(s.code, 7, 7.5);
      li.appendChild(swatch);
      li.appendChild(el('span', s.code + ' ' + s.label));
      ul.appendChild(li);
    }
  }

  // ---------------------------------------------------------------- one target's details

  let shownNode = null;

  /** getNodeInfo from the collectors, the first that knows the target; then its last traps. */
  async function showNode(name) {
    shownNode = name;
    $('node-name').textContent = name;
    const box = $('node-details');
    box.replaceChildren(el('p', 'asking\u2026', 'muted'));
    delete box.dataset.node;
    let info = null;
    let problem = null;
    for (const c of lastCollectors) {
      try {
        info = await c.call('getNodeInfo', name);
        break;
      } catch (e) {
        problem = e.message;
      }
    }
    if (shownNode !== name) {
      return; // another target was picked meanwhile
    }
    box.replaceChildren();
    box.dataset.node = name; // the details shown are this target's (the browser test waits on it)
    if (!info) {
      box.appendChild(el('p', 'no collector answered for ' + name + (problem ? ': ' + problem : ''), 'problem'));
      return;
    }
    const dl = el('dl');
    const row = (label, value, bad) => {
      dl.appendChild(el('dt', label));
      dl.appendChild(el('dd', value, bad ? 'bad' : ''));
    };
    const space = (total, free) => (total >= 0 && free >= 0
      ? formatKbytes(total - free) + ' used of ' + formatKbytes(total) + ' (' +
        (100 * (total - free) / Math.max(1, total)).toFixed(1) + ' %)' : 'not read yet');
    row('file system', info.fs);
    row('kind, index', info.kind + ' ' + info.index);
    row('state', (info.state || '-') + (info.responding ? ', responding' : ', not responding') +
      (info.active ? '' : ', inactive'), !info.responding || !info.active);
    row('NID', info.nid || '-');
    row('space', space(info.kbytesTotal, info.kbytesFree));
    row('inodes', info.filesTotal >= 0 && info.filesFree >= 0
      ? formatCount(info.filesTotal - info.filesFree) + ' used of ' + formatCount(info.filesTotal) : 'not read yet');
    if (info.exports >= 0) {
      row('exports', formatCount(info.exports));
    }
    const r = info.recovery || {};
    if (r.status) {
      row('recovery', r.status + (r.duration >= 0 ? ', ' + r.duration + ' s' : '') +
        (r.totalClients >= 0 ? ', clients ' + r.completedClients + ' of ' + r.totalClients +
          (r.evictedClients > 0 ? ', ' + r.evictedClients + ' evicted' : '') : ''));
    } else {
      row('recovery', '-');
    }
    row('read', formatTime(info.updated));
    box.appendChild(dl);
    box.appendChild(el('h3', 'Last traps of ' + name));
    const mine = Array.from(traps.values()).filter((t) => t.node === name || t.nodes.includes(name))
      .sort(newestFirst).slice(0, 10);
    const ol = el('ol', null, 'node-traps');
    for (const t of mine) {
      const li = el('li', formatTime(t.when).slice(11) + ' ' + CATEGORIES[t.category] + ': ' + t.message +
        (t.count > 1 ? ' (\u00d7' + formatCount(t.count) + ')' : ''), 'cat-' + t.category);
      ol.appendChild(li);
    }
    if (!mine.length) {
      ol.appendChild(el('li', 'none seen by this page', 'muted'));
    }
    box.appendChild(ol);
  }

  let lastCollectors = [];

  // Filters live in the address's fragment, so a reload or a shared link keeps them.
  function readFilters() {
    const h = new URLSearchParams(location.hash.slice(1));
    filters.fs = h.get('fs') || '';
    const cat = Number(h.get('min') || 0);
    filters.minCategory = Number.isInteger(cat) && cat >= 0 && cat <= 3 ? cat : 0;
    const minute = Number(h.get('minute') || NaN);
    filters.minute = Number.isInteger(minute) && minute > 0 && minute % 60 === 0 ? minute : null;
    if (timeline.picked !== undefined) {
      timeline.picked = filters.minute;
    }
  }

  function setFilters(fs, minCategory, minute = filters.minute) {
    filters.fs = fs;
    filters.minCategory = minCategory;
    filters.minute = minute;
    downPage = 0;
    const h = new URLSearchParams();
    if (fs) {
      h.set('fs', fs);
    }
    if (minCategory > 0) {
      h.set('min', String(minCategory));
    }
    if (minute !== null) {
      h.set('minute', String(minute));
    }
    history.replaceState(null, '', location.pathname + location.search + (h.toString() ? '#' + h : ''));
    render(lastCollectors);
  }

  // ---------------------------------------------------------------- main loop

  function start() {
    const query = new URLSearchParams(location.search);
    const self = new URL('RPC2', location.href).href;
    const collectors = [new Collector(self, nameFor(self, location.host))];
    // Any number of peer= (the other collector of the pair, the site's other MDS pairs), each once.
    const peers = [...new Set(query.getAll('peer').map(peerUrl))].filter((u) => u && u !== self);
    for (const peer of peers.slice(0, MAX_PEERS)) {
      const names = new Set(collectors.map((c) => c.name));
      let name = nameFor(peer, 'peer');
      for (let n = 2; names.has(name); n++) {
        name = nameFor(peer, 'peer') + '#' + n;
      }
      collectors.push(new Collector(peer, name));
    }
    const seconds = Number(query.get('interval') || 2);
    const intervalMs = 1000 * (Number.isFinite(seconds) ? Math.min(300, Math.max(1, seconds)) : 2);

    map = new TargetMap($('target-map'), $('map-tip'), (name) => showNode(name));
    timeline = new TrapTimeline($('timeline'), $('timeline-tip'),
      (minute) => setFilters(filters.fs, filters.minCategory, minute));
    renderLegend();
    $('timeline-clear').addEventListener('click', () => {
      timeline.picked = null;
      setFilters(filters.fs, filters.minCategory, null);
    });
    // Keyboard through the trap list: arrows, Home and End move, Enter shows the trap's target.
    $('traps-table').tBodies[0].addEventListener('keydown', (e) => {
      const rows = Array.from($('traps-table').tBodies[0].rows);
      const at = rows.indexOf(document.activeElement);
      if (at < 0) {
        return;
      }
      const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1,
        PageDown: at + 10, PageUp: at - 10 }[e.key];
      if (to !== undefined) {
        e.preventDefault();
        const next = rows[Math.max(0, Math.min(rows.length - 1, to))];
        rows[at].tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      } else if (e.key === 'Enter' && rows[at].dataset.node) {
        map.select(rows[at].dataset.node);
        showNode(rows[at].dataset.node);
      }
    });
    $('down-list').addEventListener('click', (e) => {
      const li = e.target.closest('li[data-node]');
      if (li) {
        showNode(li.dataset.node);
      }
    });
    readFilters();
    $('filter-fs').addEventListener('change', (e) => setFilters(e.target.value, filters.minCategory));
    $('filter-cat').addEventListener('change', (e) => setFilters(filters.fs, Number(e.target.value)));
    $('down-prev').addEventListener('click', () => {
      downPage = Math.max(0, downPage - 1);
      renderDown(mergedFileSystems(lastCollectors));
    });
    $('down-next').addEventListener('click', () => {
      downPage++;
      renderDown(mergedFileSystems(lastCollectors));
    });
    $('pause').addEventListener('change', () => renderCollectors(lastCollectors));
    window.addEventListener('hashchange', () => {
      readFilters();
      render(lastCollectors);
    });

    const round = async () => {
      try {
        if (!$('pause').checked) {
          const now = Date.now();
          await Promise.all(collectors.map((c) => pollCollector(c, now)));
          trimTraps();
          render(collectors);
          rounds++;
          document.body.dataset.rounds = String(rounds); // lets a test wait for fresh data
        }
      } finally {
        setTimeout(round, intervalMs); // the next round only after this one: no pile-up on a slow link
      }
    };
    lastCollectors = collectors;
    round();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
