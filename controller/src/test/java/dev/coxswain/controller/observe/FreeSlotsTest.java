package dev.coxswain.controller.observe;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.Vertex;
import org.jgrapht.graph.SimpleGraph;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class FreeSlotsTest {
    static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    /** HW_THERMAL_SLOWDOWN, a reason that slows compute; 0x1 is GPU_IDLE, which does not. */
    static final long THERMAL = 0x40;
    static final long IDLE = 0x1;

    static GpuSample clocked(String node, int index, double mhz, long reasons) {
        return sample(node, index, mhz, 0, 1L << 30, reasons);
    }

    static GpuSample sample(String node, int index, double mhz, double util, long memoryUsed, long reasons) {
        return new GpuSample(node, T, index, "GPU-" + node + index, "H100", OptionalDouble.of(util), memoryUsed, 80L << 30,
                OptionalDouble.of(mhz), OptionalDouble.of(1980), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), reasons, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
    }

    @Test
    void freeGpusAreIdleOnesNoJobUsesWithTheirClockRatioAndSparesAreThoseNoJobRunsOn() {
        SimpleGraph<Vertex, Link> graph = new SimpleGraph<>(Link.class);
        for (String node : List.of("n1", "n2", "n3", "n4")) {
            Vertex.Host host = new Vertex.Host(node);
            graph.addVertex(host);
            for (int i = 0; i < 2; i++) {
                Vertex.Gpu gpu = new Vertex.Gpu(node, i);
                graph.addVertex(gpu);
                graph.addEdge(gpu, host, new Link(gpu, host, Link.LinkType.PCIE, 32e9));
            }
        }
        JobMembership m = new JobMembership("j", T, JobMembership.CommPattern.RING_ALLREDUCE, 0, List.of(
                new JobMembership.Member("w0", "n1", 0, JobMembership.Role.WORKER),
                new JobMembership.Member("w1", "n1", 1, JobMembership.Role.WORKER),
                new JobMembership.Member("w2", "n2", 0, JobMembership.Role.WORKER),
                new JobMembership.Member("w3", "spare-1", -1, JobMembership.Role.WORKER)));
        JobView job = new JobView("j", Optional.of(m), Map.of(), Double.NaN, List.of(), List.of());
        ClusterSnapshot snapshot = new ClusterSnapshot(1, T, graph, Map.of(), Map.of(
                new Vertex.Gpu("n2", 1), clocked("n2", 1, 990, THERMAL),
                new Vertex.Gpu("n3", 0), sample("n3", 0, 1980, 85, 1L << 30, 0),     // busy: somebody else's process
                new Vertex.Gpu("n3", 1), sample("n3", 1, 1980, 0, 60L << 30, 0),     // its memory is held
                new Vertex.Gpu("n4", 0), clocked("n4", 0, 345, IDLE)),               // idle: a low clock, not slow
                Map.of(), Map.of("j", job));

        List<Slot> free = FreeSlots.of(snapshot, List.of("spare-1", "spare-2"));

        assertThat(free).as("n3's GPUs are busy, though no job of Coxswain's is there; n4/1 has no sample")
                .containsExactly(new Slot("n2", OptionalInt.of(1), 0.5), new Slot("n4", OptionalInt.of(0), 1),
                        new Slot("spare-2", OptionalInt.empty(), 1));
        assertThat(free.getFirst()).hasToString("n2/gpu1");
        assertThat(FreeSlots.relativeSpeed(null)).isEqualTo(1);
    }
}
