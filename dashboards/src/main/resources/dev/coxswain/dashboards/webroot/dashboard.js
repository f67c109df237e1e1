// Coxswain dashboard: renders the live stream of /api/stream (Server-Sent Events) as a straggler panel, a cluster
// graph and one step-time chart per job. No libraries; every element is built with the DOM API (never innerHTML), so names
// coming from the cluster are always shown as text.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#3d3d3d'];
  const STALE_MS = 10000;

  const state = {
    generation: 0, at: 0, serverTime: 0, receivedAt: 0, chartWindowMs: 120000,
    graph: null, graphKey: '', graphEls: null,
    jobs: new Map(), // id -> {summary, workers: Map(worker -> [[t, step, ms, compute, comm, wait]])}
    stragglers: { detector: '', current: [], recent: [] }, // the detector's board, as /api/stragglers
    actions: { controller: '', mode: '', jobModes: {}, actions: [] }, // the controller's board, as /api/actions
    conn: 'connecting'
  };

  // ---------- helpers ----------
  function el(tag, attrs, parent, text) {
    const node = document.createElementNS(SVG, tag);
    for (const k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function html(tag, cls, parent, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (Math.abs(n) >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (n >= 100 || i === 0 ? n.toFixed(0) : n.toFixed(1)) + ' ' + units[i];
  }
  function gib(n) { return (n / 1073741824).toFixed(n >= 10 * 1073741824 ? 0 : 1); }
  function pct(x) { return x === null || x === undefined ? '–' : Math.round(x) + '%'; }
  /** A reading the GPU may not report (null): rounded, or a dash. */
  function num(x) { return x === null || x === undefined ? '–' : String(Math.round(x)); }
  function ms(x) {
    if (x === null || x === undefined) return '–';
    return x >= 1000 ? (x / 1000).toFixed(2) + ' s' : (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms';
  }
  function short(s, n) { return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  // ---------- graph layout ----------
  const GPU_W = 64, GPU_H = 46, NIC_W = 64, NIC_H = 20, SLOT = 70, PAD = 12, HOST_GAP = 22;
  const SWITCH_W = 104, SWITCH_H = 26;

  function groupGraph(graph) {
    const hosts = new Map();
    const switches = [];
    const host = id => {
      if (!hosts.has(id)) hosts.set(id, { id: id, vertex: null, gpus: [], nics: [] });
      return hosts.get(id);
    };
    for (const v of graph.vertices) {
      if (v.kind === 'switch') switches.push(v);
      else if (v.kind === 'host') host(v.nodeId).vertex = v;
      else if (v.kind === 'gpu') host(v.nodeId).gpus.push(v);
      else if (v.kind === 'nic') host(v.nodeId).nics.push(v);
    }
    return { hosts: Array.from(hosts.values()), switches: switches };
  }

  function layout(graph, width) {
    const g = groupGraph(graph);
    const pos = new Map(); // vertex id -> {x, y, w, h}
    const hasSwitches = g.switches.length > 0;
    let x = 0, y = hasSwitches ? 150 : 0, rowH = 0;
    const boxes = [];
    for (const h of g.hosts) {
      const slots = Math.max(h.gpus.length, h.nics.length, 3);
      const w = slots * SLOT + 2 * PAD - (SLOT - GPU_W);
      const nvDepth = nvlinkDepth(graph, h);
      const hh = 34 + NIC_H + 30 + GPU_H + nvDepth + 30;
      if (x > 0 && x + w > width) { x = 0; y += rowH + HOST_GAP; rowH = 0; }
      const nicX = x + (w - (h.nics.length * SLOT - (SLOT - NIC_W))) / 2;
      // The name must end before the first NIC, whose cable comes down through the header.
      const nameChars = Math.max(4, Math.floor(((h.nics.length ? nicX - x : w) - PAD - 8) / 7.5));
      const box = { host: h, x: x, y: y, w: w, h: hh, nameChars: nameChars };
      boxes.push(box);
      pos.set('host:' + h.id, { x: x + PAD, y: y + 34 + NIC_H + 12, w: w - 2 * PAD, h: 6, bus: true });
      h.nics.forEach((n, i) => pos.set(n.id, { x: nicX + i * SLOT, y: y + 34, w: NIC_W, h: NIC_H, boxTop: y }));
      h.gpus.forEach((gp, i) => pos.set(gp.id, { x: x + PAD + i * SLOT, y: y + 34 + NIC_H + 30, w: GPU_W, h: GPU_H }));
      x += w + HOST_GAP;
      rowH = Math.max(rowH, hh);
    }
    placeSwitches(graph, g.switches, pos, width);
    const height = (boxes.length ? y + rowH : (hasSwitches ? 110 : 0)) + 4;
    const right = boxes.reduce((m, b) => Math.max(m, b.x + b.w), 0);
    return { boxes: boxes, switches: g.switches, pos: pos, height: height, width: Math.max(right, width) };
  }

  function nvlinkDepth(graph, h) {
    const idx = new Map(h.gpus.map((gp, i) => [gp.id, i]));
    let span = 0;
    for (const l of graph.links) {
      if (l.type === 'NVLINK' && idx.has(l.a) && idx.has(l.b)) span = Math.max(span, Math.abs(idx.get(l.a) - idx.get(l.b)));
    }
    return span === 0 ? 0 : 8 + span * 7;
  }

  function placeSwitches(graph, switches, pos, width) {
    const neighbours = new Map(switches.map(s => [s.id, []]));
    for (const l of graph.links) {
      if (neighbours.has(l.a)) neighbours.get(l.a).push(l.b);
      if (neighbours.has(l.b)) neighbours.get(l.b).push(l.a);
    }
    const place = (tier, y) => {
      const row = switches.filter(s => s.tier === tier).map(s => {
        const xs = neighbours.get(s.id).map(n => pos.get(n)).filter(p => p).map(p => p.x + p.w / 2);
        return { s: s, x: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN };
      });
      row.forEach((r, i) => { if (isNaN(r.x)) r.x = (i + 0.5) * width / row.length; });
      row.sort((a, b) => a.x - b.x);
      for (let i = 1; i < row.length; i++) row[i].x = Math.max(row[i].x, row[i - 1].x + SWITCH_W + 14);
      row.forEach(r => pos.set(r.s.id, { x: Math.max(0, r.x - SWITCH_W / 2), y: y, w: SWITCH_W, h: SWITCH_H }));
    };
    place('leaf', 84);
    place('spine', 12);
  }

  // ---------- graph rendering ----------
  function graphKey(graph) {
    return graph.vertices.map(v => v.id).join('|') + '#' + graph.links.map(l => l.id).join('|');
  }

  function buildGraph(graph) {
    const svg = document.getElementById('graph');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const width = Math.max(600, document.getElementById('graph-box').clientWidth - 4);
    const lay = layout(graph, width);
    svg.setAttribute('width', lay.width);
    svg.setAttribute('height', lay.height);
    svg.setAttribute('viewBox', '0 0 ' + lay.width + ' ' + lay.height);
    const els = { links: new Map(), gpus: new Map(), hosts: new Map(), nics: new Map() };
    // Cables between switches and hosts go beneath the host boxes, so that one reaching a host in a lower row
    // passes behind the rows above; links inside a host are drawn over its box.
    const cableLayer = el('g', { class: 'cables' }, svg);
    const hostLayer = el('g', { class: 'hosts' }, svg);
    const linkLayer = el('g', { class: 'links' }, svg);
    const nodeLayer = el('g', { class: 'nodes' }, svg);
    for (const b of lay.boxes) drawHost(hostLayer, b, els);
    for (const l of graph.links) {
      const layer = l.type === 'NETWORK' || l.type === 'FABRIC' ? cableLayer : linkLayer;
      const path = el('path', { class: 'link', d: linkPath(l, lay.pos), 'data-link': l.id, 'data-type': l.type,
        'stroke-width': l.type === 'NVLINK' ? 2.5 : (l.type === 'FABRIC' ? 4 : 3) }, layer);
      const entry = { path: path, title: el('title', {}, path), stub: null };
      const nic = lay.pos.get(l.a) && lay.pos.get(l.a).boxTop !== undefined ? lay.pos.get(l.a)
        : (lay.pos.get(l.b) && lay.pos.get(l.b).boxTop !== undefined ? lay.pos.get(l.b) : null);
      if (layer === cableLayer && nic) {
        // The cable's last stretch, from the host box's edge to the NIC, drawn over the box.
        const x = nic.x + nic.w / 2;
        entry.stub = el('path', { class: 'link', 'data-stub': l.id, d: 'M' + x + ' ' + nic.boxTop + ' L' + x + ' ' + nic.y,
          'stroke-width': 3 }, linkLayer);
      }
      els.links.set(l.id, entry);
    }
    for (const s of lay.switches) drawSwitch(nodeLayer, s, lay.pos.get(s.id));
    for (const b of lay.boxes) {
      b.host.nics.forEach(n => drawNic(nodeLayer, n, lay.pos.get(n.id), els));
      b.host.gpus.forEach(gp => drawGpu(nodeLayer, gp, lay.pos.get(gp.id), els));
    }
    return els;
  }

  function drawHost(layer, b, els) {
    const g = el('g', { class: 'host', 'data-host': b.host.id }, layer);
    el('rect', { class: 'host-box', x: b.x + 0.5, y: b.y + 0.5, width: b.w - 1, height: b.h - 1, rx: 7 }, g);
    el('text', { class: 'host-name', x: b.x + PAD, y: b.y + 19 }, g, short(b.host.id, b.nameChars));
    const stats = el('text', { class: 'host-stats', x: b.x + PAD, y: b.y + b.h - 9 }, g);
    el('rect', { class: 'bus', x: b.x + PAD, y: b.y + 34 + NIC_H + 12, width: b.w - 2 * PAD, height: 6, rx: 3 }, g);
    el('text', { class: 'bus-label', x: b.x + b.w - PAD, y: b.y + 34 + NIC_H + 9, 'text-anchor': 'end' }, g, 'PCIe');
    els.hosts.set(b.host.id, { stats: stats, title: el('title', {}, g) });
  }

  function drawSwitch(layer, s, p) {
    const g = el('g', { class: 'switch', 'data-vertex': s.id }, layer);
    el('rect', { class: 'switch-box', x: p.x, y: p.y, width: p.w, height: p.h, rx: 5 }, g);
    el('text', { class: 'switch-name', x: p.x + p.w / 2, y: p.y + 17, 'text-anchor': 'middle' }, g, short(s.switchId, 14));
    el('title', {}, g, s.tier + ' switch ' + s.switchId);
  }

  function drawNic(layer, n, p, els) {
    const g = el('g', { class: 'nic', 'data-vertex': n.id }, layer);
    el('rect', { class: 'nic-box', x: p.x, y: p.y, width: p.w, height: p.h, rx: 4 }, g);
    el('text', { class: 'nic-name', x: p.x + p.w / 2, y: p.y + 14, 'text-anchor': 'middle' }, g, short(n.name, 9));
    els.nics.set(n.id, { title: el('title', {}, g) });
  }

  function drawGpu(layer, gp, p, els) {
    const g = el('g', { class: 'gpu', 'data-vertex': gp.id }, layer);
    el('rect', { class: 'gpu-box', x: p.x, y: p.y, width: p.w, height: p.h, rx: 5 }, g);
    el('text', { class: 'gpu-name', x: p.x + 6, y: p.y + 14 }, g, 'GPU ' + gp.index);
    const stats = el('text', { class: 'gpu-stats', x: p.x + 6, y: p.y + 28 }, g, '–');
    el('rect', { class: 'gpu-util-track', x: p.x + 6, y: p.y + p.h - 11, width: p.w - 12, height: 5, rx: 2 }, g);
    const bar = el('rect', { class: 'gpu-util', x: p.x + 6, y: p.y + p.h - 11, width: 0, height: 5, rx: 2 }, g);
    el('text', { class: 'gpu-flag', x: p.x + p.w - 6, y: p.y + 14, 'text-anchor': 'end' }, g, '⚠');
    els.gpus.set(gp.id, { g: g, stats: stats, bar: bar, barW: p.w - 12, title: el('title', {}, g) });
  }

  function center(p, side) {
    if (p.bus) return { x: p.x + p.w / 2, y: p.y + 3 };
    const y = side === 'top' ? p.y : (side === 'bottom' ? p.y + p.h : p.y + p.h / 2);
    return { x: p.x + p.w / 2, y: y };
  }

  function linkPath(l, pos) {
    const pa = pos.get(l.a), pb = pos.get(l.b);
    if (!pa || !pb) return 'M0 0';
    if (l.type === 'NVLINK' && Math.abs(pa.y - pb.y) < 1) {
      const a = center(pa, 'bottom'), b = center(pb, 'bottom');
      const depth = 8 + Math.abs(a.x - b.x) / SLOT * 7;
      return 'M' + a.x + ' ' + a.y + ' C' + a.x + ' ' + (a.y + depth * 1.3) + ' ' + b.x + ' ' + (b.y + depth * 1.3)
        + ' ' + b.x + ' ' + b.y;
    }
    if (pa.bus || pb.bus) {
      const dev = pa.bus ? pb : pa, bus = pa.bus ? pa : pb;
      const x = dev.x + dev.w / 2;
      const devY = dev.y > bus.y ? dev.y : dev.y + dev.h;
      return 'M' + x + ' ' + devY + ' L' + x + ' ' + (bus.y + 3);
    }
    const upper = pa.y <= pb.y ? pa : pb, lower = upper === pa ? pb : pa;
    const a = center(upper, 'bottom'), b = center(lower, 'top');
    const mid = (a.y + b.y) / 2;
    return 'M' + a.x + ' ' + a.y + ' C' + a.x + ' ' + mid + ' ' + b.x + ' ' + mid + ' ' + b.x + ' ' + b.y;
  }

  function updateGraph(graph) {
    const key = graphKey(graph);
    const empty = graph.vertices.length === 0;
    document.getElementById('graph-empty').classList.toggle('hidden', !empty);
    document.getElementById('graph').classList.toggle('hidden', empty);
    if (key !== state.graphKey) {
      state.graphEls = buildGraph(graph);
      state.graphKey = key;
    }
    const els = state.graphEls;
    for (const l of graph.links) {
      const e = els.links.get(l.id);
      e.path.setAttribute('class', 'link load-' + l.level + ' type-' + l.type.toLowerCase());
      if (e.stub) e.stub.setAttribute('class', 'link stub load-' + l.level);
      e.title.textContent = l.type + '  ' + l.a + ' ↔ ' + l.b + '\n' + bytes(l.loadBytesPerSec) + '/s of '
        + bytes(l.capacityBytesPerSec) + '/s (' + pct(100 * l.utilization) + ')';
    }
    for (const v of graph.vertices) {
      const a = v.attributes;
      if (v.kind === 'gpu') updateGpu(els.gpus.get(v.id), v, a);
      else if (v.kind === 'host' && els.hosts.has(v.nodeId)) updateHost(els.hosts.get(v.nodeId), v, a);
      else if (v.kind === 'nic') {
        els.nics.get(v.id).title.textContent = v.id + (a ? '\nrx ' + bytes(a.rxBytesPerSec) + '/s  tx '
          + bytes(a.txBytesPerSec) + '/s\nerrors ' + a.errors + '  dropped ' + a.dropped : '\nno sample yet');
      }
    }
  }

  function updateGpu(e, v, a) {
    const slow = stragglerOnGpu(v.id);
    e.g.classList.toggle('straggler', !!slow);
    const slowNote = slow ? '\nstraggler: ' + slow.worker + ' of ' + slow.job + ', ' + slow.cause.replace(/_/g, ' ')
      + ' ×' + slow.slowdown.toFixed(2) : '';
    if (!a) {
      e.stats.textContent = 'no sample';
      e.title.textContent = v.id + '\nno sample yet' + slowNote;
      return;
    }
    e.stats.textContent = pct(a.utilizationPct) + ' · ' + num(a.temperatureC) + '°C';
    e.bar.setAttribute('width', (e.barW * Math.min(100, a.utilizationPct ?? 0) / 100).toFixed(1));
    e.g.classList.toggle('throttled', !!a.throttled);
    e.title.textContent = v.id + slowNote + '\n' + a.name + '\nutilisation ' + pct(a.utilizationPct)
      + '\nSM clock ' + num(a.smClockMhz) + (a.smClockMaxMhz ? ' / ' + Math.round(a.smClockMaxMhz) : '') + ' MHz'
      + '\ntemperature ' + num(a.temperatureC) + ' °C'
      + '\npower ' + num(a.powerW) + (a.powerLimitW ? ' / ' + Math.round(a.powerLimitW) : '') + ' W'
      + '\nmemory ' + gib(a.memoryUsedBytes) + ' / ' + gib(a.memoryTotalBytes) + ' GiB'
      + '\nthrottle: ' + (a.throttleReasons.length ? a.throttleReasons.join(', ') : 'none');
  }

  function updateHost(e, v, a) {
    e.stats.textContent = a ? 'CPU ' + pct(a.cpuUtilPct) + ' · mem ' + gib(a.memoryUsedBytes) + '/'
      + gib(a.memoryTotalBytes) + ' GiB' : 'no sample yet';
    e.title.textContent = 'host ' + v.nodeId + (a ? '\nCPU ' + pct(a.cpuUtilPct) + ', iowait ' + pct(a.ioWaitPct) : '');
  }

  // ---------- jobs ----------
  function applyJobs(jobs, full) {
    const seen = new Set();
    for (const j of jobs) {
      seen.add(j.id);
      let job = state.jobs.get(j.id);
      if (!job || full) {
        job = { summary: j, workers: new Map() };
        state.jobs.set(j.id, job);
      }
      job.summary = j;
      const names = new Set(Object.keys(j.points));
      for (const w of Array.from(job.workers.keys())) if (!names.has(w)) job.workers.delete(w);
      for (const w of names) {
        const pts = job.workers.get(w) || [];
        for (const p of j.points[w]) {
          const last = pts[pts.length - 1];
          if (!last || p[0] > last[0] || (p[0] === last[0] && p[1] > last[1])) pts.push(p);
        }
        job.workers.set(w, pts);
      }
    }
    for (const id of Array.from(state.jobs.keys())) if (!seen.has(id)) state.jobs.delete(id);
  }

  function chartRight() {
    let right = state.at;
    for (const job of state.jobs.values()) {
      for (const pts of job.workers.values()) if (pts.length) right = Math.max(right, pts[pts.length - 1][0]);
    }
    return right;
  }

  function renderJobs() {
    renderModeJobs();
    const list = document.getElementById('job-list');
    document.getElementById('jobs-empty').classList.toggle('hidden', state.jobs.size > 0);
    const right = chartRight();
    const left = right - state.chartWindowMs;
    const cards = new Map(Array.from(list.children).map(c => [c.dataset.job, c]));
    for (const [id, card] of cards) if (!state.jobs.has(id)) list.removeChild(card);
    for (const id of Array.from(state.jobs.keys()).sort(naturalCompare)) {
      const job = state.jobs.get(id);
      for (const pts of job.workers.values()) {
        while (pts.length && pts[0][0] < left) pts.shift();
      }
      let card = cards.get(id);
      if (!card) {
        card = buildCard(id);
        list.appendChild(card);
      }
      renderCard(card, job, left, right);
    }
  }

  function naturalCompare(a, b) {
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  }

  function buildCard(id) {
    const card = html('article', 'job');
    card.dataset.job = id;
    const head = html('div', 'job-head', card);
    html('h3', null, head, id);
    html('span', 'job-meta', head);
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'chart');
    card.appendChild(svg);
    html('ul', 'workers', card);
    return card;
  }

  function renderCard(card, job, left, right) {
    const s = job.summary;
    card.querySelector('.job-meta').textContent = [s.pattern ? s.pattern.toLowerCase().replace(/_/g, ' ') : 'pattern unknown',
      s.workerCount + (s.workerCount === 1 ? ' worker' : ' workers'), 'mean ' + ms(s.meanStepMs),
      s.lastStep === null ? 'no steps' : 'step ' + s.lastStep].join(' · ');
    const names = Array.from(job.workers.keys()).sort(naturalCompare);
    const slow = openEpisodes(card.dataset.job);
    drawChart(card.querySelector('.chart'), names.map(n => job.workers.get(n)), left, right,
      names.map(n => slow.get(n) || null), state.actions.actions.filter(a => a.job === card.dataset.job));
    const legend = card.querySelector('.workers');
    if (legend.dataset.names !== names.join('\n')) {
      while (legend.firstChild) legend.removeChild(legend.firstChild);
      names.forEach((n, i) => {
        const li = html('li', 'worker', legend);
        li.dataset.worker = n;
        const sw = html('span', 'swatch', li);
        sw.style.background = PALETTE[i % PALETTE.length];
        html('span', 'worker-name', li, n);
        html('span', 'worker-value', li, '–');
        html('span', 'worker-flag', li, '');
      });
      legend.dataset.names = names.join('\n');
    }
    Array.from(legend.children).forEach((li, i) => {
      const pts = job.workers.get(names[i]);
      const ep = slow.get(names[i]);
      li.querySelector('.worker-value').textContent = pts.length ? ms(pts[pts.length - 1][2]) : '–';
      li.classList.toggle('straggler', !!ep);
      li.querySelector('.worker-flag').textContent = ep ? '⚠ ' + ep.cause.replace(/_/g, ' ') + ' ×'
        + ep.slowdown.toFixed(2) : '';
    });
  }

  function axisMs(v) {
    if (v === 0) return '0';
    return v >= 1000 ? +(v / 1000).toFixed(2) + ' s' : +v.toFixed(1) + ' ms';
  }

  function niceStep(max, ticks) {
    const raw = max / ticks;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * mag;
  }

  function drawChart(svg, series, left, right, episodes, actions) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const W = Math.max(300, svg.clientWidth || 560), H = 190, L = 52, R = 10, T = 8, B = 22;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    let max = 0;
    for (const pts of series) for (const p of pts) if (p[2] !== null) max = Math.max(max, p[2]);
    const step = niceStep(max > 0 ? max * 1.1 : 100, 4);
    const top = Math.max(step, Math.ceil((max > 0 ? max * 1.05 : 100) / step) * step);
    const sx = t => L + (t - left) / (right - left) * (W - L - R);
    const sy = v => T + (1 - v / top) * (H - T - B);
    for (let v = 0; v <= top + 1e-9; v += step) {
      el('line', { class: 'grid', x1: L, x2: W - R, y1: sy(v), y2: sy(v) }, svg);
      el('text', { class: 'tick', x: L - 6, y: sy(v) + 3, 'text-anchor': 'end' }, svg, axisMs(v));
    }
    const span = (right - left) / 1000;
    const every = span > 300 ? 60 : (span > 60 ? 30 : 10);
    for (let s = 0; s <= span; s += every) {
      const x = sx(right - s * 1000);
      el('line', { class: 'grid', x1: x, x2: x, y1: T, y2: H - B }, svg);
      el('text', { class: 'tick', x: x, y: H - 6, 'text-anchor': s === 0 ? 'end' : 'middle' }, svg,
        s === 0 ? 'now' : '−' + s + ' s');
    }
    el('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }, svg);
    el('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }, svg);
    let any = false;
    series.forEach((pts, i) => {
      const coords = pts.filter(p => p[2] !== null && p[0] >= left).map(p => sx(p[0]).toFixed(1) + ',' + sy(p[2]).toFixed(1));
      if (!coords.length) return;
      any = true;
      el('polyline', { class: 'series' + (episodes[i] ? ' straggler' : ''), points: coords.join(' '),
        stroke: PALETTE[i % PALETTE.length] }, svg);
    });
    episodes.forEach(ep => {
      const t = ep && ep.since ? Date.parse(ep.since) : NaN;
      if (isNaN(t) || t < left || t > right) return;
      el('line', { class: 'since-mark', x1: sx(t), x2: sx(t), y1: T, y2: H - B }, svg);
      el('text', { class: 'since-label', x: sx(t) + 3, y: T + 10 }, svg, '⚠ ' + ep.worker);
    });
    (actions || []).forEach(a => {
      const t = Date.parse(a.issuedAt);
      if (isNaN(t) || t < left || t > right || a.dryRun) return;
      const line = el('line', { class: 'action-mark', x1: sx(t), x2: sx(t), y1: T, y2: H - B }, svg);
      line.dataset.action = a.id;
      el('text', { class: 'action-label', x: sx(t) + 3, y: H - B - 4 }, svg, '⚙ ' + a.policy + ' (' + a.status + ')');
    });
    if (!any) el('text', { class: 'no-data', x: (L + W) / 2, y: H / 2, 'text-anchor': 'middle' }, svg, 'no steps in the window');
  }

  // ---------- stragglers ----------
  function openEpisodes(jobId) {
    const m = new Map();
    for (const e of state.stragglers.current) if (e.job === jobId) m.set(e.worker, e);
    return m;
  }

  function stragglerOnGpu(gpuId) {
    return state.stragglers.current.find(e => e.gpu === gpuId) || null;
  }

  function serverNow() {
    return state.receivedAt ? state.serverTime + (Date.now() - state.receivedAt) : Date.now();
  }

  function ago(iso) {
    if (!iso) return '';
    const s = Math.max(0, Math.round((serverNow() - Date.parse(iso)) / 1000));
    return s < 90 ? s + ' s ago' : (s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago');
  }

  function renderStragglers() {
    const b = state.stragglers;
    const rows = b.current.concat(b.recent);
    document.getElementById('detector-note').textContent = b.detector === 'off' ? 'detector off'
      : (b.detector ? 'causes: ' + b.detector : 'detector: waiting…');
    const empty = document.getElementById('stragglers-empty');
    empty.textContent = b.detector === 'off' ? 'The straggler detector is not running (detector.enabled).'
      : 'No stragglers detected.';
    empty.classList.toggle('hidden', rows.length > 0);
    document.getElementById('straggler-table').classList.toggle('hidden', rows.length === 0);
    const body = document.getElementById('straggler-rows');
    while (body.firstChild) body.removeChild(body.firstChild);
    for (const e of rows) {
      const tr = html('tr', e.open ? 'open' : 'ended', body);
      tr.dataset.episode = e.id;
      tr.dataset.job = e.job;
      tr.dataset.worker = e.worker;
      html('td', 'job', tr, e.job);
      html('td', 'worker', tr, e.worker + (e.gpu ? ' (' + e.gpu.replace(/^gpu:/, '') + ')' : ''));
      const cause = html('td', 'cause', tr, e.causeText);
      cause.title = e.cause;
      if (e.detail) html('span', 'cause-detail', cause, e.detail);
      html('td', 'slowdown num', tr, e.slowdown.toFixed(2) + '×');
      html('td', 'since', tr, 'step ' + e.sinceStep + (e.since ? ', ' + ago(e.since) : ''));
      html('td', 'confidence num', tr, pct(100 * e.confidence));
      html('td', 'status', tr, (e.open ? 'ongoing' : 'ended: ' + e.endReason.replace(/_/g, ' ') + ', '
        + ago(e.endedAt)) + (e.mitigatedBy ? '; mitigated by ' + e.mitigatedBy : ''));
    }
  }

  function applyStragglers(board) {
    state.stragglers = { detector: board.detector, current: board.current || [], recent: board.recent || [] };
    renderStragglers();
    if (state.graph) updateGraph(state.graph);
    renderJobs();
    document.body.dataset.detections = String(board.detectionsGeneration);
  }

  // ---------- controller actions ----------
  function change(a) {
    return a.settings.map(x => (x.worker ? x.worker + '.' : '') + x.knob + '=' + x.value).join(', ');
  }

  function renderActions() {
    const b = state.actions;
    document.getElementById('controller-note').textContent = b.controller === 'off' ? 'controller off'
      : (b.controller ? 'mode ' + b.mode : 'controller: waiting…');
    const rows = b.actions;
    const empty = document.getElementById('actions-empty');
    empty.textContent = b.controller === 'off' ? 'The controller is not running (controller.enabled).' : 'No actions yet.';
    empty.classList.toggle('hidden', rows.length > 0);
    document.getElementById('action-table').classList.toggle('hidden', rows.length === 0);
    const body = document.getElementById('action-rows');
    while (body.firstChild) body.removeChild(body.firstChild);
    for (const a of rows) {
      const tr = html('tr', 'action status-' + a.status, body);
      tr.dataset.action = a.id;
      tr.dataset.job = a.job;
      html('td', 'time', tr, ago(a.issuedAt));
      html('td', 'job', tr, a.job);
      html('td', 'policy', tr, a.policy + (a.dryRun ? ' (advice)' : ''));
      html('td', 'change', tr, short(change(a), 90)).title = change(a);
      const reason = html('td', 'reason', tr, a.reason);
      if (a.trigger) reason.dataset.trigger = a.trigger;
      html('td', 'effect num', tr, ms(a.expectedStepMsBefore) + ' → ' + ms(a.expectedStepMsAfter) + ' → '
        + (a.measuredStepMs === null ? '…' : ms(a.measuredStepMs)));
      const last = a.outcomes.length ? a.outcomes[a.outcomes.length - 1] : null;
      const st = html('td', 'status', tr, a.status.replace(/_/g, ' '));
      if (last) st.title = last.detail;
    }
    const form = document.getElementById('mode-form');
    form.classList.toggle('hidden', b.controller !== 'on');
  }

  /** The mode switch's job list: the jobs on the page. */
  function renderModeJobs() {
    const select = document.getElementById('mode-job');
    const jobs = Array.from(state.jobs.keys()).sort(naturalCompare);
    if (select.dataset.jobs !== jobs.join('\n')) {
      const chosen = select.value;
      while (select.firstChild) select.removeChild(select.firstChild);
      for (const j of jobs) html('option', null, select, j).value = j;
      if (jobs.includes(chosen)) select.value = chosen;
      select.dataset.jobs = jobs.join('\n');
    }
  }

  function applyActions(board) {
    state.actions = { controller: board.controller, mode: board.mode, jobModes: board.jobModes || {},
      actions: board.actions || [] };
    renderActions();
    renderJobs();
    document.body.dataset.actions = String(board.actionsGeneration);
  }

  function pollActions() {
    fetch('/api/actions', { cache: 'no-store' }).then(r => r.json()).then(applyActions)
      .catch(err => console.error('actions poll failed', err))
      .finally(() => setTimeout(pollActions, 2000));
  }

  function setupModeForm() {
    const form = document.getElementById('mode-form');
    form.addEventListener('submit', ev => {
      ev.preventDefault();
      const job = document.getElementById('mode-job').value;
      const mode = document.getElementById('mode-value').value;
      const out = document.getElementById('mode-result');
      fetch('/api/jobs/' + encodeURIComponent(job) + '/controller', {
        method: 'POST', headers: { 'Content-Type': 'application/json',
          'Authorization': 'Bearer ' + document.getElementById('mode-token').value },
        body: JSON.stringify({ mode: mode })
      }).then(r => r.json().then(body => {
        out.textContent = r.ok ? job + ': mode ' + body.mode : 'refused: ' + body.message;
        out.classList.toggle('error', !r.ok);
      })).catch(err => { out.textContent = 'failed: ' + err; out.classList.add('error'); });
    });
  }

  // ---------- status and stream ----------
  function renderStatus() {
    const text = document.getElementById('status-text');
    const status = document.getElementById('status');
    if (state.generation === 0) {
      text.textContent = 'waiting for the first snapshot…';
      status.classList.remove('stale');
      return;
    }
    const age = Math.max(0, (state.serverTime - state.at) + (Date.now() - state.receivedAt));
    const g = state.graph || { vertices: [] };
    const hosts = g.vertices.filter(v => v.kind === 'host').length;
    const gpus = g.vertices.filter(v => v.kind === 'gpu').length;
    text.textContent = 'generation ' + state.generation + ' · updated ' + (age / 1000).toFixed(1) + ' s ago · '
      + hosts + (hosts === 1 ? ' host · ' : ' hosts · ') + gpus + (gpus === 1 ? ' GPU · ' : ' GPUs · ')
      + state.jobs.size + (state.jobs.size === 1 ? ' job' : ' jobs');
    status.classList.toggle('stale', age > STALE_MS);
  }

  function setConn(conn) {
    state.conn = conn;
    const c = document.getElementById('conn');
    c.className = 'conn conn-' + conn;
    c.textContent = conn === 'live' ? 'live' : (conn === 'lost' ? 'disconnected' : 'connecting');
  }

  function apply(msg) {
    const full = msg.type === 'full';
    state.generation = msg.generation;
    state.at = msg.at;
    state.serverTime = msg.serverTime;
    state.receivedAt = Date.now();
    state.chartWindowMs = msg.chartWindowMs;
    state.graph = msg.graph;
    document.getElementById('window-label').textContent = Math.round(msg.chartWindowMs / 1000) >= 120
      ? Math.round(msg.chartWindowMs / 60000) + ' min' : Math.round(msg.chartWindowMs / 1000) + ' s';
    if (msg.stragglers) applyStragglers(msg.stragglers);
    updateGraph(msg.graph);
    applyJobs(msg.jobs, full);
    renderJobs();
    renderStatus();
    document.body.dataset.generation = String(msg.generation);
  }

  let retryMs = 1000;
  function connect() {
    setConn('connecting');
    const source = new EventSource('/api/stream');
    const handle = e => {
      try {
        apply(JSON.parse(e.data));
      } catch (err) {
        console.error('bad stream message', err);
      }
    };
    source.addEventListener('full', handle);
    source.addEventListener('update', handle);
    source.addEventListener('stragglers', e => {
      try {
        applyStragglers(JSON.parse(e.data));
      } catch (err) {
        console.error('bad stragglers message', err);
      }
    });
    source.onopen = () => { retryMs = 1000; setConn('live'); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (the server answered with an error): try again ourselves, backing off.
        source.close();
        setConn('lost');
        setTimeout(connect, retryMs);
        retryMs = Math.min(30000, retryMs * 2);
      } else {
        setConn('connecting');
      }
    };
  }

  window.addEventListener('resize', () => {
    state.graphKey = '';
    if (state.graph) updateGraph(state.graph);
    renderJobs();
  });
  setInterval(renderStatus, 500);
  setInterval(renderStragglers, 1000);
  setupModeForm();
  connect();
  pollActions();
})();
