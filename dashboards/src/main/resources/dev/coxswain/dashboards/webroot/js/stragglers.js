// The straggler panel: the detector's open and recently ended episodes, as /api/stragglers gives them.
import { html, pct } from './format.js';
import { state, ago } from './state.js';

export function setStragglers(board) {
  state.stragglers = { detector: board.detector, current: board.current || [], recent: board.recent || [] };
  document.body.dataset.detections = String(board.detectionsGeneration);
}

export function renderStragglers() {
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
