package dev.coxswain.dashboards;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Link.LinkType;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.StepPoint;
import dev.coxswain.snapshot.Vertex;
import org.jgrapht.graph.AsUnmodifiableGraph;
import org.jgrapht.graph.SimpleGraph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A bigger made-up cluster for looking at the page's layout by hand: {@code hosts} nodes of {@code gpus} GPUs with
 * NVLink between neighbours, two NICs each, a leaf switch per four hosts and a spine; random loads and one job per
 * four hosts. Not used by the automated tests.
 */
final class LargeCluster {
    private final int hosts;
    private final int gpus;
    private final Instant start;

    LargeCluster(int hosts, int gpus, Instant start) {
        this.hosts = hosts;
        this.gpus = gpus;
        this.start = start;
    }

    ClusterSnapshot snapshot(long generation, Instant at) {
        SplittableRandom random = new SplittableRandom(generation / 4);
        SimpleGraph<Vertex, Link> graph = new SimpleGraph<>(Link.class);
        Map<Link, Double> load = new HashMap<>();
        Map<Vertex.Gpu, GpuSample> samples = new HashMap<>();
        Map<String, HostSample> hostSamples = new HashMap<>();
        Vertex.Switch spine = new Vertex.Switch("spine-0");
        graph.addVertex(spine);
        for (int h = 0; h < hosts; h++) {
            String node = "node-" + h;
            Vertex.Host host = new Vertex.Host(node);
            graph.addVertex(host);
            Vertex.Switch leaf = new Vertex.Switch("leaf-" + h / 4);
            if (graph.addVertex(leaf)) {
                add(graph, load, new Link(leaf, spine, LinkType.FABRIC, 100e9), random.nextDouble() * 100e9);
            }
            for (int n = 0; n < 2; n++) {
                Vertex.Nic nic = new Vertex.Nic(node, "mlx5_" + n);
                graph.addVertex(nic);
                add(graph, load, new Link(nic, host, LinkType.PCIE, 32e9), random.nextDouble() * 20e9);
                add(graph, load, new Link(nic, leaf, LinkType.NETWORK, 25e9), random.nextDouble() * 25e9);
            }
            for (int g = 0; g < gpus; g++) {
                Vertex.Gpu gpu = new Vertex.Gpu(node, g);
                graph.addVertex(gpu);
                add(graph, load, new Link(gpu, host, LinkType.PCIE, 32e9), random.nextDouble() * 10e9);
                if (g > 0) {
                    add(graph, load, new Link(new Vertex.Gpu(node, g - 1), gpu, LinkType.NVLINK, 300e9),
                            random.nextDouble() * 300e9);
                }
                samples.put(gpu, new GpuSample(node, at, g, "GPU-" + node + "-" + g, "NVIDIA A100-SXM4-80GB",
                        OptionalDouble.of(random.nextDouble() * 100), 40L << 30, 80L << 30, OptionalDouble.of(1410),
                        OptionalDouble.of(1410), OptionalDouble.of(300), OptionalDouble.of(400),
                        OptionalDouble.of(60 + random.nextDouble() * 25), 0, OptionalDouble.empty(),
                        OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()));
            }
            hostSamples.put(node, new HostSample(node, at, random.nextDouble() * 100, 0, 1L << 40, 1L << 39,
                    List.of(), List.of()));
        }
        Map<String, JobView> jobs = new HashMap<>();
        for (int j = 0; j < Math.max(1, hosts / 4); j++) {
            Map<String, List<StepPoint>> workers = new HashMap<>();
            for (int w = 0; w < 8; w++) {
                workers.put("worker-" + w, steps(j * 100 + w, 200 + 100 * j, at));
            }
            jobs.put("job-" + j, new JobView("job-" + j, Optional.empty(), workers, 200 + 100 * j, List.of()));
        }
        return new ClusterSnapshot(generation, at, new AsUnmodifiableGraph<>(graph), load, samples, hostSamples, jobs);
    }

    private static void add(SimpleGraph<Vertex, Link> graph, Map<Link, Double> load, Link link, double bytesPerSec) {
        graph.addEdge(link.a(), link.b(), link);
        load.put(link, bytesPerSec);
    }

    private List<StepPoint> steps(int seed, long periodMs, Instant at) {
        List<StepPoint> out = new ArrayList<>();
        long last = (at.toEpochMilli() - start.toEpochMilli()) / periodMs;
        for (long k = Math.max(0, last - 120_000 / periodMs); k <= last; k++) {
            double ms = periodMs * (0.9 + 0.2 * new SplittableRandom(seed * 1_000_003L + k).nextDouble());
            out.add(new StepPoint(k, start.plusMillis(k * periodMs), ms, ms * 0.7, ms * 0.2, 0, 32));
        }
        return out;
    }
}
