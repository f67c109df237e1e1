package dev.coxswain.dashboards.view;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.Link;
import dev.coxswain.snapshot.Vertex;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The cluster graph of a snapshot as JSON: vertices with their kind and the attributes of their latest samples,
 * links with capacity, load, utilisation and {@link LoadLevel}. Vertices and links come in a stable order (kind,
 * then node in natural order), so that two renderings of one snapshot are equal. Pure: safe on any thread.
 */
public final class GraphJson {

    private static final Comparator<Vertex> VERTEX_ORDER = Comparator
            .comparingInt(GraphJson::kindRank)
            .thenComparing(v -> v.nodeId() == null ? "" : v.nodeId(), NaturalOrder.INSTANCE)
            .thenComparing(Vertex::id, NaturalOrder.INSTANCE);

    private GraphJson() {
    }

    /** {@code {vertices: [...], links: [...]}} of the snapshot. */
    public static JsonObject of(ClusterSnapshot snapshot) {
        return new JsonObject().put("vertices", vertices(snapshot)).put("links", links(snapshot));
    }

    static JsonArray vertices(ClusterSnapshot snapshot) {
        JsonArray out = new JsonArray();
        snapshot.graph().vertexSet().stream().sorted(VERTEX_ORDER).forEach(v -> out.add(vertex(snapshot, v)));
        return out;
    }

    static JsonArray links(ClusterSnapshot snapshot) {
        JsonArray out = new JsonArray();
        snapshot.graph().edgeSet().stream()
                .sorted(Comparator.comparing(Link::id, NaturalOrder.INSTANCE))
                .forEach(l -> out.add(link(snapshot, l)));
        return out;
    }

    static JsonObject link(ClusterSnapshot snapshot, Link link) {
        double utilization = snapshot.utilization(link);
        return new JsonObject()
                .put("id", link.id())
                .put("a", link.a().id())
                .put("b", link.b().id())
                .put("type", link.type().name())
                .put("capacityBytesPerSec", finite(link.capacityBytesPerSec()))
                .put("loadBytesPerSec", finite(snapshot.linkLoad().getOrDefault(link, 0.0)))
                .put("utilization", finite(utilization))
                .put("level", LoadLevel.of(utilization).label());
    }

    static JsonObject vertex(ClusterSnapshot snapshot, Vertex vertex) {
        JsonObject out = new JsonObject().put("id", vertex.id()).put("nodeId", vertex.nodeId());
        return switch (vertex) {
            case Vertex.Host h -> out.put("kind", "host")
                    .put("attributes", hostAttributes(snapshot.hosts().get(h.nodeId())));
            case Vertex.Gpu g -> out.put("kind", "gpu").put("index", g.index())
                    .put("attributes", gpuAttributes(snapshot.gpus().get(g)));
            case Vertex.Nic n -> out.put("kind", "nic").put("name", n.name())
                    .put("attributes", nicAttributes(snapshot.hosts().get(n.nodeId()), n.name()));
            case Vertex.Switch s -> out.put("kind", "switch").put("switchId", s.switchId())
                    .put("tier", isLeaf(snapshot, s) ? "leaf" : "spine");
        };
    }

    /** A switch that a NIC's cable reaches is a leaf (top of rack); one joined only to switches is the spine. */
    private static boolean isLeaf(ClusterSnapshot snapshot, Vertex.Switch s) {
        return snapshot.graph().edgesOf(s).stream()
                .anyMatch(l -> l.a() instanceof Vertex.Nic || l.b() instanceof Vertex.Nic);
    }

    private static JsonObject hostAttributes(HostSample sample) {
        if (sample == null) {
            return null;
        }
        return new JsonObject()
                .put("cpuUtilPct", sample.cpuUtilPct())
                .put("ioWaitPct", sample.ioWaitPct())
                .put("memoryUsedBytes", sample.memoryTotalBytes() - sample.memoryAvailableBytes())
                .put("memoryTotalBytes", sample.memoryTotalBytes())
                .put("sampledAt", sample.timestamp().toString());
    }

    private static JsonObject gpuAttributes(GpuSample sample) {
        if (sample == null) {
            return null;
        }
        JsonArray reasons = new JsonArray();
        boolean slowed = false;
        for (GpuSample.ThrottleReason r : sample.activeThrottleReasons()) {
            reasons.add(r.name());
            slowed |= r.slowsCompute();
        }
        return new JsonObject()
                .put("name", sample.name())
                .put("uuid", sample.uuid())
                .put("utilizationPct", optional(sample.utilizationPct()))
                .put("smClockMhz", optional(sample.smClockMhz()))
                .put("smClockMaxMhz", optional(sample.smClockMaxMhz()))
                .put("temperatureC", optional(sample.temperatureC()))
                .put("powerW", optional(sample.powerW()))
                .put("powerLimitW", optional(sample.powerLimitW()))
                .put("memoryUsedBytes", sample.memoryUsedBytes())
                .put("memoryTotalBytes", sample.memoryTotalBytes())
                .put("throttleReasons", reasons)
                .put("throttled", slowed)
                .put("sampledAt", sample.timestamp().toString());
    }

    private static JsonObject nicAttributes(HostSample sample, String name) {
        if (sample == null) {
            return null;
        }
        for (HostSample.NicSample nic : sample.nics()) {
            if (nic.name().equals(name)) {
                return new JsonObject().put("rxBytesPerSec", nic.rxBytesPerSec()).put("txBytesPerSec", nic.txBytesPerSec())
                        .put("errors", nic.rxErrors() + nic.txErrors()).put("dropped", nic.rxDropped() + nic.txDropped());
            }
        }
        List<HostSample.IbPortSample> ports = sample.ibPorts().stream().filter(p -> p.device().equals(name)).toList();
        if (ports.isEmpty()) {
            return null;
        }
        return new JsonObject()
                .put("rxBytesPerSec", ports.stream().mapToDouble(HostSample.IbPortSample::rxBytesPerSec).sum())
                .put("txBytesPerSec", ports.stream().mapToDouble(HostSample.IbPortSample::txBytesPerSec).sum())
                .put("errors", ports.stream().mapToLong(p -> p.symbolErrors() + p.rcvErrors()).sum())
                .put("dropped", ports.stream().mapToLong(HostSample.IbPortSample::xmitDiscards).sum());
    }

    private static int kindRank(Vertex v) {
        return switch (v) {
            case Vertex.Switch s -> 0;
            case Vertex.Host h -> 1;
            case Vertex.Nic n -> 2;
            case Vertex.Gpu g -> 3;
        };
    }

    private static Double optional(OptionalDouble value) {
        return value.isPresent() ? finite(value.getAsDouble()) : null;
    }

    /** JSON has no NaN or infinity: those become null. */
    public static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
