"""Tests of coxswain_torch on a real two-rank gloo process group (CPU), with a recording client in place of the agent.

Run: python3 -m unittest -v test_coxswain_torch (needs torch: Debian's python3-torch). PyTorchIT runs it in ./test.
"""

import faulthandler
import json
import os
import tempfile
import threading
import time
import unittest

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from coxswain_client import KnobUpdate
import coxswain_torch
from coxswain_torch import REFUSED, Steering

WORLD = 2
RANK_TIMEOUT_S = 30


class RecordingClient:
    """What a rank sends to the agent, and knob updates the test hands it as if from the agent."""

    def __init__(self):
        self.events, self.steps, self.memberships = [], [], []
        self.watch = FakeWatch()

    def watch_knobs(self, callback=None, wait_ms=25000):
        return self.watch

    def event(self, kind, attributes=None, worker=None, whole_job=False):
        self.events.append({"kind": kind, "attributes": {k: str(v) for k, v in (attributes or {}).items()}})

    def report_step(self, step, **fields):
        self.steps.append(dict(fields, step=step))

    def membership(self, members, pattern="RING_ALLREDUCE", gradient_bytes=0):
        self.memberships.append(members)

    def agent_node(self):
        return "node-%d" % dist.get_rank()

    def close(self, timeout=1.0):
        pass


class FakeWatch:
    def __init__(self):
        self._current = KnobUpdate(-1, {}, None)
        self._lock = threading.Lock()

    def publish(self, version, knobs, action=None):
        with self._lock:
            self._current = KnobUpdate(version, dict(knobs), action)

    def current(self):
        with self._lock:
            return self._current

    def close(self):
        pass


def model():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(6, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3))


DATA_X = torch.randn(64, 6, generator=torch.Generator().manual_seed(1))
DATA_Y = torch.randint(0, 3, (64,), generator=torch.Generator().manual_seed(2))


def run_rank(rank, store, out_dir, scenario):
    faulthandler.dump_traceback_later(RANK_TIMEOUT_S, exit=True)  # a hung rank shows where, and fails the test
    dist.init_process_group("gloo", init_method="file://" + store, rank=rank, world_size=WORLD)
    torch.set_num_threads(1)
    client = RecordingClient()
    net = model()
    ddp = torch.nn.parallel.DistributedDataParallel(net)
    optimizer = torch.optim.SGD(ddp.parameters(), lr=0.1)
    steering = Steering(ddp, optimizer, job="t", dataset_size=len(DATA_Y), global_batch=16, client=client)
    result = {"batches": [], "lr": [], "global": [], "grads": []}
    scenario(rank, steering, client, ddp, optimizer, result)
    steering.close()
    result["events"], result["steps"], result["memberships"] = client.events, client.steps, client.memberships
    with open(os.path.join(out_dir, "rank%d.json" % rank), "w") as f:
        json.dump(result, f)
    dist.destroy_process_group()
    # Tearing down DDP's reducer and gloo at interpreter exit sometimes hangs in torch 1.13; the results are written.
    os._exit(0)


def train(steering, ddp, optimizer, steps, result, before_backward=None, on_step=None):
    for step in steering.steps(steps):
        if on_step:
            on_step(step)
        with step.data():
            x, y = DATA_X[step.indices], DATA_Y[step.indices]
        loss = torch.nn.functional.cross_entropy(ddp(x), y)
        if before_backward:
            before_backward(step)
        loss.backward()
        result["batches"].append(step.batch_size)
        result["global"].append(steering.global_batch)
        result["lr"].append(optimizer.param_groups[0]["lr"])
        result["grads"].append([p.grad.flatten().tolist() for p in ddp.parameters()])
        result.setdefault("params", []).append([p.detach().flatten().tolist() for p in ddp.parameters()])
        result.setdefault("indices", []).append(step.indices.tolist())
        optimizer.step()
        optimizer.zero_grad()
        step.report(loss=loss.item())


def uneven_batches(rank, steering, client, ddp, optimizer, result):
    def on_step(step):
        if step.number == 1:
            client.watch.publish(3, {"batch_size": 12 if rank == 0 else 4}, action="act-1")
    train(steering, ddp, optimizer, 6, result, on_step=on_step)


def refused_and_global(rank, steering, client, ddp, optimizer, result):
    def on_step(step):
        if step.number == 1:
            client.watch.publish(5, {"node": "elsewhere", "global_batch_size": 32}, action="act-2")
    train(steering, ddp, optimizer, 5, result, on_step=on_step)


def slow_rank_one(rank, steering, client, ddp, optimizer, result):
    train(steering, ddp, optimizer, 6, result, before_backward=lambda step: time.sleep(0.2 if rank == 1 else 0))


