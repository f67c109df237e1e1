// The what-if page: asks /api/whatif about a live job and shows the answers with the same chart as the report
// that `coxswain whatif run` writes (whatif-chart.js), and a table of the figures.
import * as echarts from '/vendor/echarts.esm.min.js';
import { whatIfOption, whatIfHeight } from './whatif-chart.js';
import { html, ms, naturalCompare, fillSelect } from './format.js';
import { apiFetch } from './auth.js';

let chart = null;

function loadJobs() {
  return apiFetch('/api/jobs', { cache: 'no-store' }).then(r => r.json()).then(body => {
    const ids = (body.jobs || []).map(j => j.id).sort(naturalCompare);
    fillSelect(document.getElementById('whatif-job'), ids);
    document.getElementById('whatif-submit').disabled = ids.length === 0;
    if (!ids.length) setStatus('No live jobs yet: start one (./coxswain demo) and reload.', true);
  });
}

function setStatus(text, error) {
  const s = document.getElementById('whatif-status');
  s.textContent = text;
  s.classList.toggle('error', !!error);
}

function show(report) {
  document.getElementById('whatif-result').classList.remove('hidden');
  document.getElementById('whatif-title').textContent = report.title;
  const base = report.answers[0];
  document.getElementById('whatif-baseline').textContent = 'baseline: measured '
    + (report.measuredStepMs === null ? '–' : ms(report.measuredStepMs)) + ', simulated ' + ms(1000 * base.simStepSec);
  document.getElementById('whatif-index').textContent = 'workers by index: '
    + report.workers.map((w, i) => i + ' = ' + w).join(', ') + ' · nodes by index: '
    + report.nodes.map((n, i) => i + ' = ' + n).join(', ');
  const box = document.getElementById('whatif-chart');
  box.style.height = whatIfHeight(report) + 'px';
  if (!chart) chart = echarts.init(box);
  chart.resize();
  chart.setOption(whatIfOption(report), { notMerge: true });
  const body = document.getElementById('whatif-rows');
  while (body.firstChild) body.removeChild(body.firstChild);
  for (const a of report.answers) {
    const tr = html('tr', null, body);
    html('td', 'question', tr, a.question);
    html('td', 'num', tr, ms(1000 * a.simStepSec));
    html('td', 'num', tr, String(Math.round(a.simSamplesPerSec)));
    html('td', 'bottleneck', tr, a.simBottleneck || 'none');
  }
  document.body.dataset.answers = String(report.answers.length);
}

document.getElementById('whatif-form').addEventListener('submit', ev => {
  ev.preventDefault();
  const submit = document.getElementById('whatif-submit');
  submit.disabled = true;
  setStatus('simulating…', false);
  apiFetch('/api/whatif', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ job: document.getElementById('whatif-job').value,
      questions: document.getElementById('whatif-questions').value })
  }).then(r => r.json().then(body => {
    if (r.ok) {
      show(body);
      setStatus('answered for generation ' + body.generation, false);
    } else {
      setStatus('refused: ' + body.message, true);
    }
  })).catch(err => setStatus('failed: ' + err, true)).finally(() => { submit.disabled = false; });
});
window.addEventListener('resize', () => { if (chart) chart.resize(); });
loadJobs().catch(err => setStatus('cannot list the jobs: ' + err, true));
