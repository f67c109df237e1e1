// The cluster view: hosts with their GPUs, NICs and PCIe bus, the switches above them, and every link coloured by
// its load, drawn by Apache ECharts as a graph series on fixed positions. The layout (hosts in rows, NICs on top,
// GPUs below the bus, leaf and spine switches over the hosts they serve) is this module's; ECharts draws, hit-tests
// and shows the tooltips.
import * as echarts from '/vendor/echarts.esm.min.js';
import { bytes, gib, pct, num, short, tooltipText } from './format.js';
import { state, networkLink, stragglerOnGpu } from './state.js';

const GPU_W = 64, GPU_H = 46, NIC_W = 64, NIC_H = 20, SLOT = 70, PAD = 12, HOST_GAP = 22;
const SWITCH_W = 104, SWITCH_H = 26;
const INK = '#1c2430', MUTED = '#5f6b7a', ACCENT = '#1f3a5f', STRAGGLER = '#8e24aa', STRAGGLER_BG = '#f6e9fa';
/** Link colour by load level, as in the legend. */
const LOAD = { idle: '#b4bcc8', low: '#2e9d5b', medium: '#c9b000', high: '#ee8a12', saturated: '#d7263d' };
/** The glow of a link that bounds some job's collective. */
const BOTTLENECK = '#7a1fa2';

let chart = null;
let laidOut = { key: '', lay: null };

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

/** Positions (top-left corner, width, height) of every vertex, and the host boxes, for a view `width` wide. */
function layout(graph, width) {
  const g = groupGraph(graph);
  const pos = new Map();
  const hasSwitches = g.switches.length > 0;
  let x = 0, y = hasSwitches ? 150 : 0, rowH = 0;
  const boxes = [];
  for (const h of g.hosts) {
    const slots = Math.max(h.gpus.length, h.nics.length, 3);
    const w = slots * SLOT + 2 * PAD - (SLOT - GPU_W);
    const hh = 34 + NIC_H + 30 + GPU_H + nvlinkDepth(graph, h) + 30;
    if (x > 0 && x + w > width) { x = 0; y += rowH + HOST_GAP; rowH = 0; }
    const nicX = x + (w - (h.nics.length * SLOT - (SLOT - NIC_W))) / 2;
    // The name must end before the first NIC, whose cable comes down through the header.
    const nameChars = Math.max(4, Math.floor(((h.nics.length ? nicX - x : w) - PAD - 8) / 7.5));
    boxes.push({ host: h, x: x, y: y, w: w, h: hh, nameChars: nameChars });
    pos.set('host:' + h.id, { x: x + PAD, y: y + 34 + NIC_H + 12, w: w - 2 * PAD, h: 6 });
    h.nics.forEach((n, i) => pos.set(n.id, { x: nicX + i * SLOT, y: y + 34, w: NIC_W, h: NIC_H }));
    h.gpus.forEach((gp, i) => pos.set(gp.id, { x: x + PAD + i * SLOT, y: y + 34 + NIC_H + 30, w: GPU_W, h: GPU_H }));
    x += w + HOST_GAP;
    rowH = Math.max(rowH, hh);
  }
  placeSwitches(graph, g.switches, pos, width);
  const height = (boxes.length ? y + rowH : (hasSwitches ? 110 : 0)) + 4;
  const right = boxes.reduce((m, b) => Math.max(m, b.x + b.w), 0);
  return { boxes: boxes, switches: g.switches, pos: pos, height: height, width: Math.max(right, width) };
}

/** Room below a host's GPUs for its NVLink arcs: more for links that span more GPUs. */
function nvlinkDepth(graph, h) {
  const idx = new Map(h.gpus.map((gp, i) => [gp.id, i]));
  let span = 0;
  for (const l of graph.links) {
    if (l.type === 'NVLINK' && idx.has(l.a) && idx.has(l.b)) span = Math.max(span, Math.abs(idx.get(l.a) - idx.get(l.b)));
  }
  return span === 0 ? 0 : 8 + span * 7;
}

/** Leaf switches above the mean position of what they connect, spines above the leaves; never overlapping. */
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

function graphKey(graph, width) {
  return width + '#' + graph.vertices.map(v => v.id).join('|') + '#' + graph.links.map(l => l.id).join('|');
}

function box(id, p, extra) {
  return Object.assign({ id: id, name: id, x: p.x + p.w / 2, y: p.y + p.h / 2, symbol: 'roundRect',
    symbolSize: [p.w, p.h] }, extra);
}