def cuda_sync_counted(rank, steering, client, ddp, optimizer, result):
    calls = []
    original = torch.cuda.synchronize
    torch.cuda.synchronize = lambda *a: calls.append(1)
    try:
        steering._cuda = True           # as for a model on a GPU: phase boundaries wait for the device
        train(steering, ddp, optimizer, 3, result)
    finally:
        steering._cuda = False
        torch.cuda.synchronize = original
    result["syncs"] = len(calls)


class SteeringTest(unittest.TestCase):

    def ranks(self, scenario):
        with tempfile.TemporaryDirectory() as d:
            mp.spawn(run_rank, args=(os.path.join(d, "store"), d, scenario), nprocs=WORLD, join=True)
            out = []
            for r in range(WORLD):
                with open(os.path.join(d, "rank%d.json" % r)) as f:
                    out.append(json.load(f))
            return out

    def test_uneven_batches_switch_together_and_the_update_stays_the_mean_over_all_samples(self):
        r0, r1 = self.ranks(uneven_batches)
        # published during step 1, agreed at the start of step 2, in force from step 3 on every rank
        self.assertEqual(r0["batches"], [8, 8, 8, 12, 12, 12])
        self.assertEqual(r1["batches"], [8, 8, 8, 4, 4, 4])
        self.assertEqual(r0["global"], [16] * 6)
        for rank in (r0, r1):
            applied = [e for e in rank["events"] if e["kind"] == "knob.applied"]
            self.assertEqual(len(applied), 1)
            self.assertEqual(applied[0]["attributes"]["action"], "act-1")
            self.assertEqual(applied[0]["attributes"]["knob"], "batch_size")
            self.assertEqual(applied[0]["attributes"]["step"], "3", "in force from the same step on every rank")
        # the gradient both ranks step with is the mean over the 16 samples of the step, even split (step 0) or not
        # (step 4): the gradient of one model with the step's parameters over the union of the two ranks' samples
        for step in (0, 4):
            indices = r0["indices"][step] + r1["indices"][step]
            self.assertEqual(len(set(indices)), 16, "disjoint samples")
            net = model()
            with torch.no_grad():
                for p, values in zip(net.parameters(), r0["params"][step]):
                    p.copy_(torch.tensor(values).view_as(p))
            torch.nn.functional.cross_entropy(net(DATA_X[indices]), DATA_Y[indices]).backward()
            expected = [p.grad.flatten().tolist() for p in net.parameters()]
            for rank in (r0, r1):
                for got, want in zip(rank["grads"][step], expected):
                    for a, b in zip(got, want):
                        self.assertAlmostEqual(a, b, places=5)

    def test_a_knob_the_job_cannot_honour_is_refused_and_training_goes_on(self):
        r0, r1 = self.ranks(refused_and_global)
        for rank in (r0, r1):
            rejected = [e for e in rank["events"] if e["kind"] == "knob.rejected"]
            self.assertEqual(len(rejected), 1, "refused once, not at every step")
            self.assertEqual(rejected[0]["attributes"]["reason"], REFUSED["node"])
            self.assertEqual(rejected[0]["attributes"]["action"], "act-2")
            self.assertEqual(len(rank["steps"]), 5, "every step reported, the last one at close")
        self.assertEqual(r0["global"], [16, 16, 16, 32, 32])
        self.assertEqual(r0["lr"][-1], 0.2, "linear scaling: twice the batch, twice the rate")

    def test_the_slow_ranks_peers_report_the_wait_and_it_reports_the_compute(self):
        r0, r1 = self.ranks(slow_rank_one)
        fast, slow = r0["steps"][2:], r1["steps"][2:]
        # rank 1 sleeps 200 ms in its compute; margins wide enough for a busy machine
        self.assertGreaterEqual(min(s["compute_ms"] for s in slow), 200)
        self.assertGreater(min(s["wait_ms"] for s in fast), 100, fast)
        self.assertLess(max(s["wait_ms"] for s in slow), min(s["wait_ms"] for s in fast) / 2, slow)
        for s in fast + slow:  # the step is its compute, communication and wait, and its data loading (the rest)
            self.assertLessEqual(s["compute_ms"] + s["comm_ms"] + s["wait_ms"], s["step_time_ms"] + 1e-6)
        self.assertEqual(r0["memberships"][0], [{"worker": "w0", "node": "node-0"}, {"worker": "w1", "node": "node-1"}],
                         "each rank on the node its own agent names")
        self.assertEqual(r1["memberships"], [], "rank 0 sends the membership")

    def test_phase_times_wait_for_the_device_when_the_model_is_on_a_gpu(self):
        r0, _ = self.ranks(cuda_sync_counted)
        self.assertGreaterEqual(r0["syncs"], 6, "at every step's start and end")


if __name__ == "__main__":
    unittest.main()
