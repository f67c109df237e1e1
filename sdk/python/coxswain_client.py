"""Coxswain job SDK for Python training jobs (PyTorch or anything else): one file, standard library only.

Reports each training step to the Coxswain agent on this node and receives knob changes from it, following the
agent's intake protocol (docs/agent-protocol.md). Reporting never blocks the training loop: records are queued and a
background thread posts them in batches; while the agent is unreachable they wait (the oldest are dropped beyond
the queue's capacity) and a warning is logged at most every 30 seconds.

    from coxswain_client import CoxswainClient, StepTimer

    client = CoxswainClient(job="mnist-1", worker="w0")          # agent at http://127.0.0.1:7070
    watch = client.watch_knobs(lambda update: print("knobs", update.version, update.knobs))
    timer = StepTimer()
    for step, (x, y) in enumerate(loader):
        with timer.phase("compute"):
            loss = model(x, y); loss.backward()
        with timer.phase("comm"):
            allreduce(model)
        client.report_step(step, samples=len(x), batch_size=len(x), loss=loss.item(), **timer.finish())
    client.close()
"""

import collections
import json
import logging
import math
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

__all__ = ["CoxswainClient", "KnobWatch", "KnobUpdate", "KnobRejected", "InvalidKnob", "AgentUnavailable",
           "StepTimer", "gradient_stats", "KNOBS", "check_knob"]

_LOG = logging.getLogger("coxswain")

KnobSpec = collections.namedtuple("KnobSpec", "type scope min max choices")

# One answer of the knob long-poll: the job's knob version, this worker's merged knobs (job-wide and its own), and the
# controller action that made the version (None when a person or the job did).
KnobUpdate = collections.namedtuple("KnobUpdate", "version knobs action")

# The knobs and their limits: a copy of core's dev.coxswain.core.knob.Knob, the table the agent checks against
# (KnobContractIT in the Java SDK fails when the two differ). "int" is a whole number in [min, max], "number" a
# finite number in (min, max], "choice" one of the words, "id" an identifier.
KNOBS = {
    "batch_size": KnobSpec("int", "worker", 1, 16777216, ()),
    "global_batch_size": KnobSpec("int", "job", 1, 16777216, ()),
    "learning_rate": KnobSpec("number", "job", 0, 1e6, ()),
    "lr_scaling": KnobSpec("choice", "job", 0, 0, ("none", "linear", "sqrt", "adascale")),
    "staleness": KnobSpec("int", "job", 0, 1000000, ()),
    "sync_mode": KnobSpec("choice", "job", 0, 0, ("bsp", "ssp", "asp")),
    "node": KnobSpec("id", "worker", 0, 0, ()),
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,127}")


class KnobRejected(Exception):
    """The agent refused a knob change (HTTP 4xx); the message is the agent's, naming the field."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class InvalidKnob(ValueError):
    """A knob value the agent would refuse, found before sending; the message names the knob."""

    def __init__(self, knob, problem):
        super().__init__("%s: %s" % (knob, problem))
        self.knob = knob


def check_knob(name, value):
    """The canonical form of a knob value (int, float or str) as the agent holds it; raises InvalidKnob."""
    spec = KNOBS.get(name)
    if spec is None:
        raise InvalidKnob(name, "unknown knob (known: %s)" % ", ".join(KNOBS))
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if spec.type == "int":
        if not number or not math.isfinite(value) or value != int(value):
            raise InvalidKnob(name, "%s is not an integer" % _describe(value))
        if not spec.min <= value <= spec.max:
            raise InvalidKnob(name, "%s is outside [%d, %d]" % (_describe(value), spec.min, spec.max))
        return int(value)
    if spec.type == "number":
        if not number or not math.isfinite(value) or not spec.min < value <= spec.max:
            raise InvalidKnob(name, "%s is not a finite number in (%s, %s]"
                              % (_describe(value), _describe(spec.min), _describe(spec.max)))
        return float(value)
    if spec.type == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value
        raise InvalidKnob(name, "%s is not one of %s" % (_describe(value), ", ".join(spec.choices)))
    if isinstance(value, str) and _ID.fullmatch(value):
        return value
    raise InvalidKnob(name, "%s is not an identifier (letters, digits, ._:/@+=-, at most 128)" % _describe(value))


class AgentUnavailable(Exception):
    """The agent could not be reached, or answered with a server error."""


class StepTimer:
    """Measures the phases of one step (compute, comm, wait, data) and the whole step, in milliseconds."""

    def __init__(self):
        self._start = time.perf_counter()
        self._phases = collections.defaultdict(float)

    class _Phase:
        def __init__(self, timer, name):
            self._timer, self._name = timer, name

        def __enter__(self):
            self._t0 = time.perf_counter()

        def __exit__(self, *exc):
            self._timer._phases[self._name] += (time.perf_counter() - self._t0) * 1000.0
            return False

    def phase(self, name):
        """A context manager adding its duration to phase ``name``: "compute", "comm", "wait" (blocked waiting for
        slower peers) or "data" (loading the batch: reported as data_ms)."""
        if name not in ("compute", "comm", "wait", "data"):
            raise ValueError("phase must be compute, comm, wait or data, not %r" % (name,))
        return StepTimer._Phase(self, name)

    def finish(self):
        """The step's times as keyword arguments for report_step, and a fresh start for the next step."""
        now = time.perf_counter()
        out = {"step_time_ms": (now - self._start) * 1000.0, "compute_ms": self._phases["compute"],
               "comm_ms": self._phases["comm"], "wait_ms": self._phases["wait"], "data_ms": self._phases["data"]}
        self._start, self._phases = now, collections.defaultdict(float)
        return out


