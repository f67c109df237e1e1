"""Tests of coxswain_client.py against a running agent at $COXSWAIN_AGENT_URL (the JUnit PythonClientIT starts the
real agent and runs this file). The Java side then checks what the agent received from the job
$COXSWAIN_TEST_JOB."""

import os
import threading
import time
import unittest

from coxswain_client import CoxswainClient, InvalidKnob, KnobRejected, StepTimer, check_knob, gradient_stats

AGENT = os.environ.get("COXSWAIN_AGENT_URL", "http://127.0.0.1:7070")
JOB = os.environ.get("COXSWAIN_TEST_JOB", "py-job")


class ClientTest(unittest.TestCase):

    def test_reports_steps_events_and_membership(self):
        client = CoxswainClient(JOB, "w0", agent_url=AGENT, flush_interval=0.05, timeout=10.0)
        client.membership([{"worker": "w0", "node": "node-a", "gpu": 0}, {"worker": "w1", "node": "node-a", "gpu": 1}])
        timer = StepTimer()
        for step in range(30):
            with timer.phase("compute"):
                time.sleep(0.001)
            with timer.phase("comm"):
                pass
            sq, var = gradient_stats([2.0, 2.5, 1.5, 2.0], 1.8, 16)
            client.report_step(step, batch_size=64, loss=1.0 / (step + 1), grad_sq_norm=sq, grad_variance=var,
                               **timer.finish())
        client.event("injection.start", {"fault": "slowdown", "factor": 2.0})
        self.assertTrue(client.flush(10))
        self.assertEqual(client.stats(), {"delivered": 32, "rejected": 0, "dropped": 0, "failed_sends": 0,
                                          "pending": 0})
        client.close()

    def test_knobs_round_trip_and_the_watch_sees_changes(self):
        client = CoxswainClient(JOB, "w1", agent_url=AGENT, timeout=10.0)
        seen = []
        arrived = threading.Event()

        def on_knobs(update):
            seen.append(update)
            if update.knobs.get("batch_size") == 48:
                arrived.set()

        watch = client.watch_knobs(on_knobs, wait_ms=2000)
        v1 = client.set_knobs({"staleness": 2, "sync_mode": "ssp"})
        v2 = client.set_knobs({"batch_size": 48}, worker="w1")
        self.assertEqual(v2, v1 + 1)
        self.assertTrue(arrived.wait(5), "watch saw %r" % seen)
        self.assertEqual(seen[-1].knobs, {"staleness": 2, "sync_mode": "ssp", "batch_size": 48})
        self.assertIsNone(seen[-1].action, "a person's change names no action")
        calls = len(seen)

        def wait_for(version):
            deadline = time.time() + 5
            while watch.current().version < version and time.time() < deadline:
                time.sleep(0.05)
            self.assertEqual(watch.current().version, version)

        v3 = client.set_knobs({"batch_size": 16}, worker="w0")      # another worker's change
        wait_for(v3)
        self.assertEqual(len(seen), calls, "w0's change is not w1's: no call")
        v4 = client.set_knobs({"staleness": None})                  # cleared: w1's merged knobs lose it
        wait_for(v4)
        self.assertEqual(watch.current().knobs, {"sync_mode": "ssp", "batch_size": 48})
        deadline = time.time() + 5
        while len(seen) == calls and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual([u.version for u in seen[calls:]], [v4])
        self.assertEqual(client.poll_knobs(after=-1).knobs["batch_size"], 48)
        self.assertIsNone(client.poll_knobs(after=v4, wait_ms=200))
        self.assertRegex(client.agent_node(), r"^[A-Za-z0-9][\w.:-]*$", "the agent says which node it is")
        watch.close()
        client.close()

    def test_the_step_timer_reports_data_loading_as_its_own_phase(self):
        timer = StepTimer()
        with timer.phase("data"):
            time.sleep(0.02)
        with timer.phase("compute"):
            time.sleep(0.001)
        times = timer.finish()
        self.assertEqual(sorted(times), ["comm_ms", "compute_ms", "data_ms", "step_time_ms", "wait_ms"])
        self.assertEqual(times["wait_ms"], 0.0, "data loading is not waiting for peers")
        self.assertGreaterEqual(times["data_ms"], 20.0)
        self.assertGreaterEqual(times["step_time_ms"], times["data_ms"] + times["compute_ms"], "part of the step")
        with self.assertRaises(ValueError):
            timer.phase("io")

    def test_a_malformed_knob_change_is_refused_naming_the_field(self):
        client = CoxswainClient(JOB, "w2", agent_url=AGENT, timeout=10.0)
        with self.assertRaises(InvalidKnob) as caught:
            client.set_knobs({"batch_size": -1}, worker="w2")
        self.assertEqual(caught.exception.knob, "batch_size")
        with self.assertRaises(InvalidKnob) as caught:
            client.set_knobs({"batch_size": 16777217}, worker="w2")
        self.assertEqual(str(caught.exception), "batch_size: 16777217 is outside [1, 16777216]")
        with self.assertRaises(InvalidKnob) as caught:
            client.set_knobs({"turbo": True})
        self.assertIn("turbo", str(caught.exception))
        with self.assertRaises(KnobRejected) as caught:
            client.set_knobs({"batch_size": 8}, worker="not a worker id")
        self.assertIn("worker", str(caught.exception))
        client.close()

    def test_check_knob_gives_the_value_as_the_agent_holds_it(self):
        self.assertEqual(check_knob("batch_size", 64.0), 64)
        self.assertIsInstance(check_knob("batch_size", 64.0), int)
        self.assertEqual(check_knob("learning_rate", 1), 1.0)
        self.assertIsInstance(check_knob("learning_rate", 1), float)
        self.assertRaises(InvalidKnob, check_knob, "batch_size", True)
        self.assertRaises(InvalidKnob, check_knob, "learning_rate", float("nan"))
        self.assertRaises(InvalidKnob, check_knob, "node", "-x")

    def test_reporting_never_blocks_when_the_agent_is_down(self):
        client = CoxswainClient(JOB, "w3", agent_url="http://127.0.0.1:9", timeout=0.5)
        t0 = time.monotonic()
        for step in range(1000):
            client.report_step(step, step_time_ms=10, batch_size=8)
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertFalse(client.flush(0.3))
        self.assertEqual(client.stats()["pending"], 1000)
        client.close(timeout=0.1)

    def test_gradient_stats_estimate_the_per_sample_variance(self):
        # Two micro-batches of 4 whose gradients differ by d: |g1 - g2|^2 = 2 * sum |g_i - g|^2.
        sq, var = gradient_stats([5.0, 1.0], 2.0, 4)
        self.assertEqual(sq, 2.0)
        self.assertAlmostEqual(var, 4 * (6.0 - 2 * 2.0) / 1)


if __name__ == "__main__":
    unittest.main()
