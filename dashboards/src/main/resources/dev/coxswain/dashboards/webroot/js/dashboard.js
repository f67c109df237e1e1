// Coxswain dashboard: the live stream of /api/stream as a straggler panel, the controller's actions, a cluster
// graph and one step-time chart per job. This module wires the others together.
import { state } from './state.js';
import { updateGraph } from './graph.js';
import { applyJobs, renderJobs, resizeCharts } from './jobs.js';
import { setStragglers, renderStragglers } from './stragglers.js';
import { setActions, renderActions, renderModeJobs, pollActions, setupModeForm } from './actions.js';
import { connect, setSnapshot, renderStatus } from './stream.js';

function onSnapshot(msg) {
  setSnapshot(msg);
  document.getElementById('window-label').textContent = Math.round(msg.chartWindowMs / 1000) >= 120
    ? Math.round(msg.chartWindowMs / 60000) + ' min' : Math.round(msg.chartWindowMs / 1000) + ' s';
  if (msg.stragglers) onStragglers(msg.stragglers);
  if (msg.network) state.network = msg.network;
  updateGraph(msg.graph);
  applyJobs(msg.jobs, msg.type === 'full');
  renderJobs();
  renderModeJobs();
  renderStatus();
  document.body.dataset.generation = String(msg.generation);
}

function onStragglers(board) {
  setStragglers(board);
  renderStragglers();
  if (state.graph) updateGraph(state.graph);
  renderJobs();
}

function onNetwork(board) {
  state.network = board;
  if (state.graph) updateGraph(state.graph);
  renderJobs();
}

function onActions(board) {
  setActions(board);
  renderActions();
  renderJobs();
}

window.addEventListener('resize', () => {
  if (state.graph) updateGraph(state.graph);
  resizeCharts();
});
setInterval(renderStatus, 500);
setInterval(renderStragglers, 1000);
setupModeForm();
connect(onSnapshot, onStragglers, onNetwork);
pollActions(onActions);