function gpuNode(v, p) {
  const a = v.attributes;
  const slow = stragglerOnGpu(v.id);
  const slowNote = slow ? '\nstraggler: ' + slow.worker + ' of ' + slow.job + ', ' + slow.cause.replace(/_/g, ' ')
    + ' ×' + slow.slowdown.toFixed(2) : '';
  const throttled = !!(a && a.throttled);
  const tip = !a ? v.id + '\nno sample yet' + slowNote : v.id + slowNote + '\n' + a.name
    + '\nutilisation ' + pct(a.utilizationPct)
    + '\nSM clock ' + num(a.smClockMhz) + (a.smClockMaxMhz ? ' / ' + Math.round(a.smClockMaxMhz) : '') + ' MHz'
    + '\ntemperature ' + num(a.temperatureC) + ' °C'
    + '\npower ' + num(a.powerW) + (a.powerLimitW ? ' / ' + Math.round(a.powerLimitW) : '') + ' W'
    + '\nmemory ' + gib(a.memoryUsedBytes) + ' / ' + gib(a.memoryTotalBytes) + ' GiB'
    + '\nthrottle: ' + (a.throttleReasons.length ? a.throttleReasons.join(', ') : 'none');
  const util = a ? Math.min(100, a.utilizationPct ?? 0) : 0;
  const bar = '█'.repeat(Math.round(util / 12.5)) + '░'.repeat(8 - Math.round(util / 12.5));
  return box(v.id, p, {
    kind: 'gpu', throttled: throttled, straggler: !!slow, tip: tip,
    itemStyle: { color: slow ? STRAGGLER_BG : '#fff', borderColor: slow ? STRAGGLER : (throttled ? LOAD.saturated : '#9aa7b6'),
      borderWidth: slow ? 2.5 : (throttled ? 2 : 1), borderType: slow ? 'dashed' : 'solid' },
    label: { show: true, position: 'inside', align: 'center', lineHeight: 13,
      formatter: '{name|GPU ' + v.index + '}' + (throttled ? ' {flag|⚠}' : '') + '\n{stats|'
        + (a ? pct(a.utilizationPct) + ' · ' + num(a.temperatureC) + '°C' : 'no sample') + '}\n{bar|' + bar + '}',
      rich: { name: { fontWeight: 600, fontSize: 10, color: INK }, flag: { color: LOAD.saturated, fontSize: 10 },
        stats: { fontSize: 10, color: MUTED }, bar: { fontSize: 6, color: '#3b6fb6' } } }
  });
}

function nicNode(v, p) {
  const a = v.attributes;
  return box(v.id, p, {
    kind: 'nic', symbol: 'rect',
    tip: v.id + (a ? '\nrx ' + bytes(a.rxBytesPerSec) + '/s  tx ' + bytes(a.txBytesPerSec) + '/s\nerrors ' + a.errors
      + '  dropped ' + a.dropped : '\nno sample yet'),
    itemStyle: { color: '#eef2f7', borderColor: '#9aa7b6', borderWidth: 1 },
    label: { show: true, position: 'inside', fontSize: 10, color: INK, formatter: short(v.name, 9) }
  });
}

function switchNode(v, p) {
  return box(v.id, p, {
    kind: 'switch', tip: v.tier + ' switch ' + v.switchId,
    itemStyle: { color: ACCENT },
    label: { show: true, position: 'inside', fontSize: 11, fontWeight: 600, color: '#fff', formatter: short(v.switchId, 14) }
  });
}

function busNode(v, p) {
  const a = v.attributes;
  return box(v.id, p, {
    kind: 'bus', symbol: 'rect',
    tip: 'host ' + v.nodeId + ' PCIe' + (a ? '\nCPU ' + pct(a.cpuUtilPct) + ', iowait ' + pct(a.ioWaitPct) : ''),
    itemStyle: { color: '#d5dce5' }, label: { show: false }
  });
}

/** An invisible point on a host's bus under a device, where that device's PCIe link meets the bus. */
function anchor(id, x, y) {
  return { id: id, name: id, x: x, y: y, symbolSize: 0, kind: 'anchor', label: { show: false }, tooltip: { show: false } };
}

/** The host boxes, their names and their host's CPU and memory, drawn beneath the graph. */
function hostGraphics(boxes, hostVertices) {
  const out = [];
  for (const b of boxes) {
    const v = hostVertices.get(b.host.id);
    const a = v && v.attributes;
    out.push({ type: 'rect', z: 0, shape: { x: b.x + 0.5, y: b.y + 0.5, width: b.w - 1, height: b.h - 1, r: 7 },
      style: { fill: '#f8fafc', stroke: '#c5ced9' } });
    out.push({ type: 'text', z: 1, x: b.x + PAD, y: b.y + 8,
      style: { text: short(b.host.id, b.nameChars), fill: INK, font: '600 12px sans-serif' } });
    out.push({ type: 'text', z: 1, x: b.x + b.w - PAD, y: b.y + 34 + NIC_H + 1,
      style: { text: 'PCIe', fill: MUTED, font: '9px sans-serif', align: 'right' } });
    out.push({ type: 'text', z: 1, x: b.x + PAD, y: b.y + b.h - 20,
      style: { text: a ? 'CPU ' + pct(a.cpuUtilPct) + ' · mem ' + gib(a.memoryUsedBytes) + '/' + gib(a.memoryTotalBytes)
        + ' GiB' : 'no sample yet', fill: MUTED, font: '11px sans-serif' } });
  }
  return out;
}

