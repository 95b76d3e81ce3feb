// The trap timeline: traps per minute by category over the last two hours, one stacked bar a
// minute on a canvas. A coalesced trap counts as many traps as it stands for (its count), so a
// storm stands out as a spike. Clicking a bar (or Enter on the keyboard cursor) picks that
// minute; Escape clears it. Exposes window.TrapTimeline.
'use strict';

(() => {
  const MINUTES = 120;
  const COLOURS = ['#56b4e9', '#e69f00', '#b2182b', '#2d004b']; // Info .. Fatal, as .swatch.cat-N in app.css
  const NAMES = ['Info', 'Warning', 'Critical', 'Fatal'];
  const AXIS = 16;

  class TrapTimeline {
    /**
     * @param canvas  the chart
     * @param tip     an element for the hovered minute's figures (text only)
     * @param onPick  called with a minute (epoch seconds of its start) or null
     */
    constructor(canvas, tip, onPick) {
      this.canvas = canvas;
      this.tip = tip;
      this.onPick = onPick;
      this.counts = new Map(); // minute start (s) -> [Info, Warning, Critical, Fatal]
      this.counted = new Map(); // trap id -> { minute, category, count } already added
      this.picked = null;
      this.cursor = null;
      this.end = 0;
      canvas.addEventListener('mousemove', (e) => this.showTip(this.minuteAt(e), e));
      canvas.addEventListener('mouseleave', () => {
        this.tip.hidden = true;
      });
      canvas.addEventListener('click', (e) => {
        const m = this.minuteAt(e);
        if (m !== null) {
          this.pick(this.picked === m ? null : m);
        }
      });
      canvas.addEventListener('keydown', (e) => this.key(e));
      canvas.addEventListener('focus', () => {
        this.cursor = this.cursor ?? this.picked ?? this.end - 60;
        this.draw();
      });
      canvas.addEventListener('blur', () => this.draw());
    }

    /**
     * Counts a trap (again): a coalesced trap whose count grew adds the difference. A trap may
     * come from several collectors or be read again after a restart; its id counts once.
     */
    add(t) {
      const count = Math.max(1, t.count || 1);
      const known = this.counted.get(t.id);
      if (known && count <= known.count) {
        return;
      }
      const minute = Math.floor(t.when / 60) * 60;
      const add = count - (known ? known.count : 0);
      let row = this.counts.get(minute);
      if (!row) {
        row = [0, 0, 0, 0];
        this.counts.set(minute, row);
      }
      row[t.category] += add;
      this.counted.set(t.id, { minute, count });
    }

    /** Forgets what is older than the window. */
    prune(nowSeconds) {
      this.end = Math.floor(nowSeconds / 60) * 60 + 60;
      const start = this.end - MINUTES * 60;
      for (const m of this.counts.keys()) {
        if (m < start) {
          this.counts.delete(m);
        }
      }
      for (const [id, c] of this.counted) {
        if (c.minute < start) {
          this.counted.delete(id);
        }
      }
    }

    total(minute) {
      const row = this.counts.get(minute);
      return row ? row[0] + row[1] + row[2] + row[3] : 0;
    }

    /** The highest minute in the window: [minute, total]. */
    peak() {
      let best = [null, 0];
      for (let i = 0; i < MINUTES; i++) {
        const m = this.end - (MINUTES - i) * 60;
        const n = this.total(m);
        if (n > best[1]) {
          best = [m, n];
        }
      }
      return best;
    }

    draw() {
      const box = this.canvas.parentElement.clientWidth;
      const height = 110;
      const ratio = window.devicePixelRatio || 1;
      if (this.canvas.width !== Math.round(box * ratio) || this.canvas.height !== Math.round(height * ratio)) {
        this.canvas.width = Math.round(box * ratio);
        this.canvas.height = Math.round(height * ratio);
        this.canvas.style.width = box + 'px';
        this.canvas.style.height = height + 'px';
      }
      const ctx = this.canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, box, height);
      const [peakMinute, peak] = this.peak();
      const plot = height - AXIS - 14;
      const bar = box / MINUTES;
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#555';
      ctx.textBaseline = 'top';
      for (let i = 0; i < MINUTES; i++) {
        const m = this.end - (MINUTES - i) * 60;
        const x = i * bar;
        if (m === this.picked) {
          ctx.fillStyle = '#dde7f0';
          ctx.fillRect(x, 0, bar, plot + 14);
        }
        const row = this.counts.get(m);
        if (row && peak > 0) {
          let y = plot + 14;
          for (let c = 0; c < 4; c++) {
            if (row[c] > 0) {
              const h = Math.max(1, (row[c] / peak) * plot);
              ctx.fillStyle = COLOURS[c];
              ctx.fillRect(x + 0.5, y - h, Math.max(1, bar - 1), h);
              y -= h;
            }
          }
        }
        if (m === this.cursor && document.activeElement === this.canvas) {
          ctx.strokeStyle = '#000';
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x, 1, bar, plot + 13);
        }
        const d = new Date(m * 1000);
        if (d.getMinutes() % 15 === 0) {
          ctx.fillStyle = '#555';
          ctx.fillRect(x, plot + 14, 1, 4);
          ctx.fillText(String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0'),
            x + 2, plot + 17);
        }
      }
      ctx.fillStyle = '#222';
      if (peak > 0) {
        const label = 'peak ' + peak.toLocaleString('en-US') + ' traps/min';
        const px = Math.min(box - ctx.measureText(label).width - 2,
          Math.max(0, (MINUTES - (this.end - peakMinute) / 60) * bar));
        ctx.fillText(label, px, 0);
      } else {
        ctx.fillText('no traps in the last 2 hours', 2, 0);
      }
    }

    minuteAt(e) {
      const rect = this.canvas.getBoundingClientRect();
      const i = Math.floor((e.clientX - rect.left) / (rect.width / MINUTES));
      return i >= 0 && i < MINUTES ? this.end - (MINUTES - i) * 60 : null;
    }

    describe(m) {
      const row = this.counts.get(m) || [0, 0, 0, 0];
      const d = new Date(m * 1000);
      return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0') + ': ' +
        row.map((n, c) => NAMES[c] + ' ' + n.toLocaleString('en-US')).join(', ');
    }

    showTip(m, e) {
      if (m === null) {
        this.tip.hidden = true;
        return;
      }
      this.tip.textContent = this.describe(m);
      this.tip.hidden = false;
      if (e) {
        const box = this.canvas.parentElement.getBoundingClientRect();
        this.tip.style.left = Math.min(box.width - 260, e.clientX - box.left + 12) + 'px';
        this.tip.style.top = (e.clientY - box.top + 12) + 'px';
      }
    }

    pick(m) {
      this.picked = m;
      this.draw();
      this.onPick(m);
    }

    key(e) {
      const first = this.end - MINUTES * 60;
      const last = this.end - 60;
      let m = this.cursor ?? last;
      switch (e.key) {
        case 'ArrowLeft': m = Math.max(first, m - 60); break;
        case 'ArrowRight': m = Math.min(last, m + 60); break;
        case 'Home': m = first; break;
        case 'End': m = last; break;
        case 'Enter':
        case ' ':
          e.preventDefault();
          this.pick(this.picked === m ? null : m);
          return;
        case 'Escape':
          this.pick(null);
          return;
        default:
          return;
      }
      e.preventDefault();
      this.cursor = m;
      this.canvas.setAttribute('aria-label', 'trap timeline: ' + this.describe(m));
      this.draw();
    }
  }

  window.TrapTimeline = TrapTimeline;
})();
