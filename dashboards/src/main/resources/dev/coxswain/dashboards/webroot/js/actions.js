// The controller's panel: its actions as /api/actions gives them, and the form that sets a job's mode.
import { html, ms, short, naturalCompare, fillSelect } from './format.js';
import { state, ago } from './state.js';
import { apiFetch, setToken } from './auth.js';

export function setActions(board) {
  state.actions = { controller: board.controller, mode: board.mode, jobModes: board.jobModes || {},
    actions: board.actions || [] };
  document.body.dataset.actions = String(board.actionsGeneration);
}

function change(a) {
  return a.settings.map(x => (x.worker ? x.worker + '.' : '') + x.knob + '=' + x.value).join(', ');
}

export function renderActions() {
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
  document.getElementById('mode-form').classList.toggle('hidden', b.controller !== 'on');
}

/** The mode form's job list: the jobs on the page. */
export function renderModeJobs() {
  fillSelect(document.getElementById('mode-job'), Array.from(state.jobs.keys()).sort(naturalCompare));
}

/** Polls /api/actions every two seconds and hands each board to `onBoard`. */
export function pollActions(onBoard) {
  apiFetch('/api/actions', { cache: 'no-store' }).then(r => r.json()).then(onBoard)
    .catch(err => console.error('actions poll failed', err))
    .finally(() => setTimeout(() => pollActions(onBoard), 2000));
}

export function setupModeForm() {
  document.getElementById('mode-form').addEventListener('submit', ev => {
    ev.preventDefault();
    const job = document.getElementById('mode-job').value;
    const mode = document.getElementById('mode-value').value;
    const out = document.getElementById('mode-result');
    const typed = document.getElementById('mode-token').value.trim();
    if (typed) {
      setToken(typed);
    }
    apiFetch('/api/jobs/' + encodeURIComponent(job) + '/controller', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ mode: mode })
    }).then(r => r.json().then(body => {
      out.textContent = r.ok ? job + ': mode ' + body.mode : 'refused: ' + body.message;
      out.classList.toggle('error', !r.ok);
    })).catch(err => { out.textContent = 'failed: ' + err; out.classList.add('error'); });
  });
}
