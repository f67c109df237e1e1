"""Coxswain for PyTorch DistributedDataParallel jobs: standard library and torch only.

Drop it into a DDP training script to have Coxswain watch and steer it, in the manner of AdaptDL's adaptdl.torch:

    model = DistributedDataParallel(net)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    steering = Steering(model, optimizer, job="fmnist-1", dataset_size=len(train), global_batch=256,
                        lr_scaling="linear")
    for step in steering.steps(max_steps):            # agrees on knobs with the other ranks, then times the step
        with step.data():                             # data loading: its own phase
            x, y = images[step.indices], labels[step.indices]
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()                               # the comm hook times the all-reduce and weights the gradient
        optimizer.step(); optimizer.zero_grad()
        step.report(loss=loss.item())
    steering.close()

What it does, per rank:

* Reports every step to the node's agent (coxswain_client): step time, compute, communication, the wait for slower
  ranks, batch size, loss, and the gradient statistics from which the controller's goodput policy gets the gradient
  noise scale. Under all-reduce every rank's step lasts as long as the slowest rank's, and the fast ranks spend the
  difference inside the collective; a DDP comm hook measures the exposed communication (from the last gradient
  bucket being ready to the all-reduce's end), and the ranks' compute times, exchanged at the start of the next step,
  split it into the wait for the slowest rank and the transfer itself. So the slow rank shows long compute and its
  peers long waits, which is what the straggler detector reads (docs/agent-protocol.md).
* Applies knob changes without a restart, at the same step on every rank, within two steps of the agent having
  them: batch_size (per rank: uneven batches across ranks), global_batch_size (split evenly where no rank has its
  own), learning_rate and lr_scaling (the learning rate follows the global batch: none, linear, sqrt). DDP averages
  gradients equally over ranks; the comm hook weights each rank's gradient by its share of the global batch so that
  the update stays the mean over all samples. A knob the job cannot honour (node: torch.distributed.run does not move
  a rank; staleness and sync_mode: DDP synchronises every step) is refused with a knob.rejected event saying why, and
  training goes on.
* Hands out each step's sample indices, disjoint across ranks, from one seeded permutation per epoch, so that uneven
  batches still cover the data set once per epoch.

One small all_gather per step (four numbers per rank) carries the knob version each rank has seen, its batch for the
step and its previous step's times: it makes the knob switch and the gradient weights consistent across ranks.
"""

import math
import os
import socket
import threading
import time

import torch
import torch.distributed as dist

from coxswain_client import CoxswainClient

__all__ = ["Steering", "Step", "REFUSED"]

# Knobs a DDP job under torch.distributed.run cannot honour, with the reason it gives.
REFUSED = {
    "node": "this job runs under torch.distributed.run with a fixed set of ranks, which cannot move a rank; "
            "restart it under an elastic launcher to move ranks",
    "staleness": "DDP synchronises every step; there is no staleness to set",
    "sync_mode": "DDP synchronises every step (bsp); asp and ssp are not available",
}
_SCALING = {"none": lambda r: 1.0, "linear": lambda r: r, "sqrt": math.sqrt}


