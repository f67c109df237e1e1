package dev.coxswain.graphmodels.features;

import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TickFeaturesTest {

    private static WorkerView view(String id, String host, String sw, double compute, double comm, double wait,
                                   boolean slow) {
        Signals s = Signals.none().with(Signal.COMPUTE_MS, compute).with(Signal.COMM_MS, comm)
                .with(Signal.DATA_MS, wait).with(Signal.LINK_UTIL, comm > 30 ? 0.95 : 0.2);
        double step = compute + comm + wait;
        List<WorkerSample> recent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recent.add(WorkerSample.of(i, step, s));
        }
        return new WorkerView(id, WorkerLocation.of(host, "nic0", sw), recent, step, step / 100, slow, false);
    }

    @Test
    void networkStragglerShowsItsCommShareAndItsSlowSwitchPeers() {
        List<WorkerView> views = List.of(
                view("a", "h0", "s0", 70, 20, 10, false),
                view("b", "h0", "s0", 70, 20, 10, false),
                view("c", "h1", "s1", 70, 50, 10, true),
                view("d", "h2", "s1", 70, 50, 10, true),
                view("e", "h3", "s1", 70, 50, 10, true),
                view("f", "h4", "s2", 70, 20, 10, false));
        TickFeatures tick = new TickFeatures(views, Set.of("a", "b"), 100);
        FeatureVector c = tick.of("c");

        assertThat(c.get(Feature.STEP_RATIO)).isEqualTo(1.3);
        assertThat(c.get(Feature.COMM_RATIO)).isEqualTo(2.5);
        assertThat(c.get(Feature.COMM_SHARE)).isCloseTo(1.0, within(1e-9));
        assertThat(c.get(Feature.COMPUTE_SHARE)).isCloseTo(0.0, within(1e-9));
        assertThat(c.get(Feature.SWITCH_PEERS_SLOW)).isEqualTo(1.0);
        assertThat(c.get(Feature.SWITCH_PEERS_COMM_RATIO)).isEqualTo(2.5);
        assertThat(c.get(Feature.LINK_UTIL_DELTA)).isCloseTo(0.75, within(1e-9));
        assertThat(c.has(Feature.HOST_PEERS_SLOW)).as("no other worker on host h1").isFalse();
        assertThat(c.get(Feature.JOB_SLOW_FRACTION)).isEqualTo(0.5);
        assertThat(tick.of("a").get(Feature.HOST_PEERS_SLOW)).isEqualTo(0.0);
    }

    @Test
    void absentTelemetryGivesMissingFeaturesNotZeros() {
        List<WorkerSample> recent = List.of(WorkerSample.of(0, 120), WorkerSample.of(1, 120), WorkerSample.of(2, 120));
        WorkerView slow = new WorkerView("x", WorkerLocation.unknown(), recent, 120, 1.2, true, true);
        WorkerView fast = new WorkerView("y", WorkerLocation.unknown(), List.of(WorkerSample.of(0, 100)), 100, 1, false,
                false);
        FeatureVector f = new TickFeatures(List.of(slow, fast), Set.of("y"), 100).of("x");

        assertThat(f.get(Feature.STEP_RATIO)).isEqualTo(1.2);
        assertThat(f.get(Feature.SLOW_SINCE_START)).isEqualTo(1.0);
        for (Feature missing : List.of(Feature.COMPUTE_RATIO, Feature.COMM_SHARE, Feature.SM_CLOCK_RATIO,
                Feature.THROTTLED_FRACTION, Feature.CPU_UTIL_DELTA, Feature.SWITCH_PEERS_SLOW)) {
            assertThat(f.has(missing)).as(missing.key()).isFalse();
        }
    }
}
