// What the page knows: the latest snapshot from /api/stream, the detector's, the network model's and the controller's
// boards.

export const state = {
  generation: 0, at: 0, dataAt: null, serverTime: 0, receivedAt: 0, chartWindowMs: 120000,
  graph: null,
  jobs: new Map(), // id -> {summary, workers: Map(worker -> [[t, step, ms, compute, comm, wait]])}
  stragglers: { detector: '', current: [], recent: [] }, // the detector's board, as /api/stragglers
  network: { model: '', jobs: [], links: [] }, // the network model's board, as /api/network
  actions: { controller: '', mode: '', jobModes: {}, actions: [] }, // the controller's board, as /api/actions
  conn: 'connecting'
};

/** The server's clock now, from the last message's time and how long ago it came. */
export function serverNow() {
  return state.receivedAt ? state.serverTime + (Date.now() - state.receivedAt) : Date.now();
}

export function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((serverNow() - Date.parse(iso)) / 1000));
  return s < 90 ? s + ' s ago' : (s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago');
}

/** The detector's open episodes of a job, by worker. */
export function openEpisodes(jobId) {
  const m = new Map();
  for (const e of state.stragglers.current) if (e.job === jobId) m.set(e.worker, e);
  return m;
}

/** The network model's view of a job, or null. */
export function networkJob(jobId) {
  return state.network.jobs.find(j => j.job === jobId) || null;
}

/** The network model's predicted load of a link, or null. */
export function networkLink(linkId) {
  return state.network.links.find(l => l.id === linkId) || null;
}

/** The open episode of the worker on a GPU, or null. */
export function stragglerOnGpu(gpuId) {
  return state.stragglers.current.find(e => e.gpu === gpuId) || null;
}
