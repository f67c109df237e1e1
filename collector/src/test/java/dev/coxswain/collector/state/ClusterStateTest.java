package dev.coxswain.collector.state;

import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.graph.LinkCapacities;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Link;
import dev.coxswain.testkit.Samples;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClusterStateTest {
    private final ClusterState state = new ClusterState(new ClusterGraph(LinkCapacities.defaults()), 5,
            Clock.fixed(Samples.T0, ZoneOffset.UTC), java.time.Duration.ofSeconds(30));
    private final Samples samples = new Samples(1);

    @Test
    void aJobThatEndedIsDroppedAfterTheRetentionUnlessItRunsAgain() {
        dev.coxswain.testkit.MutableClock clock = new dev.coxswain.testkit.MutableClock(Samples.T0);
        ClusterState s = new ClusterState(new ClusterGraph(LinkCapacities.defaults()), 5, clock,
                java.time.Duration.ofSeconds(30));
        s.apply(samples.step("done", "w0", 1));
        s.apply(samples.step("again", "w0", 1));
        s.apply(new dev.coxswain.core.telemetry.JobEvent("done", java.util.Optional.empty(), Samples.T0, "job.end",
                java.util.Map.of("reason", "finished")));
        s.apply(new dev.coxswain.core.telemetry.JobEvent("again", java.util.Optional.empty(), Samples.T0, "job.end",
                java.util.Map.of()));
        s.apply(new dev.coxswain.core.telemetry.JobEvent("done", java.util.Optional.of("w0"), Samples.T0, "job.end",
                java.util.Map.of()));
        clock.advance(java.time.Duration.ofSeconds(29));
        assertThat(s.snapshot().jobs()).containsKeys("done", "again");
        s.apply(new dev.coxswain.core.telemetry.StepReport("done", "w0", 2, Samples.T0.plusSeconds(5), 100, 50, 40,
                0, 8, 8, java.util.OptionalDouble.empty(), java.util.Optional.empty())); // a last straggling report
        s.apply(new dev.coxswain.core.telemetry.JobEvent("again", java.util.Optional.empty(), Samples.T0.plusSeconds(5),
                "job.start", java.util.Map.of()));
        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(s.snapshot().jobs()).as("done is dropped 30 s after its end, a late report or not; again started again")
                .containsOnlyKeys("again");
    }

    @Test
    void keepsTheNewestStepsPerWorkerAndIgnoresReplays() {
        for (int s = 0; s < 8; s++) {
            state.apply(samples.step("j", "w0", s));
        }
        state.apply(samples.step("j", "w0", 7));
        ClusterSnapshot snap = state.snapshot();
        assertThat(snap.jobs().get("j").workers().get("w0")).extracting(p -> p.step())
                .containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void keepsEachStepsInputTimeMeasuredOrLeftOver() {
        state.apply(new dev.coxswain.core.telemetry.StepReport("j", "w0", 1, Samples.T0, 100, 50, 20, 5, 8, 8,
                java.util.OptionalDouble.empty(), java.util.Optional.empty(), java.util.OptionalDouble.of(12)));
        state.apply(new dev.coxswain.core.telemetry.StepReport("j", "w0", 2, Samples.T0, 100, 50, 20, 5, 8, 8,
                java.util.OptionalDouble.empty(), java.util.Optional.empty()));
        assertThat(state.snapshot().jobs().get("j").workers().get("w0")).extracting(p -> p.inputMs())
                .as("the reported data time, then the rest of the step").containsExactly(12.0, 25.0);
    }

    @Test
    void loadsLinksWithTheJobsFlowRates() {
        state.apply(Samples.node("n1", 2, 0, "tor-1", 100e9));
        state.apply(Samples.node("n2", 2, 0, "tor-2", 100e9));
        state.apply(Samples.ringJob("j", 100_000_000, List.of("n1", "n2"), 2));
        for (int w = 0; w < 4; w++) {
            state.apply(new dev.coxswain.core.telemetry.StepReport("j", "w" + w, 1, Samples.T0, 100, 50, 40, 0, 8,
                    8, java.util.OptionalDouble.empty(), java.util.Optional.empty()));
        }
        ClusterSnapshot snap = state.snapshot();
        assertThat(snap.generation()).isEqualTo(1);
        assertThat(snap.jobs().get("j").flows()).hasSize(4);
        // ring of 4: each flow 2*3/4*100 MB per 100 ms step = 1.5 GB/s; two flows cross the spine (w1->w2, w3->w0)
        Link uplink = snap.graph().getEdge(new dev.coxswain.snapshot.Vertex.Switch("tor-1"),
                new dev.coxswain.snapshot.Vertex.Switch("spine"));
        assertThat(snap.linkLoad().get(uplink)).isCloseTo(3.0e9, within(1e3));
        assertThat(snap.utilization(uplink)).isCloseTo(3.0e9 / uplink.capacityBytesPerSec(), within(1e-9));
    }

    @Test
    void forgetsJobsAndNodeSamplesOfRevokedPartitions() {
        state.apply(samples.step("j", "w0", 1));
        state.apply(samples.gpu("n1", 0));
        state.apply(samples.host("n1"));
        state.forgetJob("j");
        state.forgetNodeSamples("n1");
        ClusterSnapshot snap = state.snapshot();
        assertThat(snap.jobs()).isEmpty();
        assertThat(snap.gpus()).isEmpty();
        assertThat(snap.hosts()).isEmpty();
    }
}