function option(graph, lay) {
  const nodes = [anchor('corner:origin', 0, 0), anchor('corner:far', lay.width, lay.height)];
  const hostVertices = new Map();
  for (const v of graph.vertices) {
    const p = lay.pos.get(v.kind === 'host' ? 'host:' + v.nodeId : v.id);
    if (v.kind === 'host') hostVertices.set(v.nodeId, v);
    if (!p) continue;
    if (v.kind === 'gpu') nodes.push(gpuNode(v, p));
    else if (v.kind === 'nic') nodes.push(nicNode(v, p));
    else if (v.kind === 'switch') nodes.push(switchNode(v, p));
    else if (v.kind === 'host') nodes.push(busNode(v, p));
  }
  const ids = new Set(nodes.map(n => n.id));
  const links = [];
  for (const l of graph.links) {
    if (!ids.has(l.a) || !ids.has(l.b)) continue;
    let source = l.a, target = l.b, curveness = 0;
    const pa = lay.pos.get(l.a), pb = lay.pos.get(l.b);
    const busEnd = l.a.startsWith('host:') ? 'a' : (l.b.startsWith('host:') ? 'b' : null);
    if (busEnd) {
      // A PCIe link runs straight down (or up) from the device to the bus beneath it.
      const dev = busEnd === 'a' ? pb : pa, bus = busEnd === 'a' ? pa : pb;
      const id = 'bus:' + l.id;
      nodes.push(anchor(id, dev.x + dev.w / 2, bus.y + bus.h / 2));
      if (busEnd === 'a') source = id; else target = id;
    } else if (l.type === 'NVLINK' && pa && pb && Math.abs(pa.y - pb.y) < 1) {
      // NVLink arcs beneath the GPUs: from the left GPU to the right one, bent down.
      if (pa.x > pb.x) { source = l.b; target = l.a; }
      curveness = -0.35;
    }
    // The network model's predicted load, where it runs and the link carries a job it reads; else the measured one.
    const predicted = networkLink(l.id);
    const level = predicted ? predicted.level : l.level;
    const bounds = predicted ? predicted.bottleneckOf : [];
    const tip = l.type + '  ' + l.a + ' ↔ ' + l.b + '\n' + bytes(l.loadBytesPerSec) + '/s of '
      + bytes(l.capacityBytesPerSec) + '/s (' + pct(100 * l.utilization) + ')'
      + (predicted ? '\npredicted ' + pct(100 * predicted.utilization) + ' by the network model' : '')
      + (bounds.length ? '\nbottleneck of ' + bounds.join(', ') : '');
    links.push({ id: l.id, source: source, target: target, level: level, measuredLevel: l.level, linkType: l.type,
      bottleneckOf: bounds.join(' '), tip: tip,
      lineStyle: { color: LOAD[level] || LOAD.idle, curveness: curveness, opacity: 0.95,
        width: bounds.length ? 6 : (level === 'idle' ? 1.5 : (l.type === 'NVLINK' ? 2.5 : (l.type === 'FABRIC' ? 4 : 3))),
        type: level === 'idle' ? 'dashed' : 'solid',
        shadowColor: bounds.length ? BOTTLENECK : undefined, shadowBlur: bounds.length ? 8 : 0 } });
  }
  return {
    animation: false,
    tooltip: { trigger: 'item', confine: true, formatter: p => p.data && p.data.tip ? tooltipText(p.data.tip) : '' },
    graphic: { elements: hostGraphics(lay.boxes, hostVertices) },
    series: [{
      id: 'cluster', type: 'graph', layout: 'none', left: 0, top: 0, right: 0, bottom: 0, z: 2, roam: false,
      emphasis: { scale: false, focus: 'none', lineStyle: { width: 6 } },
      data: nodes, links: links
    }]
  };
}

/** Draws the cluster from a snapshot's graph: laid out again when the topology or the view's width changes. */
export function updateGraph(graph) {
  document.getElementById('load-source').textContent = state.network.links.length
    ? 'predicted load / capacity (' + (state.network.model.startsWith('graph network') ? 'graph network' : 'fair share')
      + '); measured elsewhere'
    : 'link load / capacity';
  const empty = graph.vertices.length === 0;
  const el = document.getElementById('graph');
  document.getElementById('graph-empty').classList.toggle('hidden', !empty);
  el.classList.toggle('hidden', empty);
  if (empty) return;
  const width = Math.max(600, document.getElementById('graph-box').clientWidth - 4);
  const key = graphKey(graph, width);
  if (key !== laidOut.key) {
    laidOut = { key: key, lay: layout(graph, width) };
    el.style.width = laidOut.lay.width + 'px';
    el.style.height = laidOut.lay.height + 'px';
    if (chart) chart.resize({ width: laidOut.lay.width, height: laidOut.lay.height });
  }
  if (!chart) chart = echarts.init(el, null, { width: laidOut.lay.width, height: laidOut.lay.height });
  chart.setOption(option(graph, laidOut.lay), { notMerge: true, lazyUpdate: true });
}