def gradient_stats(micro_sq_norms, mean_sq_norm, micro_batch):
    """Gradient statistics for report_step from k >= 2 equal micro-batches of one step.

    micro_sq_norms: the squared L2 norms |g_i|^2 of each micro-batch's mean gradient; mean_sq_norm: |g|^2 of their
    mean (the step's gradient); micro_batch: samples per micro-batch. Returns (grad_sq_norm, grad_variance), where
    grad_variance estimates the trace of the per-sample gradient covariance: m / (k - 1) * sum |g_i - g|^2.
    """
    k = len(micro_sq_norms)
    if k < 2 or micro_batch < 1:
        raise ValueError("need at least two micro-batches of at least one sample")
    spread = max(0.0, sum(micro_sq_norms) - k * mean_sq_norm)
    return mean_sq_norm, micro_batch * spread / (k - 1)


class CoxswainClient:
    """Talks to the Coxswain agent for one worker of one job. Thread-safe."""

    def __init__(self, job, worker, agent_url="http://127.0.0.1:7070", flush_interval=0.2, max_batch=500,
                 queue_capacity=20000, timeout=2.0):
        if max_batch < 1 or max_batch > 10000 or queue_capacity < 1:
            raise ValueError("max_batch must be in [1, 10000] and queue_capacity at least 1")
        self.job, self.worker = job, worker
        self.agent_url = agent_url.rstrip("/")
        self._flush_interval, self._max_batch, self._capacity, self._timeout = (
            flush_interval, max_batch, queue_capacity, timeout)
        self._lock = threading.Condition()
        self._queues = {"/v1/jobs": collections.deque(), "/v1/events": collections.deque(),
                        "/v1/steps": collections.deque()}
        self._stats = {"delivered": 0, "rejected": 0, "dropped": 0, "failed_sends": 0}
        self._in_flight = 0
        self._closing = False
        self._last_warning = 0.0
        self._sender = threading.Thread(target=self._run, name="coxswain-sender", daemon=True)
        self._sender.start()

    # ---- reporting (never blocks) ----

    def report_step(self, step, step_time_ms, compute_ms=0.0, comm_ms=0.0, wait_ms=0.0, samples=None,
                    batch_size=None, loss=None, grad_sq_norm=None, grad_variance=None, timestamp_ms=None,
                    data_ms=None):
        """Queues one step report. samples defaults to batch_size; the gradient fields come together or not at all.
        wait_ms is the time blocked waiting for slower peers; data_ms the time loading the step's input (left out,
        the agent takes the rest of the step as input time)."""
        if batch_size is None and samples is None:
            raise ValueError("give batch_size (and samples, if it differs)")
        if (grad_sq_norm is None) != (grad_variance is None):
            raise ValueError("grad_sq_norm and grad_variance come together or not at all")
        report = {"job": self.job, "worker": self.worker, "step": int(step),
                  "timestamp_ms": int(timestamp_ms if timestamp_ms is not None else time.time() * 1000),
                  "step_time_ms": float(step_time_ms), "compute_ms": float(compute_ms),
                  "comm_ms": float(comm_ms), "wait_ms": float(wait_ms),
                  "samples": int(samples if samples is not None else batch_size),
                  "batch_size": int(batch_size if batch_size is not None else samples)}
        if data_ms is not None:
            report["data_ms"] = float(data_ms)
        if loss is not None:
            report["loss"] = float(loss)
        if grad_sq_norm is not None:
            report["grad_sq_norm"], report["grad_variance"] = float(grad_sq_norm), float(grad_variance)
        self._offer("/v1/steps", report)

    def event(self, kind, attributes=None, worker=None, whole_job=False):
        """Queues a job event (e.g. kind "injection.start"); about this worker unless whole_job or another worker."""
        entry = {"job": self.job, "timestamp_ms": int(time.time() * 1000), "kind": kind,
                 "attributes": {str(k): str(v) for k, v in (attributes or {}).items()}}
        if not whole_job:
            entry["worker"] = worker or self.worker
        self._offer("/v1/events", entry)

    def membership(self, members, pattern="RING_ALLREDUCE", gradient_bytes=0):
        """Queues the job's membership: members is a list of dicts with worker and optionally node, gpu, role;
        pattern is RING_ALLREDUCE, TREE_ALLREDUCE, HIERARCHICAL_ALLREDUCE or PARAMETER_SERVER."""
        self._offer("/v1/jobs", {"job": self.job, "pattern": pattern, "gradient_bytes": int(gradient_bytes),
                                 "members": list(members)})

    def agent_node(self):
        """The node id of the agent this client talks to (where this process runs, as Coxswain names it)."""
        status, answer = self._request("GET", "/v1/health", None)
        if status != 200:
            raise AgentUnavailable("agent at %s answered %d to GET /v1/health" % (self.agent_url, status))
        return json.loads(answer)["node"]

    def stats(self):
        """Counts of records delivered, rejected by the agent, dropped (queue full) and still pending."""
        with self._lock:
            out = dict(self._stats)
            out["pending"] = sum(len(q) for q in self._queues.values()) + self._in_flight
            return out

    def flush(self, timeout=5.0):
        """Waits until everything queued was sent (or timeout seconds); True when it was."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self._lock.notify_all()
            while any(self._queues.values()) or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._lock.wait(left)
            return True

    def close(self, timeout=1.0):
        """Flushes for up to timeout seconds and stops the sender."""
        self.flush(timeout)
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        self._sender.join(self._timeout + 1.0)

    # ---- knobs ----

    def set_knobs(self, knobs, worker=None):
        """Sets knobs for this job (worker=None: the whole job); a None value clears the knob. Returns the new
        version. Raises InvalidKnob, before sending, for a value outside KNOBS, and KnobRejected when the agent
        refuses."""
        body = {"knobs": {k: None if v is None else check_knob(k, v) for k, v in dict(knobs).items()}}
        if worker is not None:
            body["worker"] = worker
        status, answer = self._request("POST", "/v1/knobs/" + _segment(self.job), body)
        if status != 200:
            raise KnobRejected(status, _error(answer, status))
        return int(json.loads(answer)["version"])

    def poll_knobs(self, after=-1, wait_ms=25000):
        """One long-poll: a KnobUpdate once the job's version is above after, or None when wait_ms passed."""
        path = "/v1/knobs/%s/%s?after=%d&wait_ms=%d" % (_segment(self.job), _segment(self.worker), after, wait_ms)
        status, answer = self._request("GET", path, None, timeout=wait_ms / 1000.0 + self._timeout)
        if status == 204:
            return None
        if status != 200:
            raise KnobRejected(status, _error(answer, status))
        parsed = json.loads(answer)
        return KnobUpdate(int(parsed["version"]), dict(parsed.get("knobs", {})), parsed.get("action"))

    def watch_knobs(self, callback=None, wait_ms=25000):
        """Starts a background long-poll of this worker's knobs; callback(update) is called, on the watch's thread
        and in order, each time this worker's merged knobs change (not for versions that change only other
        workers'). watch.current() is the latest update, safe to read from any thread."""
        return KnobWatch(self, callback, wait_ms)

    # ---- internals ----

    def _offer(self, path, entry):
        with self._lock:
            self._queues[path].append(entry)
            while sum(len(q) for q in self._queues.values()) > self._capacity:
                victim = next(q for p, q in sorted(self._queues.items(), key=lambda kv: kv[0] != "/v1/steps") if q)
                victim.popleft()
                self._stats["dropped"] += 1
            self._lock.notify_all()

    def _take(self):
        """The next request to send, or None when closing with nothing left. Holds the lock."""
        first_step_wait = None
        while True:
            for path in ("/v1/jobs", "/v1/events"):
                q = self._queues[path]
                if q:
                    if path == "/v1/jobs":
                        return path, [q.popleft()]
                    return path, [q.popleft() for _ in range(min(len(q), self._max_batch))]
            steps = self._queues["/v1/steps"]
            if steps:
                now = time.monotonic()
                first_step_wait = first_step_wait or now
                if self._closing or len(steps) >= self._max_batch or now - first_step_wait >= self._flush_interval:
                    return "/v1/steps", [steps.popleft() for _ in range(min(len(steps), self._max_batch))]
                self._lock.wait(self._flush_interval - (now - first_step_wait))
            elif self._closing:
                return None
            else:
                self._lock.wait()

    def _run(self):
        backoff = 0.0
        while True:
            with self._lock:
                taken = self._take()
                if taken is None:
                    return
                path, entries = taken
                self._in_flight = len(entries)
            body = entries[0] if path == "/v1/jobs" else {("events" if path == "/v1/events" else "reports"): entries}
            try:
                status, answer = self._request("POST", path, body)
                rejected = len(entries) if status >= 400 else len(json.loads(answer or "{}").get("rejected", []))
                if rejected:
                    _LOG.warning("coxswain: the agent rejected %d record(s) to %s: %s", rejected, path, answer[:300])
                with self._lock:
                    self._in_flight = 0
                    self._stats["delivered"] += len(entries) - rejected
                    self._stats["rejected"] += rejected
                    self._lock.notify_all()
                backoff = 0.0
            except AgentUnavailable as e:
                with self._lock:
                    self._in_flight = 0
                    self._queues[path].extendleft(reversed(entries))
                    self._stats["failed_sends"] += 1
                    self._lock.notify_all()
                    if self._closing:
                        return
                now = time.monotonic()
                if now - self._last_warning > 30:
                    _LOG.warning("coxswain: reports could not be delivered to the agent; training goes on and they "
                                 "stay queued: %s", e)
                    self._last_warning = now
                backoff = min(5.0, backoff * 2 if backoff else 0.1)
                with self._lock:
                    self._lock.wait(backoff)

    def _request(self, method, path, body, timeout=None):
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.agent_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or self._timeout) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            text = e.read().decode("utf-8", "replace")
            if e.code >= 500:
                raise AgentUnavailable("agent at %s answered %d to %s %s" % (self.agent_url, e.code, method, path))
            return e.code, text
        except (urllib.error.URLError, OSError) as e:
            raise AgentUnavailable("agent at %s unreachable (%s)" % (self.agent_url, e))


