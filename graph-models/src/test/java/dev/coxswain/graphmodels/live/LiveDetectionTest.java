package dev.coxswain.graphmodels.live;

import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.EpisodeEvent.Kind;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.EpisodeHistory;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.io.OfflineDetection;
import dev.coxswain.graphmodels.io.StepCsvReader;
import dev.coxswain.graphmodels.io.StepRow;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveDetectionTest {
    private final List<EpisodeEvent> sent = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DetectionHub hub = new DetectionHub(LiveDetection.initialBoard(DetectorChoice.rules()));
    private final LiveDetection live = new LiveDetection(LiveDetectorSettings.defaults(Path.of("unused")), DetectorChoice.rules(),
            new SnapshotHub(), hub, sent::add, EpisodeHistory.none(), registry);

    @Test
    void findsAThrottledGpuAndSaysSoFromTheStartOfTheEpisode() {
        LiveCluster c = new LiveCluster(30, w -> w == 5);
        for (long last = 4; last <= 80; last += 5) {
            live.process(c.snapshot(last, last, 600));
        }

        assertThat(sent).extracting(EpisodeEvent::kind).containsExactly(Kind.START);
        StragglerEpisode e = sent.getFirst().episode();
        assertThat(e.workerId()).isEqualTo("w5");
        assertThat(e.cause()).isEqualTo("gpu_compute");
        assertThat(e.detail()).startsWith("HW_THERMAL_SLOWDOWN");
        assertThat(e.slowdown()).isBetween(1.45, 1.65);
        assertThat(e.sinceStep()).isBetween(30L, 36L);
        assertThat(e.nodeId()).contains("b");
        assertThat(e.gpuIndex()).isEqualTo(1);
        assertThat(hub.latest().open()).extracting(StragglerEpisode::workerId).containsExactly("w5");
        assertThat(hub.latest().detector()).isEqualTo("rules");
        assertThat(registry.get("coxswain.detector.stragglers").gauge().value()).isEqualTo(1);
    }

    @Test
    void continuesTheOpenEpisodesOfAJobTakenOverFromACollectorThatDied() {
        // The collector that held the job announced w5's episode from step 20 and was killed before ending it.
        StragglerEpisode announced = new StragglerEpisode(LiveCluster.JOB, "w5", Optional.of("b"), 1, "gpu_compute",
                "", 1.5, 0.9, 1, 20, Optional.empty(), Instant.EPOCH, 25, Instant.EPOCH, Optional.empty());
        List<Set<String>> asked = new ArrayList<>();
        LiveDetection takingOver = new LiveDetection(LiveDetectorSettings.defaults(Path.of("unused")),
                DetectorChoice.rules(), new SnapshotHub(), hub, sent::add, jobs -> {
                    asked.add(Set.copyOf(jobs));
                    return List.of(announced);
                }, registry);
        LiveCluster c = new LiveCluster(30, w -> w == 5);

        // The windows this collector rebuilt from the topic: up to step 60, w5 slow since step 30.
        for (long last = 60; last <= 100; last += 5) {
            takingOver.process(c.snapshot(last, last, 600));
        }

        assertThat(asked).as("the log is read once, for the job new here").containsExactly(Set.of(LiveCluster.JOB));
        assertThat(sent).as("the same slowness is not announced again").noneMatch(e -> e.kind() == Kind.START);
        assertThat(hub.latest().open()).extracting(StragglerEpisode::id).containsExactly(announced.id());
    }

    @Test
    void endsTheEpisodesOfAJobThatEndedAndLeftTheSnapshot() {
        LiveCluster c = new LiveCluster(30, w -> w == 5);
        for (long last = 4; last <= 60; last += 5) {
            live.process(c.snapshot(last, last, 600));
        }
        ClusterSnapshot s = c.snapshot(100, 64, 600);
        JobView job = s.jobs().get(LiveCluster.JOB);
        JobView ending = new JobView(job.jobId(), job.membership(), job.workers(), job.meanStepMs(), job.flows(),
                List.of(new JobEvent(job.jobId(), Optional.empty(), s.at(), JobEvent.JOB_END, Map.of())));
        live.process(new ClusterSnapshot(100, s.at(), s.graph(), s.linkLoad(), s.gpus(), s.hosts(),
                Map.of(job.jobId(), ending)));

        live.process(new ClusterSnapshot(101, s.at(), s.graph(), s.linkLoad(), s.gpus(), s.hosts(), Map.of()));

        assertThat(sent).extracting(EpisodeEvent::kind).containsExactly(Kind.START, Kind.END);
        assertThat(sent.getLast().episode().end().orElseThrow().reason()).isEqualTo(EndReason.JOB_GONE);
        assertThat(hub.latest().open()).isEmpty();
        assertThat(hub.latest().recent()).extracting(StragglerEpisode::workerId).containsExactly("w5");
    }

    @Test
    void leavesTheOpenEpisodesOfAJobThatMovedToAnotherCollectorToItsNextOwner() {
        LiveCluster c = new LiveCluster(30, w -> w == 5);
        for (long last = 4; last <= 60; last += 5) {
            live.process(c.snapshot(last, last, 600));
        }
        ClusterSnapshot s = c.snapshot(100, 64, 600);

        // the group gave the job's partition to another collector: it leaves this one's snapshot still running
        live.process(new ClusterSnapshot(101, s.at(), s.graph(), s.linkLoad(), s.gpus(), s.hosts(), Map.of()));

        assertThat(sent).extracting(EpisodeEvent::kind).containsExactly(Kind.START);
        assertThat(hub.latest().open()).isEmpty();
        assertThat(hub.latest().recent()).isEmpty();
    }

    @Test
    void keepsOnlyTheLatestSnapshotWhenItFallsBehind() throws InterruptedException {
        LiveCluster c = new LiveCluster(1000, w -> false);
        live.handOver(c.snapshot(1, 9, 600));
        live.handOver(c.snapshot(2, 19, 600));

        live.runOnce(Duration.ZERO);
        live.runOnce(Duration.ofMillis(10));

        assertThat(registry.get("coxswain.detector.snapshots.skipped").counter().count()).isEqualTo(1);
        assertThat(registry.get("coxswain.detector.snapshots").counter().count()).isEqualTo(1);
    }

    @Test
    void runsOnItsOwnThreadFedByTheSnapshotSource() throws Exception {
        SnapshotHub snapshots = new SnapshotHub();
        LiveDetection stage = new LiveDetection(LiveDetectorSettings.defaults(Path.of("unused")), DetectorChoice.rules(), snapshots,
                hub, sent::add, EpisodeHistory.none(), registry);
        LiveCluster c = new LiveCluster(30, w -> w == 5);
        stage.start();
        try {
            int published = 0;
            for (long last = 4; last <= 80; last += 5) {
                snapshots.publish(c.snapshot(last, last, 600));
                int n = ++published;
                // one at a time, as a collector publishes them: each is processed before the next comes
                Await.until("snapshot " + n + " processed",
                        () -> registry.get("coxswain.detector.snapshots").counter().count() >= n);
            }
            Await.until("an open episode", () -> !hub.latest().open().isEmpty());
        } finally {
            stage.close();
        }
        assertThat(hub.latest().open()).extracting(StragglerEpisode::workerId).containsExactly("w5");
        assertThat(registry.find("coxswain.detector.snapshots").counter()).as("meters removed on close").isNull();
    }

    @Test
    void recordsItsInputOnceAsAStepsFileThatReplaysOffline(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rec").resolve("input.csv");
        LiveDetection recording = new LiveDetection(LiveDetectorSettings.defaults(dir).withRecord(file),
                DetectorChoice.rules(), new SnapshotHub(), hub, sent::add, EpisodeHistory.none(), registry);
        LiveCluster c = new LiveCluster(30, w -> w == 5);
        for (long last = 4; last <= 80; last += 5) {
            recording.process(c.snapshot(last, last, 600));
        }
        recording.close();

        List<StepRow> rows;
        try (var in = Files.newBufferedReader(file)) {
            rows = new StepCsvReader(file.toString()).read(in); // a step written twice would be rejected
        }
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.sample().timestamp()).isPresent();
            assertThat(r.sample().signals().get(Signal.SM_CLOCK_MHZ)).isPresent();
            assertThat(r.sample().step()).isGreaterThanOrEqualTo(20); // the warm-up is not judged, not recorded
        });
        assertThat(rows.stream().map(StepRow::workerId).distinct()).hasSize(8);
        List<WorkerVerdict> verdicts = new OfflineDetection(DetectorConfig.defaults(), new RuleCauseAttributor())
                .run(rows);
        assertThat(verdicts).filteredOn(WorkerVerdict::straggler).isNotEmpty()
                .allSatisfy(v -> {
                    assertThat(v.workerId()).isEqualTo("w5");
                    assertThat(v.cause()).isEqualTo(Cause.GPU_COMPUTE);
                });
    }

    @Test
    void aRecordingThatCannotBeOpenedIsAnErrorNamingTheSetting(@TempDir Path dir) {
        assertThatThrownBy(() -> new LiveDetection(LiveDetectorSettings.defaults(dir).withRecord(dir),
                DetectorChoice.rules(), new SnapshotHub(), hub, sent::add, EpisodeHistory.none(), registry))
                .hasMessageContaining("detector.record").hasMessageContaining(dir.toString());
    }

    @Test
    void theDecisionDelaySettingIsOptionalAndChecked(@TempDir Path dir) {
        ConfigDef def = LiveDetectorSettings.define(new ConfigDef(), dir);
        assertThat(LiveDetectorSettings.from(def.parse(Map.of())).decisionDelay()).isEmpty();
        assertThat(LiveDetectorSettings.from(def.parse(Map.of(LiveDetectorSettings.DECISION_DELAY, "0")))
                .decisionDelay()).hasValue(0);
        assertThatThrownBy(() -> def.parse(Map.of(LiveDetectorSettings.DECISION_DELAY, "-2")))
                .hasMessageContaining(LiveDetectorSettings.DECISION_DELAY);
    }
}
