package dev.coxswain.graphmodels.gnn;

import dev.coxswain.core.telemetry.JobMembership.CommPattern;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.testkit.NetworkCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A collector's snapshot read as the graph network's input: phases, directions, measurements and what-ifs. */
class SnapshotNetworkTest {
    private static final List<NetworkCluster.Place> RING = List.of(new NetworkCluster.Place("w0", "a", 0),
            new NetworkCluster.Place("w1", "a", 1), new NetworkCluster.Place("w2", "b", 0),
            new NetworkCluster.Place("w3", "b", 1));

    private static ClusterSnapshot ring() {
        return new NetworkCluster(100).job("ring", CommPattern.RING_ALLREDUCE, 100_000_000, RING, 120, 30, 25)
                .snapshot(1, NetworkCluster.AT);
    }

    @Test
    void aRingIsOnePhaseOverEveryHopInTheDirectionItCrossesIt() {
        NetworkCluster cluster = new NetworkCluster(100);
        SnapshotNetwork net = SnapshotNetwork.of(ring());
        FlowGraph g = net.graph();
        assertEquals(1, g.jobs());
        assertEquals(1, g.flows(), "a ring's hops move at once: one phase");
        assertEquals(150e6, g.flowBytes()[0], 1, "each hop moves 2(n-1)/n of the gradients");
        // a1 -> b0 leaves node a by its uplink, b1 -> a0 comes back over it: the same cable, both ways.
        Set<String> uplinkA = net.links().stream().filter(d -> d.link().equals(cluster.uplink("a")))
                .map(d -> d.from().id() + ">" + d.to().id()).collect(Collectors.toSet());
        assertEquals(Set.of("nic:a/mlx5_0>switch:tor", "switch:tor>nic:a/mlx5_0"), uplinkA);
        int row = net.links().indexOf(new SnapshotNetwork.DirectedLink(cluster.uplink("a"), true));
        assertEquals(12.5e9, g.linkCapacity()[row], 1, "capacity per direction");
        assertEquals(List.of(new SnapshotNetwork.MeasuredJob("ring", 0.090, 0.030)), net.jobs());
        assertEquals(Map.of(), net.skipped());
    }

    @Test
    void aParameterServerPushesThenPulls() {
        ClusterSnapshot s = new NetworkCluster(100).job("ps", CommPattern.PARAMETER_SERVER, 8_000_000,
                List.of(new NetworkCluster.Place("ps0", "a", -1), new NetworkCluster.Place("w0", "b", 0),
                        new NetworkCluster.Place("w1", "b", 1)), 50, 10, 5).snapshot(1, NetworkCluster.AT);
        FlowGraph g = SnapshotNetwork.of(s).graph();
        assertEquals(2, g.flows(), "a push phase and a pull phase");
        assertEquals(8e6, g.flowBytes()[0], 1);
        assertEquals(g.jobAloneSec()[0], g.flowAloneSec()[0] + g.flowAloneSec()[1], 1e-9);
    }

    @Test
    void jobsItCannotReadAreLeftOutWithWhy() {
        ClusterSnapshot s = new NetworkCluster(100)
                .job("ring", CommPattern.RING_ALLREDUCE, 100_000_000, RING, 120, 30, 25)
                .job("no-size", CommPattern.RING_ALLREDUCE, 0, RING, 120, 30, 25)
                .job("no-steps", CommPattern.RING_ALLREDUCE, 1000, RING, 120, 30, 0)
                .jobWithoutMembership("new")
                .endedJob("done", RING)
                .snapshot(1, NetworkCluster.AT.plusSeconds(20));
        SnapshotNetwork net = SnapshotNetwork.of(s);
        assertEquals(List.of("ring"), net.jobs().stream().map(SnapshotNetwork.MeasuredJob::jobId).toList());
        assertEquals(Map.of("no-size", "its gradient size is not known",
                "no-steps", "its workers have reported no steps yet",
                "new", "its membership is not known yet",
                "done", "it ended"), net.skipped());
        SnapshotNetwork none = SnapshotNetwork.of(new NetworkCluster(100).jobWithoutMembership("new")
                .snapshot(1, NetworkCluster.AT));
        assertTrue(none.isEmpty(), "nothing to read");
        assertEquals(Map.of("new", "its membership is not known yet"), none.skipped(), "and why, still");
        assertThrows(IllegalStateException.class, none::graph);
    }

    @Test
    void aJobThatReportsNoCommunicationHasItsWholeStepAsTheRest() {
        ClusterSnapshot s = new NetworkCluster(100).job("ring", CommPattern.RING_ALLREDUCE, 1000, RING, 80, 0, 5)
                .snapshot(1, NetworkCluster.AT);
        SnapshotNetwork.MeasuredJob m = SnapshotNetwork.of(s).jobs().getFirst();
        assertEquals(0.080, m.otherSec(), 1e-12);
        assertTrue(Double.isNaN(m.commSec()));
    }