class KnobWatch:
    """A background long-poll on one worker's knobs; close() stops it. Thread-safe."""

    def __init__(self, client, callback, wait_ms):
        self._client, self._callback, self._wait_ms = client, callback, wait_ms
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._current = KnobUpdate(-1, {}, None)
        self._thread = threading.Thread(target=self._run, name="coxswain-knobs", daemon=True)
        self._thread.start()

    def current(self):
        """The latest update: the job's knob version and this worker's merged knobs (a copy)."""
        with self._lock:
            return KnobUpdate(self._current.version, dict(self._current.knobs), self._current.action)

    def _run(self):
        backoff, last_warning = 0.2, 0.0
        while not self._stop.is_set():
            try:
                update = self._client.poll_knobs(self.current().version, self._wait_ms)
                backoff = 0.2
            except (AgentUnavailable, KnobRejected, ValueError) as e:
                if time.monotonic() - last_warning > 30:
                    _LOG.warning("coxswain: knob watch for %s/%s retrying: %s", self._client.job,
                                 self._client.worker, e)
                    last_warning = time.monotonic()
                self._stop.wait(backoff)
                backoff = min(5.0, backoff * 2)
                continue
            with self._lock:
                if update is None or update.version <= self._current.version:
                    continue
                changed = update.knobs != self._current.knobs
                self._current = update
            if changed and self._callback is not None:
                try:
                    self._callback(KnobUpdate(update.version, dict(update.knobs), update.action))
                except Exception:  # a broken callback must not end the watch
                    _LOG.exception("coxswain: knob callback failed on version %d", update.version)

    def close(self):
        self._stop.set()


def _segment(identifier):
    return urllib.parse.quote(identifier, safe="")


def _error(answer, status):
    try:
        return json.loads(answer).get("error", answer)
    except ValueError:
        return answer or "HTTP %d" % status


def _describe(value):
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return "%d" % value
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return type(value).__name__
