package dev.coxswain.collector.graph;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.Vertex;
import dev.coxswain.testkit.Samples;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterGraphTest {
    private final ClusterGraph graph = new ClusterGraph(LinkCapacities.defaults());

    @Test
    void aBurstOfReportsIsBuiltOnceWhenTheGraphIsNextRead() {
        for (int n = 0; n < 500; n++) {
            assertThat(graph.apply(Samples.node("n" + n, 8, 18, "tor-" + n / 32, 400e9))).isTrue();
        }
        assertThat(graph.generation()).as("one build for the whole burst").isEqualTo(1);
        assertThat(graph.view().vertexSet()).filteredOn(v -> v instanceof Vertex.Host).hasSize(500);
        assertThat(graph.route(new Vertex.Gpu("n0", 0), new Vertex.Gpu("n499", 7))).isPresent();
        assertThat(graph.apply(Samples.node("n0", 8, 18, "tor-0", 400e9))).as("the same hardware").isFalse();
        assertThat(graph.generation()).isEqualTo(1);
        assertThat(graph.remove("n499")).isTrue();
        assertThat(graph.generation()).isEqualTo(2);
        assertThat(graph.route(new Vertex.Gpu("n0", 0), new Vertex.Gpu("n499", 7))).isEmpty();
    }

    @Test
    void buildsHostsGpusNicsAndSwitchesJoinedByASpine() {
        graph.apply(Samples.node("n1", 4, 6, "tor-1", 400e9));
        graph.apply(Samples.node("n2", 4, 6, "tor-2", 400e9));
        var v = graph.view();
        assertThat(v.vertexSet()).contains(new Vertex.Host("n1"), new Vertex.Gpu("n2", 3), new Vertex.Nic("n1", "mlx5_1"),
                new Vertex.Switch("tor-1"), new Vertex.Switch("spine"));
        // per node: 4 GPU-host PCIe, 6 NVLink pairs, 2 NICs x (PCIe + network); plus 2 fabric uplinks
        assertThat(v.edgeSet()).hasSize(2 * (4 + 6 + 4) + 2);
        Link uplink = v.getEdge(new Vertex.Switch("tor-1"), new Vertex.Switch("spine"));
        assertThat(uplink.capacityBytesPerSec()).isEqualTo(2 * 400e9 / 8);
    }

    @Test
    void routesWithinANodeOverNvlinkAndAcrossNodesThroughNicsAndSwitches() {
        graph.apply(Samples.node("n1", 4, 6, "tor-1", 400e9));
        graph.apply(Samples.node("n2", 4, 6, "tor-2", 400e9));
        List<Link> local = graph.route(new Vertex.Gpu("n1", 0), new Vertex.Gpu("n1", 3)).orElseThrow();
        assertThat(local).singleElement().extracting(Link::type).isEqualTo(Link.LinkType.NVLINK);
        List<Link> remote = graph.route(new Vertex.Gpu("n1", 0), new Vertex.Gpu("n2", 1)).orElseThrow();
        assertThat(remote).extracting(Link::type).containsExactly(Link.LinkType.PCIE, Link.LinkType.PCIE,
                Link.LinkType.NETWORK, Link.LinkType.FABRIC, Link.LinkType.FABRIC, Link.LinkType.NETWORK,
                Link.LinkType.PCIE, Link.LinkType.PCIE);
    }

    @Test
    void unknownPlacementsHaveNoRouteAndCpuWorkersSitOnTheirHost() {
        graph.apply(Samples.node("n1", 2, 0, null, 0));
        assertThat(graph.placement("n1", -1)).contains(new Vertex.Host("n1"));
        assertThat(graph.placement("n1", 7)).contains(new Vertex.Host("n1"));
        assertThat(graph.placement("nowhere", 0)).isEmpty();
        assertThat(graph.route(new Vertex.Host("n1"), new Vertex.Host("nowhere"))).isEmpty();
    }

    @Test
    void sameReportTwiceDoesNotBumpTheGeneration() {
        assertThat(graph.apply(Samples.node("n1", 2, 2, null, 0))).isTrue();
        long g = graph.generation();
        assertThat(graph.apply(Samples.node("n1", 2, 2, null, 0))).isFalse();
        assertThat(graph.generation()).isEqualTo(g);
        assertThat(graph.remove("n1")).isTrue();
        assertThat(graph.view().vertexSet()).isEmpty();
    }

    @Test
    void planesRingTreeAndParameterServerTransfers() {
        JobMembership ring = Samples.ringJob("j", 1000, List.of("n1"), 4);
        assertThat(FlowPlanner.plan(ring)).hasSize(4)
                .allSatisfy(t -> assertThat(t.bytesPerStep()).isEqualTo(2.0 * 3 / 4 * 1000));
        JobMembership ps = new JobMembership("j", Samples.T0, JobMembership.CommPattern.PARAMETER_SERVER, 1000,
                List.of(new JobMembership.Member("ps0", "n1", -1, JobMembership.Role.PARAMETER_SERVER),
                        new JobMembership.Member("ps1", "n1", -1, JobMembership.Role.PARAMETER_SERVER),
                        new JobMembership.Member("w0", "n1", 0, JobMembership.Role.WORKER)));
        assertThat(FlowPlanner.plan(ps)).hasSize(4).allSatisfy(t -> assertThat(t.bytesPerStep()).isEqualTo(500));
        JobMembership tree = new JobMembership("j", Samples.T0, JobMembership.CommPattern.TREE_ALLREDUCE, 1000,
                ring.members());
        assertThat(FlowPlanner.plan(tree)).hasSize(6);
    }

    @Test
    void plansAHierarchicalAllReduceInsideAndAcrossNodes() {
        // Two nodes of two workers: a ring of two inside each node, one ring of two per local rank across them.
        JobMembership h = new JobMembership("j", Samples.T0, JobMembership.CommPattern.HIERARCHICAL_ALLREDUCE, 1000,
                List.of(new JobMembership.Member("w0", "n1", 0, JobMembership.Role.WORKER),
                        new JobMembership.Member("w1", "n1", 1, JobMembership.Role.WORKER),
                        new JobMembership.Member("w2", "n2", 0, JobMembership.Role.WORKER),
                        new JobMembership.Member("w3", "n2", 1, JobMembership.Role.WORKER)));
        List<FlowPlanner.Transfer> plan = FlowPlanner.plan(h);
        List<String> inside = plan.stream().filter(t -> t.from().nodeId().equals(t.to().nodeId()))
                .map(t -> t.from().workerId() + ">" + t.to().workerId() + " " + t.bytesPerStep()).toList();
        List<String> across = plan.stream().filter(t -> !t.from().nodeId().equals(t.to().nodeId()))
                .map(t -> t.from().workerId() + ">" + t.to().workerId() + " " + t.bytesPerStep()).toList();
        assertThat(inside).as("reduce-scatter and all-gather: 2(g-1)/g of the gradient")
                .containsExactly("w0>w1 1000.0", "w1>w0 1000.0", "w2>w3 1000.0", "w3>w2 1000.0");
        assertThat(across).as("each local rank's share, 2(k-1)/k of G/g")
                .containsExactly("w0>w2 500.0", "w2>w0 500.0", "w1>w3 500.0", "w3>w1 500.0");
    }
}