class Steering:
    """Coxswain's hands inside one rank of a DDP job. Create it after init_process_group and the DDP wrapper."""

    STATS_EVERY = 10

    def __init__(self, model, optimizer, job, dataset_size, global_batch, agent_url=None, lr_scaling="linear",
                 seed=0, node=None, controller=None, client=None):
        if not dist.is_initialized():
            raise RuntimeError("coxswain_torch: call torch.distributed.init_process_group first")
        if lr_scaling not in _SCALING:
            raise ValueError("lr_scaling must be one of %s, not %r" % (sorted(_SCALING), lr_scaling))
        self.rank, self.world = dist.get_rank(), dist.get_world_size()
        if not self.world <= global_batch <= dataset_size:
            raise ValueError("global_batch %d must be at least the %d ranks and at most the %d samples"
                             % (global_batch, self.world, dataset_size))
        self.model, self.optimizer = model, optimizer
        self.worker = "w%d" % self.rank
        url = agent_url or os.environ.get("COXSWAIN_AGENT_URL", "http://127.0.0.1:7070")
        self.client = client or CoxswainClient(job=job, worker=self.worker, agent_url=url)
        self._dataset_size, self._seed = int(dataset_size), seed
        self._base_batch = int(global_batch)
        self._base_lr = [g["lr"] for g in optimizer.param_groups]
        self._lr_scaling = lr_scaling
        self._applied = {}                  # the knobs in force on this rank
        self._refused = {}                  # knobs refused, with the value refused
        self._changes = [(-1, {}, None)]    # (version, knobs, action) at each change of this rank's knobs seen
        self._agreed = -1
        self._batches = _even(self._base_batch, self.world)
        self._next_batch = self._batches[self.rank]
        self._epoch, self._cursor, self._order = -1, 0, None
        self._previous = (0.0, 0.0)         # the last step's (compute ms, exposed comm ms)
        self._last = None                   # the last step, reported once every rank's compute time is known
        self._noise = [0.0, 0.0]            # running means of |G|^2 and tr(Sigma), for job.stats (rank 0)
        self._cuda = any(p.is_cuda for p in model.parameters())
        self._hook = _CommHook()
        model.register_comm_hook(self._hook, _comm_hook)
        self._register(node, controller)
        self._watch = self.client.watch_knobs()

    # ---- the training loop's side ----

    def steps(self, max_steps):
        """Yields a Step per training step, up to max_steps; each agrees on knobs and batches with the other ranks."""
        for number in range(int(max_steps)):
            yield self._begin(number)

    def close(self):
        """Reports the last step (one more exchange with the other ranks), stops the knob watch, flushes."""
        if self._last is not None:
            self._report(self._exchange())
        self._watch.close()
        if self.rank == 0:
            self.client.event("job.end", {"reason": "finished"}, whole_job=True)
        self.client.close(timeout=5.0)

    @property
    def batch_size(self):
        """This rank's batch in the current step."""
        return self._batches[self.rank]

    @property
    def global_batch(self):
        """The sum of the ranks' batches in the current step."""
        return sum(self._batches)

    # ---- one step ----

    def _begin(self, number):
        rows = self._exchange()
        if self._last is not None:
            self._report(rows)
        self._batches = [int(r[1]) for r in rows]
        agreed = int(min(r[0] for r in rows))
        if agreed > self._agreed:
            # Every rank has this version: each switches to it now and gives its new batch in the next exchange.
            self._apply(agreed, number + 1)
        self._set_lr()
        self._hook.begin(self._batches[self.rank] * self.world / float(sum(self._batches)))
        return Step(self, number, self._indices())

    def _exchange(self):
        """The step's all_gather, one row per rank: [knob version seen, its batch for this step, its last compute
        ms, its last exposed communication ms]."""
        self._sync()
        seen = self._watch.current()
        if seen.knobs != self._changes[-1][1]:
            self._changes.append((seen.version, seen.knobs, seen.action))
        mine = torch.tensor([float(seen.version), float(self._next_batch), self._previous[0], self._previous[1]],
                            dtype=torch.float64)
        rows = [torch.zeros(4, dtype=torch.float64) for _ in range(self.world)]
        dist.all_gather(rows, mine)
        return [r.tolist() for r in rows]

    def _finish(self, step, loss):
        self._sync()
        end = time.perf_counter()
        exposed = self._hook.exposed_ms(end)
        step_ms = (end - step.started) * 1000.0
        self._previous = (max(0.0, step_ms - step.data_ms - exposed), exposed)
        self._last = {"number": step.number, "step_ms": step_ms, "batch": self._batches[self.rank], "loss": loss,
                      "data_ms": step.data_ms}
        self._last.update(self._hook.gradient_stats(self._batches[self.rank], sum(self._batches)))

    def _sync(self):
        if self._cuda:
            torch.cuda.synchronize()

    # ---- knobs ----

    def _apply(self, version, effective):
        """Applies this rank's knobs as of version from step effective on: reports each change as knob.applied or
        knob.rejected, with the version, the step and the controller's action id."""
        at = [c for c in self._changes if c[0] <= version][-1]
        self._agreed = version
        knobs, action = at[1], at[2]
        attributes = {"version": str(at[0]), "step": str(effective)}
        if action:
            attributes["action"] = action
        held = dict(self._applied, **self._refused)
        changed = {k: v for k, v in knobs.items() if held.get(k) != v}
        changed.update({k: None for k in held if k not in knobs})
        for knob, value in sorted(changed.items()):
            self._refused.pop(knob, None)
            if knob in REFUSED and value is not None:
                self._refused[knob] = value
                self.client.event("knob.rejected", dict(attributes, knob=knob, value=value, reason=REFUSED[knob]))
                continue
            if value is None:
                self._applied.pop(knob, None)
            else:
                self._applied[knob] = value
            self.client.event("knob.applied", dict(attributes, knob=knob, value="null" if value is None else value))
        own = self._applied.get("batch_size")
        whole = int(self._applied.get("global_batch_size", self._base_batch))
        self._next_batch = int(own) if own is not None else _even(whole, self.world)[self.rank]

    def _set_lr(self):
        """The learning rate for this step's global batch: the base rate (or the learning_rate knob) scaled by the
        job's rule (or the lr_scaling knob) for the global batch over the starting one."""
        scaling = _SCALING[self._applied.get("lr_scaling", self._lr_scaling)]
        ratio = sum(self._batches) / float(self._base_batch)
        for group, base in zip(self.optimizer.param_groups, self._base_lr):
            group["lr"] = float(self._applied.get("learning_rate", base)) * scaling(ratio)

    # ---- data ----

    def _indices(self):
        """This rank's sample indices for the step: its slice of the next global batch of one seeded permutation
        per epoch, the same on every rank."""
        total = sum(self._batches)
        if self._order is None or self._cursor + total > self._dataset_size:
            self._epoch += 1
            g = torch.Generator()
            g.manual_seed(self._seed * 1000003 + self._epoch)
            self._order, self._cursor = torch.randperm(self._dataset_size, generator=g), 0
        start = self._cursor + sum(self._batches[:self.rank])
        self._cursor += total
        return self._order[start:start + self._batches[self.rank]]

    # ---- reporting ----

    def _register(self, node, controller):
        """Every rank says where it runs (its own agent's node id); rank 0 sends the job's membership and its start."""
        here = node or os.environ.get("COXSWAIN_NODE") or self._agent_node()
        nodes = [None] * self.world
        dist.all_gather_object(nodes, here)
        if self.rank == 0:
            self.client.membership([{"worker": "w%d" % r, "node": n} for r, n in enumerate(nodes)],
                                   pattern="RING_ALLREDUCE",
                                   gradient_bytes=sum(p.numel() * p.element_size() for p in self.model.parameters()))
            start = {"sync": "bsp", "workers": self.world, "global_batch": self._base_batch,
                     "lr_scaling": self._lr_scaling}
            if controller:
                start["controller"] = controller
            self.client.event("job.start", start, whole_job=True)

    def _agent_node(self):
        try:
            return self.client.agent_node()
        except Exception:  # no agent yet: the host name, which is what agents call their node by default
            return socket.gethostname()

    def _report(self, rows):
        """Reports the last step, now that every rank's compute time for it is known: the exposed communication
        splits into the wait for the slowest rank's compute and the transfer itself."""
        last, self._last = self._last, None
        compute, exposed = self._previous
        wait = min(exposed, max(0.0, max(r[2] for r in rows) - compute))
        self.client.report_step(last["number"], step_time_ms=last["step_ms"], compute_ms=compute,
                                comm_ms=exposed - wait, wait_ms=wait, data_ms=last["data_ms"],
                                batch_size=last["batch"], loss=last["loss"],
                                grad_sq_norm=last.get("grad_sq_norm"), grad_variance=last.get("grad_variance"))
        if self.rank == 0 and "grad_sq_norm" in last:
            self._noise = [0.9 * m + 0.1 * last[k] if self._noise[0] else last[k]
                           for m, k in zip(self._noise, ("grad_sq_norm", "grad_variance"))]
            if last["number"] % self.STATS_EVERY == 0:
                self.client.event("job.stats", {"step": last["number"], "global_batch": sum(self._batches),
                                                "learning_rate": self.optimizer.param_groups[0]["lr"],
                                                "grad_noise_scale": self._noise[1] / self._noise[0]},
                                  whole_job=True)


