// One card per job: what bounds it by the network model, a uPlot chart of each worker's step time over the window,
// with the detector's episodes and the controller's actions marked on it, and a legend that flags the stragglers.
import uPlot from '/vendor/uPlot.esm.js';
import { html, ms, naturalCompare, pct, PALETTE } from './format.js';
import { state, networkJob, openEpisodes } from './state.js';

const CHART_HEIGHT = 190;

/** Merges a stream message's jobs into the page's: appends new points, drops ended jobs and workers. */
export function applyJobs(jobs, full) {
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

/** The chart's right edge: the newest point on the page, or the snapshot's time. */
function chartRight() {
  let right = state.at;
  for (const job of state.jobs.values()) {
    for (const pts of job.workers.values()) if (pts.length) right = Math.max(right, pts[pts.length - 1][0]);
  }
  return right;
}

export function renderJobs() {
  const list = document.getElementById('job-list');
  document.getElementById('jobs-empty').classList.toggle('hidden', state.jobs.size > 0);
  const right = chartRight();
  const left = right - state.chartWindowMs;
  const cards = new Map(Array.from(list.children).map(c => [c.dataset.job, c]));
  for (const [id, card] of cards) {
    if (!state.jobs.has(id)) {
      if (card.plot) card.plot.destroy();
      list.removeChild(card);
    }
  }
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

/** Resizes the charts to their cards, after the window changed size. */
export function resizeCharts() {
  for (const card of document.getElementById('job-list').children) {
    if (card.plot) card.plot.setSize({ width: chartWidth(card), height: CHART_HEIGHT });
  }
}

function buildCard(id) {
  const card = html('article', 'job');
  card.dataset.job = id;
  const head = html('div', 'job-head', card);
  html('h3', null, head, id);
  html('span', 'job-meta', head);
  html('p', 'job-network hidden', card);
  const chart = html('div', 'chart', card);
  html('p', 'no-data hidden', chart, 'no steps in the window');
  html('ul', 'workers', card);
  return card;
}

function renderCard(card, job, left, right) {
  const s = job.summary;
  card.querySelector('.job-meta').textContent = [s.pattern ? s.pattern.toLowerCase().replace(/_/g, ' ') : 'pattern unknown',
    s.workerCount + (s.workerCount === 1 ? ' worker' : ' workers'), 'mean ' + ms(s.meanStepMs),
    s.lastStep === null ? 'no steps' : 'step ' + s.lastStep].join(' · ');
  const net = networkJob(card.dataset.job);
  const line = card.querySelector('.job-network');
  line.textContent = net ? networkText(net) : '';
  line.classList.toggle('hidden', !net);
  const names = Array.from(job.workers.keys()).sort(naturalCompare);
  const slow = openEpisodes(card.dataset.job);
  drawChart(card, names, job, left, right, slow, state.actions.actions.filter(a => a.job === card.dataset.job));
  const legend = card.querySelector('.workers');
  if (legend.dataset.names !== names.join('\n')) {
    while (legend.firstChild) legend.removeChild(legend.firstChild);
    names.forEach((n, i) => {
      const li = html('li', 'worker', legend);
      li.dataset.worker = n;
      html('span', 'swatch', li).style.background = PALETTE[i % PALETTE.length];
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

/** What the network model says of a job: its bottleneck, its communication time and what would help. */
function networkText(n) {
  const parts = [];
  if (n.bottleneck) {
    parts.push('bounded by ' + n.bottleneck.from + ' → ' + n.bottleneck.to + ', ' + pct(100 * n.bottleneck.utilization));
  }
  parts.push('comm ' + ms(n.commMs) + ' predicted' + (n.measuredCommMs === null ? '' : ', ' + ms(n.measuredCommMs)
    + ' measured') + (n.recentErrorPct === null ? '' : ' (recent error ' + n.recentErrorPct.toFixed(1) + '%)'));
  for (const h of n.help) {
    parts.push('would help: ' + h.change + ' → step ' + ms(h.stepMs)
      + (n.stepMs ? ' (' + Math.round(100 * (h.stepMs / n.stepMs - 1)) + '%)' : ''));
  }
  return parts.join(' · ');
}

function chartWidth(card) {
  return Math.max(300, card.querySelector('.chart').clientWidth || 560);
}

function axisMs(v) {
  if (v === 0) return '0';
  return v >= 1000 ? +(v / 1000).toFixed(2) + ' s' : +v.toFixed(1) + ' ms';
}

/**
 * Draws the job's chart. The x axis is seconds before the newest point (0 is "now"), so its ticks fall on round
 * numbers; each worker is one series, a straggler's thick. The plot is rebuilt only when the workers or
 * their flags change; otherwise it takes the new data.
 */
function drawChart(card, names, job, left, right, slow, actions) {
  const tables = names.map(n => {
    const pts = job.workers.get(n).filter(p => p[2] !== null && p[0] >= left);
    return [pts.map(p => (p[0] - right) / 1000), pts.map(p => p[2])];
  });
  const any = tables.some(t => t[0].length > 0);
  card.querySelector('.no-data').classList.toggle('hidden', any);
  const data = uPlot.join(tables);
  card.marks = markList(slow, actions, left, right);
  const span = (right - left) / 1000;
  const key = names.map(n => n + (slow.has(n) ? '!' : '')).join('|');
  if (card.plot && card.plotKey === key) {
    card.plot.setData(data);
    return;
  }
  if (card.plot) card.plot.destroy();
  const opts = {
    width: chartWidth(card),
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false, range: () => [-span, 0] },
      y: { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 100] }
    },
    axes: [
      { stroke: '#5f6b7a', grid: { stroke: '#edf1f5' }, ticks: { stroke: '#c5ced9' },
        values: (u, splits) => splits.map(s => s === 0 ? 'now' : '−' + Math.round(-s) + ' s') },
      { stroke: '#5f6b7a', grid: { stroke: '#edf1f5' }, ticks: { stroke: '#c5ced9' }, size: 58,
        values: (u, splits) => splits.map(axisMs) }
    ],
    series: [{}].concat(names.map((n, i) => ({
      label: n, stroke: PALETTE[i % PALETTE.length], spanGaps: true, points: { show: false },
      width: slow.has(n) ? 3.2 : 1.4,
      value: (u, v) => ms(v)
    }))),
    hooks: { draw: [u => placeMarks(u, card.marks)] }
  };
  card.plot = new uPlot(opts, data, card.querySelector('.chart'));
  card.plotKey = key;
}

/** The episodes' starts and the applied actions inside the window, as x positions with their labels. */
function markList(slow, actions, left, right) {
  const marks = [];
  const at = t => (t - right) / 1000;
  for (const ep of slow.values()) {
    const t = ep.since ? Date.parse(ep.since) : NaN;
    if (!isNaN(t) && t >= left && t <= right) marks.push({ kind: 'since-mark', x: at(t), label: '⚠ ' + ep.worker });
  }
  for (const a of actions) {
    const t = Date.parse(a.issuedAt);
    if (isNaN(t) || t < left || t > right || a.dryRun) continue;
    marks.push({ kind: 'action-mark', x: at(t), label: '⚙ ' + a.policy + ' (' + a.status + ')', action: a.id });
  }
  return marks;
}

/** Places the marks as elements over the plot, so they stay text and can be read. */
function placeMarks(u, marks) {
  for (const old of Array.from(u.over.querySelectorAll('.mark'))) old.remove();
  for (const m of marks || []) {
    const div = html('div', 'mark ' + m.kind, u.over);
    div.style.left = u.valToPos(m.x, 'x') + 'px';
    if (m.action) div.dataset.action = m.action;
    html('span', 'mark-label', div, m.label);
  }
}
