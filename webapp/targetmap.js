// The target map: every target of every file system as one cell of a canvas (100,000 DOM nodes
// would cost the browser far more than the pixels do), grouped by file system, in index order,
// from getTargetStates' one letter per target. Cells are written into an ImageData; a cell large
// enough also gets a pattern, and a larger one its letter, so that no state is told by colour
// alone. Keyboard: arrows move a cursor, Page Up/Down jump between file systems, Enter opens the
// target's details. Exposes window.TargetMap.
'use strict';

(() => {
  // The API's letters (README, "XML-RPC API"), the most urgent last: a target two collectors
  // report differently is drawn in the worse state.
  const STATES = [
    { code: '-', label: 'no target', rgb: null },
    { code: 'R', label: 'responding', rgb: [0xc9, 0xe4, 0xf2] },
    { code: 'U', label: 'unknown', rgb: [0xff, 0xff, 0xff], checker: [0x9e, 0x9e, 0x9e] },
    { code: 'F', label: 'full (over 95%)', rgb: [0xf0, 0xe4, 0x42] },
    { code: 'I', label: 'inactive', rgb: [0x99, 0x99, 0x99] },
    { code: 'H', label: 'unhealthy', rgb: [0xcc, 0x79, 0xa7] },
    { code: 'D', label: 'not responding', rgb: [0xd5, 0x5e, 0x00] },
  ];
  // Rank by character code; a letter this page does not know yet counts as unknown.
  const RANK = new Uint8Array(128).fill(STATES.findIndex((s) => s.code === 'U'));
  STATES.forEach((s, i) => {
    RANK[s.code.charCodeAt(0)] = i;
  });
  const rankOf = (code) => RANK[code] ?? RANK['U'.charCodeAt(0)];
  const INK = [0x22, 0x22, 0x22];
  const LABEL_HEIGHT = 15;
  const BLOCK_GAP = 8;
  const PITCHES = [18, 14, 10, 8, 6, 5, 4, 3, 2, 1];
  /** Cell pitch from which a cell shows its state's letter rather than a pattern. */
  const LETTERS = 14;

  function hex4(n) {
    return n.toString(16).padStart(4, '0');
  }

  /**
   * One file system's cells, merged over the collectors that answered for it: positions are the
   * MDTs then the OSTs, each kind from its lowest index; rank[] holds the state (index in STATES).
   */
  class FsCells {
    constructor(name) {
      this.name = name;
      this.kinds = new Map(); // kind -> { first, ranks: Uint8Array }
      this.names = Object.create(null);
    }

    add(answer) {
      for (const k of Array.isArray(answer.kinds) ? answer.kinds : []) {
        if ((k.kind !== 'MDT' && k.kind !== 'OST') || typeof k.codes !== 'string' || !Number.isInteger(k.first)) {
          continue;
        }
        const known = this.kinds.get(k.kind);
        const first = known ? Math.min(known.first, k.first) : k.first;
        const end = Math.max(known ? known.first + known.ranks.length : 0, k.first + k.codes.length);
        let ranks = known ? known.ranks : null;
        if (!known || first !== known.first || end - first !== known.ranks.length) {
          ranks = new Uint8Array(end - first);
          if (known) {
            ranks.set(known.ranks, known.first - first);
          }
        }
        for (let i = 0; i < k.codes.length; i++) {
          const r = rankOf(k.codes.charCodeAt(i));
          const at = k.first - first + i;
          if (r > ranks[at]) {
            ranks[at] = r;
          }
        }
        this.kinds.set(k.kind, { first, ranks });
      }
      if (answer.names && typeof answer.names === 'object') {
        Object.assign(this.names, answer.names);
      }
    }

    get size() {
      let n = 0;
      for (const k of this.kinds.values()) {
        n += k.ranks.length;
      }
      return n;
    }

    /** The target at position p: { name, rank } (name null for a gap). */
    at(p) {
      for (const kind of ['MDT', 'OST']) {
        const k = this.kinds.get(kind);
        if (!k) {
          continue;
        }
        if (p < k.ranks.length) {
          const index = k.first + p;
          const rank = k.ranks[p];
          const name = rank === 0 ? null : this.names[kind + index] || this.name + '-' + kind + hex4(index);
          return { name, rank };
        }
        p -= k.ranks.length;
      }
      return null;
    }

    /** Position of a target name, or -1. */
    positionOf(name) {
      let base = 0;
      for (const kind of ['MDT', 'OST']) {
        const k = this.kinds.get(kind);
        if (!k) {
          continue;
        }
        for (let p = 0; p < k.ranks.length; p++) {
          const index = k.first + p;
          if ((this.names[kind + index] || this.name + '-' + kind + hex4(index)) === name) {
            return base + p;
          }
        }
        base += k.ranks.length;
      }
      return -1;
    }

    counts() {
      const c = new Array(STATES.length).fill(0);
      for (const k of this.kinds.values()) {
        for (const r of k.ranks) {
          c[r]++;
        }
      }
      return c;
    }

    /** The kinds present, MDTs first: { first, ranks }. */
    ordered() {
      return ['MDT', 'OST'].map((k) => this.kinds.get(k)).filter((k) => k);
    }

    /** Ranks of every position, MDTs then OSTs. */
    *ranks() {
      for (const kind of ['MDT', 'OST']) {
        const k = this.kinds.get(kind);
        if (k) {
          yield* k.ranks;
        }
      }
    }
  }

  class TargetMap {
    /**
     * @param canvas  the map's canvas
     * @param tip     an element for the hovered target's name (text only)
     * @param onPick  called with a target name when a cell is clicked or Enter pressed
     */
    constructor(canvas, tip, onPick) {
      this.canvas = canvas;
      this.tip = tip;
      this.onPick = onPick;
      this.fileSystems = [];
      this.signature = '';
      this.blocks = [];
      this.cursor = null; // { block, pos }
      this.width = 0;
      this.lastDrawMs = 0;
      canvas.addEventListener('mousemove', (e) => this.hover(e));
      canvas.addEventListener('mouseleave', () => this.showTip(null));
      canvas.addEventListener('click', (e) => {
        const hit = this.hit(e);
        if (hit && hit.target.name) {
          this.cursor = { block: hit.block, pos: hit.pos };
          this.draw();
          this.onPick(hit.target.name);
        }
      });
      canvas.addEventListener('keydown', (e) => this.key(e));
      canvas.addEventListener('focus', () => {
        if (!this.cursor && this.blocks.length) {
          this.cursor = { block: 0, pos: 0 };
        }
        this.draw();
        this.announce();
      });
      canvas.addEventListener('blur', () => this.draw());
      // Where a target is drawn (CSS pixels from the canvas' corner), or null: for tools and tests.
      canvas.cellBox = (name) => this.cellBox(name);
      // Only a new width lays the map out again (update compares it): a taller window, or a
      // full-page screenshot, keeps the cells where they are.
      window.addEventListener('resize', () => this.update(this.answers, false));
    }

    /**
     * New answers: [fsName, [answer from each collector]] in the order to draw. Redraws only when
     * a letter changed (or the width did): at 100,000 targets a round with no change costs one
     * string comparison per file system.
     */
    update(answers, force) {
      const same = !force && this.answers && answers && answers.length === this.answers.length
        && answers.every(([name, list], i) => name === this.answers[i][0] && list.length === this.answers[i][1].length
          && list.every((a, k) => a === this.answers[i][1][k]));
      const width = this.canvas.parentElement.clientWidth;
      if (same && width === this.width) {
        return false; // the very answer objects drawn last time
      }
      this.answers = answers || [];
      const signature = this.answers.map(([name, list]) => name + '\u0000' +
        list.map((a) => (Array.isArray(a.kinds) ? a.kinds.map((k) => k.kind + k.first + ':' + k.codes).join('|') : ''))
          .join('/')).join('\n');
      if (!force && signature === this.signature && width === this.width) {
        return false;
      }
      this.signature = signature;
      this.fileSystems = this.answers.map(([name, list]) => {
        const f = new FsCells(name);
        for (const a of list) {
          f.add(a);
        }
        return f;
      });
      // A new layout only when the file systems or their sizes changed: a state change keeps
      // every cell where it was.
      const shape = width + ' ' + this.fileSystems.map((f) => f.name + ':' + f.size).join(' ');
      if (force || shape !== this.shape) {
        this.shape = shape;
        this.layout(width);
      } else {
        this.blocks.forEach((b, i) => {
          b.fs = this.fileSystems[i];
        });
      }
      this.draw();
      return true;
    }

    /** Chooses the largest cell pitch at which every file system fits in about a screen's height. */
    layout(width) {
      this.width = width;
      // About a screen and a half: 100,000 targets then get 3-pixel cells on a 1400x1000 screen.
      const maxHeight = Math.max(400, Math.round((window.screen.height || window.innerHeight) * 1.4));
      const sizes = this.fileSystems.map((f) => f.size);
      let best = null;
      for (const pitch of PITCHES) {
        best = null;
        for (let perRow = 1; perRow <= Math.max(1, sizes.length); perRow++) {
          const blockWidth = Math.floor((width - (perRow - 1) * BLOCK_GAP) / perRow);
          const cols = Math.floor(blockWidth / pitch);
          if (cols < 8) {
            break;
          }
          let height = 0;
          for (let i = 0; i < sizes.length; i += perRow) {
            const rows = Math.max(...sizes.slice(i, i + perRow).map((n) => Math.ceil(n / cols)), 1);
            height += LABEL_HEIGHT + rows * pitch + BLOCK_GAP;
          }
          // The widest blocks that fit; else, at this pitch, the lowest layout.
          if (height <= maxHeight) {
            best = { pitch, perRow, cols, blockWidth, height };
            break;
          }
          if (!best || height < best.height) {
            best = { pitch, perRow, cols, blockWidth, height };
          }
        }
        if (best && best.height <= maxHeight) {
          break;
        }
      }
      best = best || { pitch: 1, perRow: 1, cols: Math.max(1, width), blockWidth: width, height: 0 };
      this.pitch = best.pitch;
      this.blocks = [];
      let y = 0;
      for (let i = 0; i < this.fileSystems.length; i += best.perRow) {
        const row = this.fileSystems.slice(i, i + best.perRow);
        const rows = Math.max(...row.map((f) => Math.ceil(f.size / best.cols)), 1);
        row.forEach((f, k) => {
          this.blocks.push({ fs: f, x: k * (best.blockWidth + BLOCK_GAP), y, cols: best.cols,
            rows: Math.ceil(f.size / best.cols) });
        });
        y += LABEL_HEIGHT + rows * best.pitch + BLOCK_GAP;
      }
      const ratio = window.devicePixelRatio || 1;
      this.canvas.style.width = width + 'px';
      this.canvas.style.height = Math.max(y, 20) + 'px';
      this.canvas.width = Math.max(1, Math.round(width * ratio));
      this.canvas.height = Math.max(1, Math.round(Math.max(y, 20) * ratio));
      this.ratio = ratio;
      this.canvas.dataset.layout = best.pitch + ' px, ' + best.perRow + ' a row, ' + best.cols + ' columns';
      if (this.cursor && this.cursor.block >= this.blocks.length) {
        this.cursor = null;
      }
    }

    draw() {
      const t0 = performance.now();
      const ctx = this.canvas.getContext('2d');
      const W = this.canvas.width;
      const H = this.canvas.height;
      const r = this.ratio || 1;
      if (!this.image || this.image.width !== W || this.image.height !== H) {
        this.image = ctx.createImageData(W, H);
      }
      const image = this.image;
      const px = new Uint32Array(image.data.buffer);
      px.fill(0);
      const little = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
      const pack = (c) => (little ? (0xff << 24) | (c[2] << 16) | (c[1] << 8) | c[0]
        : (c[0] << 24) | (c[1] << 16) | (c[2] << 8) | 0xff) >>> 0;
      const colours = STATES.map((s) => (s.rgb ? pack(s.rgb) : 0));
      const checkers = STATES.map((s) => (s.checker ? pack(s.checker) : 0));
      const ink = pack(INK);
      const edge = pack([0xbb, 0xbb, 0xbb]);
      const cellPx = Math.max(1, Math.round(this.pitch * r));
      const gap = this.pitch >= 4 ? Math.max(1, Math.round(r)) : 0;
      const size = cellPx - gap;
      for (const b of this.blocks) {
        const x0 = Math.round(b.x * r);
        const y0 = Math.round((b.y + LABEL_HEIGHT) * r);
        let p = 0;
        for (const kind of b.fs.ordered()) {
          const ranks = kind.ranks;
          for (let i = 0; i < ranks.length; i++, p++) {
            const rank = ranks[i];
            if (rank === 0) {
              continue;
            }
            const cx = x0 + (p % b.cols) * cellPx;
            const cy = y0 + ((p / b.cols) | 0) * cellPx;
            if (size >= 6) {
              this.fillCell(px, W, H, cx, cy, size, colours[rank], rank, ink, edge, this.pitch >= LETTERS);
            } else {
              // Too small for a pattern: the unknown state is a checker, the others plain.
              const c = colours[rank];
              const k = checkers[rank];
              for (let y = 0; y < size && cy + y < H; y++) {
                const row = (cy + y) * W + cx;
                for (let x = 0; x < size && cx + x < W; x++) {
                  px[row + x] = k && ((x + y) & 1) ? k : c;
                }
              }
            }
          }
        }
      }
      ctx.putImageData(image, 0, 0);
      ctx.save();
      ctx.scale(r, r);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      ctx.fillStyle = '#222';
      for (const b of this.blocks) {
        const c = b.fs.counts();
        const bad = c[rankOf(68)] + c[rankOf(72)]; // D, H
        const text = b.fs.name + (bad ? '  ' + bad + ' down' : '');
        ctx.fillText(text, b.x, b.y + 2, b.cols * this.pitch);
      }
      if (this.pitch >= LETTERS) { // room for the letter itself
        ctx.font = 'bold ' + Math.round(this.pitch * 0.6) + 'px system-ui, sans-serif';
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        for (const b of this.blocks) {
          let p = 0;
          for (const rank of b.fs.ranks()) {
            if (rank !== 0 && STATES[rank].code !== 'R') {
              ctx.fillText(STATES[rank].code, b.x + (p % b.cols) * this.pitch + (this.pitch - 1) / 2,
                b.y + LABEL_HEIGHT + Math.floor(p / b.cols) * this.pitch + (this.pitch - 1) / 2);
            }
            p++;
          }
        }
      }
      if (this.cursor && document.activeElement === this.canvas) {
        const b = this.blocks[this.cursor.block];
        ctx.strokeStyle = '#000';
        ctx.lineWidth = 2;
        const p = this.cursor.pos;
        ctx.strokeRect(b.x + (p % b.cols) * this.pitch - 2, b.y + LABEL_HEIGHT + Math.floor(p / b.cols) * this.pitch - 2,
          this.pitch + 3, this.pitch + 3);
      }
      ctx.restore();
      this.lastDrawMs = performance.now() - t0;
    }

    /**
     * One cell, with its state's pattern when there is room (6 device pixels or more) and no
     * letter is drawn over it: a cross for not responding, a diagonal for inactive, a bar for
     * full, a dot for unhealthy; unknown is outlined (white on white otherwise); responding
     * stays plain.
     */
    fillCell(px, W, H, cx, cy, size, colour, rank, ink, edge, lettered) {
      const code = STATES[rank].code;
      const patterned = !lettered;
      for (let y = 0; y < size && cy + y < H; y++) {
        const row = (cy + y) * W;
        for (let x = 0; x < size && cx + x < W; x++) {
          let c = colour;
          if (patterned && ((code === 'D' && (x === y || x === size - 1 - y))
            || (code === 'I' && x === size - 1 - y)
            || (code === 'F' && y >= size / 2 - 1 && y <= size / 2)
            || (code === 'H' && Math.abs(x - size / 2) < 1.5 && Math.abs(y - size / 2) < 1.5))) {
            c = ink;
          } else if (code === 'U' && (x === 0 || y === 0 || x === size - 1 || y === size - 1)) {
            c = edge;
          }
          px[row + cx + x] = c;
        }
      }
    }

    hit(e) {
      const rect = this.canvas.getBoundingClientRect();
      const x = e.clientX - rect.left;
      const y = e.clientY - rect.top;
      for (let i = 0; i < this.blocks.length; i++) {
        const b = this.blocks[i];
        const col = Math.floor((x - b.x) / this.pitch);
        const row = Math.floor((y - b.y - LABEL_HEIGHT) / this.pitch);
        if (col >= 0 && col < b.cols && row >= 0 && row < b.rows) {
          const pos = row * b.cols + col;
          const target = b.fs.at(pos);
          return target ? { block: i, pos, target } : null;
        }
      }
      return null;
    }

    hover(e) {
      const hit = this.hit(e);
      this.showTip(hit && hit.target.name ? hit.target : null, e);
    }

    showTip(target, e) {
      if (!target) {
        this.tip.hidden = true;
        this.canvas.style.cursor = '';
        return;
      }
      this.tip.textContent = target.name + ': ' + STATES[target.rank].label;
      this.tip.hidden = false;
      this.canvas.style.cursor = 'pointer';
      if (e) {
        const box = this.canvas.parentElement.getBoundingClientRect();
        this.tip.style.left = (e.clientX - box.left + 12) + 'px';
        this.tip.style.top = (e.clientY - box.top + 12) + 'px';
      }
    }

    /** The cursor's target, for the live region and Enter. */
    cursorTarget() {
      if (!this.cursor) {
        return null;
      }
      const b = this.blocks[this.cursor.block];
      return b ? b.fs.at(this.cursor.pos) : null;
    }

    announce() {
      const t = this.cursorTarget();
      this.canvas.setAttribute('aria-label', 'target map' + (t && t.name ? ': ' + t.name + ', ' + STATES[t.rank].label
        : ''));
      this.tip.hidden = !(t && t.name);
      if (t && t.name) {
        const b = this.blocks[this.cursor.block];
        this.tip.textContent = t.name + ': ' + STATES[t.rank].label;
        this.tip.style.left = (b.x + (this.cursor.pos % b.cols) * this.pitch + 14) + 'px';
        this.tip.style.top = (b.y + LABEL_HEIGHT + Math.floor(this.cursor.pos / b.cols) * this.pitch + 14) + 'px';
      }
    }

    key(e) {
      if (!this.blocks.length) {
        return;
      }
      const c = this.cursor || { block: 0, pos: 0 };
      const b = this.blocks[c.block];
      const last = b.fs.size - 1;
      let { block, pos } = c;
      switch (e.key) {
        case 'ArrowRight': pos = Math.min(last, pos + 1); break;
        case 'ArrowLeft': pos = Math.max(0, pos - 1); break;
        case 'ArrowDown': pos = Math.min(last, pos + b.cols); break;
        case 'ArrowUp': pos = Math.max(0, pos - b.cols); break;
        case 'Home': pos = 0; break;
        case 'End': pos = last; break;
        case 'PageDown': block = Math.min(this.blocks.length - 1, block + 1); pos = 0; break;
        case 'PageUp': block = Math.max(0, block - 1); pos = 0; break;
        case 'Enter':
        case ' ': {
          const t = this.cursorTarget();
          if (t && t.name) {
            this.onPick(t.name);
          }
          e.preventDefault();
          return;
        }
        default:
          return;
      }
      e.preventDefault();
      this.cursor = { block, pos };
      this.draw();
      this.announce();
    }

    /** Moves the cursor to a target (the details' own), when it is on the map. */
    select(name) {
      for (let i = 0; i < this.blocks.length; i++) {
        const pos = this.blocks[i].fs.positionOf(name);
        if (pos >= 0) {
          this.cursor = { block: i, pos };
          this.draw();
          return true;
        }
      }
      return false;
    }

    cellBox(name) {
      for (const b of this.blocks) {
        const pos = b.fs.positionOf(name);
        if (pos >= 0) {
          return { x: b.x + (pos % b.cols) * this.pitch, y: b.y + LABEL_HEIGHT + Math.floor(pos / b.cols) * this.pitch,
            size: this.pitch };
        }
      }
      return null;
    }

    /** Counts by state over every file system drawn: {label: n}. */
    totals() {
      const out = {};
      for (const f of this.fileSystems) {
        f.counts().forEach((n, i) => {
          if (i > 0) {
            out[STATES[i].code] = (out[STATES[i].code] || 0) + n;
          }
        });
      }
      return out;
    }
  }

  TargetMap.STATES = STATES;
  window.TargetMap = TargetMap;
})();
