// The live stream: /api/stream (Server-Sent Events) sends a full snapshot, then updates and the detector's board;
// the page reconnects itself, backing off, when the server goes away.
import { state } from './state.js';
import { apiFetch, streamUrl } from './auth.js';

const STALE_MS = 10000;

export function renderStatus() {
  const text = document.getElementById('status-text');
  const status = document.getElementById('status');
  if (state.generation === 0) {
    text.textContent = 'waiting for the first snapshot…';
    status.classList.remove('stale');
    return;
  }
  // how old the newest telemetry is, not the snapshot: a collector goes on taking snapshots while Kafka is down
  const since = Date.now() - state.receivedAt;
  const age = Math.max(0, (state.serverTime - (state.dataAt === null ? state.at : state.dataAt)) + since);
  const g = state.graph || { vertices: [] };
  const hosts = g.vertices.filter(v => v.kind === 'host').length;
  const gpus = g.vertices.filter(v => v.kind === 'gpu').length;
  const data = state.dataAt === null ? 'no telemetry yet' : (age > STALE_MS ? 'stale: newest data '
    + new Date(state.dataAt).toLocaleTimeString() + ', ' : 'newest data ') + (age / 1000).toFixed(1) + ' s old';
  text.textContent = 'generation ' + state.generation + ' · ' + data + ' · '
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

/** Records a snapshot message's header in the page's state. */
export function setSnapshot(msg) {
  state.generation = msg.generation;
  state.at = msg.at;
  state.dataAt = msg.dataAt === undefined ? null : msg.dataAt;
  state.serverTime = msg.serverTime;
  state.receivedAt = Date.now();
  state.chartWindowMs = msg.chartWindowMs;
  state.graph = msg.graph;
}

/**
 * Connects to the stream and hands each message on: `onSnapshot(msg)` for full snapshots and updates,
 * `onStragglers(board)` for the detector's board, `onNetwork(board)` for the network model's. A message that cannot
 * be read is logged and skipped.
 */
export function connect(onSnapshot, onStragglers, onNetwork) {
  let retryMs = 1000;
  const open = () => {
    setConn('connecting');
    const source = new EventSource(streamUrl('/api/stream'));
    const handler = (what, fn) => e => {
      try {
        fn(JSON.parse(e.data));
      } catch (err) {
        console.error('bad ' + what + ' message', err);
      }
    };
    source.addEventListener('full', handler('stream', onSnapshot));
    source.addEventListener('update', handler('stream', onSnapshot));
    source.addEventListener('stragglers', handler('stragglers', onStragglers));
    source.addEventListener('network', handler('network', onNetwork));
    source.onopen = () => { retryMs = 1000; setConn('live'); };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (the server answered with an error): try again ourselves, backing off.
        source.close();
        setConn('lost');
        setTimeout(open, retryMs);
        retryMs = Math.min(30000, retryMs * 2);
      } else {
        setConn('connecting');
      }
    };
  };
  // A first read finds out whether reads need the token (and asks for it) before the stream opens.
  apiFetch('/api/actions', { cache: 'no-store' }).catch(err => console.error('first read failed', err))
    .finally(open);
}