    @Test
    void movingAWorkerReroutesItsTransfers() {
        NetworkCluster cluster = new NetworkCluster(100);
        ClusterSnapshot s = cluster.job("pair", CommPattern.RING_ALLREDUCE, 100_000_000,
                List.of(new NetworkCluster.Place("w0", "a", 0), new NetworkCluster.Place("w1", "b", 0)), 120, 30, 5)
                .snapshot(1, NetworkCluster.AT);
        SnapshotNetwork apart = SnapshotNetwork.of(s);
        SnapshotNetwork together = SnapshotNetwork.withMove(s, new SnapshotNetwork.Move("pair", "w1",
                new Vertex.Gpu("a", 1)));
        assertTrue(apart.links().stream().anyMatch(d -> d.link().equals(cluster.uplink("a"))));
        assertTrue(together.links().stream().noneMatch(d -> d.link().type() == Link.LinkType.NETWORK),
                "both on node a: over NVLink, off the uplinks");
        assertTrue(together.graph().jobAloneSec()[0] < apart.graph().jobAloneSec()[0] / 10,
                "NVLink is 24x the uplink");
        assertThrows(IllegalArgumentException.class, () -> SnapshotNetwork.withMove(s,
                new SnapshotNetwork.Move("pair", "w9", new Vertex.Gpu("a", 2))));
        assertThrows(IllegalArgumentException.class, () -> SnapshotNetwork.withMove(s,
                new SnapshotNetwork.Move("pair", "w1", new Vertex.Gpu("z", 0))));
    }

    @Test
    void aWhatIfScalesOneDirectionOfOneLink() {
        NetworkCluster cluster = new NetworkCluster(100);
        SnapshotNetwork.DirectedLink up = new SnapshotNetwork.DirectedLink(cluster.uplink("a"), true);
        SnapshotNetwork net = SnapshotNetwork.withCapacity(ring(), Set.of(up), 2);
        assertEquals(25e9, net.graph().linkCapacity()[net.links().indexOf(up)], 1);
        SnapshotNetwork.DirectedLink down = new SnapshotNetwork.DirectedLink(cluster.uplink("a"), false);
        assertEquals(12.5e9, net.graph().linkCapacity()[net.links().indexOf(down)], 1);
        assertThrows(IllegalArgumentException.class, () -> SnapshotNetwork.withCapacity(ring(), Set.of(up), 0));
    }

    @Test
    void collectorLinkTypesMapToTheModelsOwn() {
        assertEquals(LinkType.DEVICE, SnapshotNetwork.type(Link.LinkType.NVLINK));
        assertEquals(LinkType.DEVICE, SnapshotNetwork.type(Link.LinkType.PCIE));
        assertEquals(LinkType.NIC, SnapshotNetwork.type(Link.LinkType.NETWORK));
        assertEquals(LinkType.SWITCH, SnapshotNetwork.type(Link.LinkType.FABRIC));
    }

    @Test
    void aJobThatStoppedReportingIsLeftOut() {
        // 25 steps of 120 ms from AT: the newest at AT + 2.9 s; 30 s later it has stopped.
        NetworkCluster cluster = new NetworkCluster(100).job("ring", CommPattern.RING_ALLREDUCE, 100_000_000, RING,
                120, 30, 25);
        assertTrue(SnapshotNetwork.of(cluster.snapshot(1, NetworkCluster.AT.plusSeconds(30))).skipped().isEmpty());
        Map<String, String> stopped = Map.of("ring", "not heard of since " + NetworkCluster.AT.plusSeconds(2)
                + ": it has stopped");
        assertEquals(stopped, SnapshotNetwork.of(cluster.snapshot(2, NetworkCluster.AT.plusSeconds(33))).skipped());
        // The same words later, so that the live view logs them once.
        assertEquals(stopped, SnapshotNetwork.of(cluster.snapshot(3, NetworkCluster.AT.plusSeconds(90))).skipped());
    }

    @Test
    void aHierarchicalAllReduceWorksInsideTheNodesThenAcross() {
        ClusterSnapshot s = new NetworkCluster(100).job("h", CommPattern.HIERARCHICAL_ALLREDUCE, 100_000_000, RING,
                120, 30, 5).snapshot(1, NetworkCluster.AT);
        FlowGraph g = SnapshotNetwork.of(s).graph();
        assertEquals(2, g.flows(), "inside the nodes, then across");
        assertEquals(100e6, g.flowBytes()[0], 1, "reduce-scatter and all-gather among 2: 2(g-1)/g of 100 MB");
        assertEquals(50e6, g.flowBytes()[1], 1, "each local rank's half, once around a ring of 2 nodes");
        FlowGraph flat = SnapshotNetwork.of(ring()).graph();
        assertTrue(g.jobAloneSec()[0] < flat.jobAloneSec()[0],
                "the uplinks carry half of what a flat ring sends over them");
    }
}
