package dev.coxswain.graphmodels.live;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SnapshotWindowsTest {
    private final SnapshotWindows windows = new SnapshotWindows(Duration.ofSeconds(2), 8, 0);
    private final SampleHistory history = new SampleHistory();

    private static WorkerSeries worker(SnapshotWindows.JobInput in, String id) {
        return in.window().workers().stream().filter(w -> w.workerId().equals(id)).findFirst().orElseThrow();
    }

    private SnapshotWindows.JobInput convert(ClusterSnapshot s, long lastProcessed) {
        history.record(s);
        return windows.convert(s, s.jobs().get(LiveCluster.JOB), history, lastProcessed);
    }

    @Test
    void takesTheWorkersOwnTimeAsStepTimeLessBarrierWaitAndTheRestAsInputWait() {
        LiveCluster c = new LiveCluster(5, w -> w == 5);
        SnapshotWindows.JobInput in = convert(c.snapshot(1, 9, 600), Long.MIN_VALUE);

        assertThat(in.window().jobId()).isEqualTo("job-1");
        assertThat(in.window().workers()).hasSize(8);
        WorkerSample fast = worker(in, "w0").samples().get(7);
        WorkerSample slow = worker(in, "w5").samples().get(7);
        StepPoint raw = c.point(0, 7);
        assertThat(fast.step()).isEqualTo(7);
        assertThat(fast.ownStepMs()).isCloseTo(raw.computeMs() + 27, within(1e-9));
        assertThat(raw.stepTimeMs()).isCloseTo(c.point(5, 7).stepTimeMs(), within(1e-9));
        assertThat(slow.ownStepMs() / fast.ownStepMs()).isGreaterThan(1.5);
        assertThat(fast.timestamp()).contains(LiveCluster.stepTime(7));
        assertThat(fast.signals().get(Signal.COMPUTE_MS)).hasValue(raw.computeMs());
        assertThat(fast.signals().get(Signal.COMM_MS)).hasValue(25);
        assertThat(fast.signals().get(Signal.DATA_MS).getAsDouble()).isCloseTo(2, within(1e-9));
        assertThat(fast.signals().get(Signal.BATCH_SIZE)).hasValue(64);
        assertThat(in.skippedPoints()).isZero();
    }

    @Test
    void addsTheGpuHostAndUplinkTelemetryOfEachWorker() {
        SnapshotWindows.JobInput in = convert(new LiveCluster(1000, w -> false).snapshot(1, 9, 600), Long.MIN_VALUE);

        WorkerSample s = worker(in, "w2").samples().getFirst();
        assertThat(s.signals().get(Signal.SM_CLOCK_MHZ)).hasValue(1980);
        assertThat(s.signals().get(Signal.GPU_UTIL_PCT)).hasValue(85);
        assertThat(s.signals().get(Signal.THROTTLED)).hasValue(0);
        assertThat(s.signals().get(Signal.CPU_UTIL_PCT)).hasValue(30);
        assertThat(s.signals().get(Signal.LINK_UTIL).getAsDouble()).isCloseTo(0.4, within(1e-9));
    }

    @Test
    void placesEachWorkerOnItsHostNicAndSwitch() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        SnapshotWindows.JobInput in = convert(c.snapshot(1, 9, 600), Long.MIN_VALUE);

        assertThat(worker(in, "w3").placement()).isEqualTo(WorkerLocation.of("a", "mlx5_0", "tor-a"));
        assertThat(worker(in, "w6").placement()).isEqualTo(WorkerLocation.of("b", "mlx5_0", "tor-b"));
        assertThat(in.context().worker("w6").nodeId()).contains("b");
        assertThat(in.context().worker("w6").gpuIndex()).isEqualTo(2);
        assertThat(in.context().worker("w6").lastStep()).isEqualTo(9);
    }

    @Test
    void pairsEachStepWithTheFirstGpuSampleTakenAfterIt() {
        LiveCluster c = new LiveCluster(25, w -> w == 5);
        for (long last : new long[] {9, 19, 29}) {
            history.record(c.snapshot(last, last, 600));
        }
        SnapshotWindows.JobInput in = convert(c.snapshot(4, 39, 600), Long.MIN_VALUE);

        Map<Long, WorkerSample> w5 = bySteps(worker(in, "w5").samples());
        assertThat(w5.get(15L).signals().get(Signal.THROTTLED)).hasValue(0);
        assertThat(w5.get(25L).signals().get(Signal.THROTTLED)).hasValue(1);
        assertThat(w5.get(25L).signals().get(Signal.SM_CLOCK_MHZ)).hasValue(1095);
        assertThat(bySteps(worker(in, "w4").samples()).get(25L).signals().get(Signal.THROTTLED)).hasValue(0);
        assertThat(in.context().detail("w5", Cause.GPU_COMPUTE))
                .isEqualTo("HW_THERMAL_SLOWDOWN; SM clock 1095/1980 MHz, 89 °C");
    }

    private static Map<Long, WorkerSample> bySteps(List<WorkerSample> samples) {
        return samples.stream().collect(java.util.stream.Collectors.toMap(WorkerSample::step, s -> s));
    }

    @Test
    void holdsBackStepsNewerThanTheLastGpuSampleForAtMostTheTelemetryWait() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        ClusterSnapshot s = c.snapshot(1, 35, 600); // GPU samples at 3.0 s, steps up to 3.6 s

        SnapshotWindows.JobInput waiting = convert(s, Long.MIN_VALUE);
        SnapshotWindows.JobInput impatient = new SnapshotWindows(Duration.ZERO, 8, 0)
                .convert(s, s.jobs().get(LiveCluster.JOB), history, Long.MIN_VALUE);

        assertThat(worker(waiting, "w0").samples().getLast().step()).isEqualTo(29);
        assertThat(worker(impatient, "w0").samples().getLast().step()).isEqualTo(35);
    }

    @Test
    void convertsOnlyStepsAfterTheLastProcessedOneAndEachWorkersLastFew() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        SnapshotWindows.JobInput in = convert(c.snapshot(1, 49, 50), 46);

        assertThat(worker(in, "w0").samples()).extracting(WorkerSample::step)
                .containsExactly(42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L);
        SnapshotWindows.JobInput first = convert(c.snapshot(1, 49, 50), Long.MIN_VALUE);
        assertThat(worker(first, "w0").samples()).hasSize(50);
    }

    @Test
    void leavesOutTheWarmUpStepsEvenFromEachWorkersLastFew() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        ClusterSnapshot s = c.snapshot(1, 49, 50);
        history.record(s);
        SnapshotWindows warming = new SnapshotWindows(Duration.ofSeconds(2), 8, 45);

        assertThat(worker(warming.convert(s, s.jobs().get(LiveCluster.JOB), history, Long.MIN_VALUE), "w0")
                .samples()).extracting(WorkerSample::step).containsExactly(45L, 46L, 47L, 48L, 49L);
        assertThat(worker(warming.convert(s, s.jobs().get(LiveCluster.JOB), history, 48), "w0").samples())
                .extracting(WorkerSample::step).containsExactly(45L, 46L, 47L, 48L, 49L);
    }

    @Test
    void leavesOutStepsBeforeARestartAndStepsWithoutOwnTime() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        ClusterSnapshot base = c.snapshot(1, 29, 600);
        JobView job = base.jobs().get(LiveCluster.JOB);
        StepPoint noOwnTime = new StepPoint(13, LiveCluster.stepTime(13), 80, 0, 0, 80, 64);
        Map<String, List<StepPoint>> workers = new java.util.HashMap<>(job.workers());
        workers.put("w0", List.of(c.point(0, 10), c.point(0, 11), c.point(0, 12), c.point(0, 3), noOwnTime,
                c.point(0, 4)));
        JobView restarted = new JobView(job.jobId(), job.membership(), workers, job.meanStepMs(), job.flows());
        ClusterSnapshot s = new ClusterSnapshot(2, base.at(), base.graph(), base.linkLoad(), base.gpus(),
                base.hosts(), Map.of(job.jobId(), restarted));

        SnapshotWindows.JobInput in = convert(s, Long.MIN_VALUE);

        assertThat(worker(in, "w0").samples()).extracting(WorkerSample::step).containsExactly(3L, 4L);
        assertThat(in.skippedPoints()).isEqualTo(4);
    }

    @Test
    void aJobWithoutMembershipHasStepsButNoPlacementOrGpuTelemetry() {
        ClusterSnapshot base = new LiveCluster(1000, w -> false).snapshot(1, 9, 600);
        JobView job = base.jobs().get(LiveCluster.JOB);
        JobView anonymous = new JobView(job.jobId(), Optional.empty(), job.workers(), job.meanStepMs(), List.of());
        ClusterSnapshot s = new ClusterSnapshot(2, base.at(), base.graph(), base.linkLoad(), base.gpus(),
                base.hosts(), Map.of(job.jobId(), anonymous));

        SnapshotWindows.JobInput in = convert(s, Long.MIN_VALUE);

        WorkerSeries w = worker(in, "w1");
        assertThat(w.placement()).isEqualTo(WorkerLocation.unknown());
        assertThat(w.samples()).hasSize(10);
        assertThat(w.samples().getFirst().signals().present())
                .containsExactlyInAnyOrder(Signal.COMPUTE_MS, Signal.COMM_MS, Signal.DATA_MS, Signal.BATCH_SIZE);
    }

    @Test
    void aWorkerWhoseBatchWasCutIsJudgedByItsSpeedPerSample() {
        LiveCluster c = new LiveCluster(1000, w -> false);
        ClusterSnapshot base = c.snapshot(1, 9, 600);
        JobView job = base.jobs().get(LiveCluster.JOB);
        Map<String, List<StepPoint>> workers = new java.util.HashMap<>(job.workers());
        // w3 computes at half speed; the controller gave it 37 samples and the others 73 (same 60 ms of compute)
        workers.replaceAll((w, points) -> points.stream().map(p -> new StepPoint(p.step(), p.timestamp(), 90,
                60, 25, 0, w.equals("w3") ? 37 : 73)).toList());
        // a worker with a larger batch than its peers is judged as it is: it holds the job back
        workers.put("w4", workers.get("w4").stream().map(p -> new StepPoint(p.step(), p.timestamp(), 90, 60, 25, 0,
                146)).toList());
        ClusterSnapshot s = new ClusterSnapshot(2, base.at(), base.graph(), base.linkLoad(), base.gpus(),
                base.hosts(), Map.of(job.jobId(), new JobView(job.jobId(), job.membership(), workers,
                        job.meanStepMs(), job.flows())));

        SnapshotWindows.JobInput in = convert(s, Long.MIN_VALUE);

        WorkerSample fast = worker(in, "w0").samples().getLast();
        WorkerSample cut = worker(in, "w3").samples().getLast();
        assertThat(fast.ownStepMs()).isCloseTo(90, within(1e-9));
        assertThat(cut.signals().get(Signal.COMPUTE_MS).getAsDouble()).isCloseTo(60.0 * 73 / 37, within(1e-9));
        assertThat(cut.ownStepMs()).isCloseTo(90 + 60.0 * (73.0 / 37 - 1), within(1e-9));
        assertThat(cut.signals().get(Signal.BATCH_SIZE)).hasValue(37);
        assertThat(worker(in, "w4").samples().getLast().ownStepMs()).isCloseTo(90, within(1e-9));
    }
}