def _comm_hook(state, bucket):
    """DDP calls this for each gradient bucket; state is the Steering's _CommHook."""
    return state.run(bucket)


def _even(total, ranks):
    """total split over ranks as evenly as whole numbers allow, the remainder to the lowest ranks."""
    return [total // ranks + (1 if r < total % ranks else 0) for r in range(ranks)]


class Step:
    """One training step of one rank: its sample indices and its timing."""

    def __init__(self, steering, number, indices):
        self._steering = steering
        self.number = number
        self.indices = indices
        self.batch_size = len(indices)
        self.started = time.perf_counter()
        self.data_ms = 0.0

    def data(self):
        """A context manager around data loading: its time is neither compute nor communication."""
        return _Timed(self)

    def report(self, loss=None):
        """Ends the step, after optimizer.step(); it is reported at the start of the next one."""
        self._steering._finish(self, None if loss is None else float(loss))


class _Timed:
    def __init__(self, step):
        self._step = step

    def __enter__(self):
        self._t0 = time.perf_counter()

    def __exit__(self, *exc):
        self._step.data_ms += (time.perf_counter() - self._t0) * 1000.0
        return False


class _CommHook:
    """The DDP comm hook: weights this rank's gradient by its share of the global batch, all-reduces it, and times
    the exposed communication: from the last bucket being ready to the last all-reduce's end."""

    def __init__(self):
        self._lock = threading.Lock()
        self.begin(1.0)

    def begin(self, weight):
        with self._lock:
            self._weight = weight
            self._last_ready = self._last_done = None
            self._local_sq = self._global_sq = 0.0

    def run(self, bucket):
        tensor = bucket.buffer()
        with self._lock:
            self._last_ready = time.perf_counter()
            weight = self._weight
            self._local_sq += float(tensor.double().pow(2).sum())
        tensor.mul_(weight / dist.get_world_size())
        future = dist.all_reduce(tensor, async_op=True).get_future()

        def done(fut):
            out = fut.value()[0]
            with self._lock:
                self._last_done = time.perf_counter()
                self._global_sq += float(out.double().pow(2).sum())
            return out

        return future.then(done)

    def exposed_ms(self, end):
        with self._lock:
            if self._last_ready is None:
                return 0.0
            return max(0.0, ((self._last_done or end) - self._last_ready) * 1000.0)

    def gradient_stats(self, local_batch, global_batch):
        """|G|^2 and tr(Sigma) from this rank's gradient (batch b) and the all-reduced one (batch B), by the
        two-batch-size estimator of McCandlish et al. (2018, appendix A.1); nothing when it cannot tell."""
        with self._lock:
            small, big = self._local_sq, self._global_sq
        b, B = float(local_batch), float(global_batch)
        if B <= b or small <= 0 or big <= 0:
            return {}
        sq_norm = (B * big - b * small) / (B - b)
        variance = (small - big) / (1.0 / b - 1.0 / B)
        if sq_norm <= 0 or variance <= 0:
            return {}
        return {"grad_sq_norm": sq_norm, "grad_variance": variance}
