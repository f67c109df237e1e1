package dev.coxswain.whatif.spec;

import dev.coxswain.core.BadInputException;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a cluster YAML file (format in docs/whatif.md). Units in the file are the ones vendors quote: GB/s for
 * intra-node links, Gbit/s for NICs, microseconds for latency, TFLOPS for GPUs. Every error names file, line and key.
 */
public final class ClusterFile {
    private static final double GB = 1e9;
    private static final double GBIT = 1e9 / 8;
    private static final double US = 1e-6;

    private ClusterFile() {
    }

    public static ClusterSpec read(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r);
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        }
    }

    public static ClusterSpec parse(String name, String yaml) {
        return parse(name, new StringReader(yaml));
    }

    public static ClusterSpec parse(String file, Reader in) {
        YamlNode root = YamlNode.parse(file, in);
        root.checkKeys(Set.of("name", "nodeGroups", "switchTiers"));
        List<NodeGroup> groups = new ArrayList<>();
        for (YamlNode g : root.get("nodeGroups").asList()) {
            groups.add(group(g));
        }
        if (groups.isEmpty()) {
            throw root.get("nodeGroups").bad("a cluster needs at least one node group");
        }
        List<SwitchTier> tiers = new ArrayList<>();
        if (root.has("switchTiers")) {
            for (YamlNode t : root.get("switchTiers").asList()) {
                t.checkKeys(Set.of("name", "fanout", "oversubscription", "latencyUs"));
                tiers.add(new SwitchTier(t.get("name").asText(), t.get("fanout").asInt(2, 1_000_000),
                        t.getDouble("oversubscription", 1, 1000, 1), t.getDouble("latencyUs", 0, 1e6, 1) * US));
            }
        }
        return new ClusterSpec(root.get("name").asText(), groups, tiers);
    }

    private static NodeGroup group(YamlNode g) {
        g.checkKeys(Set.of("name", "count", "gpu", "gpusPerNode", "fabric", "nics"));
        YamlNode gpu = g.get("gpu").checkKeys(Set.of("type", "tflops", "memoryGiB"));
        GpuType type = new GpuType(gpu.get("type").asText(), gpu.get("tflops").asDouble(1e-3, 1e6),
                gpu.getDouble("memoryGiB", 1e-3, 1e6, 16));
        YamlNode f = g.get("fabric").checkKeys(Set.of("kind", "gpuGBps", "hostGBps", "latencyUs"));
        Fabric fabric = new Fabric(f.get("kind").asEnum(Fabric.Kind.class), f.get("gpuGBps").asDouble(1e-3, 1e6) * GB,
                f.has("hostGBps") ? f.get("hostGBps").asDouble(1e-3, 1e6) * GB : Double.POSITIVE_INFINITY,
                f.getDouble("latencyUs", 0, 1e6, 5) * US);
        YamlNode n = g.get("nics").checkKeys(Set.of("count", "gbps", "perFlowGbps", "pairGbps", "latencyUs"));
        Nics nics = new Nics(n.getInt("count", 1, 64, 1), n.get("gbps").asDouble(1e-3, 1e6) * GBIT,
                n.has("perFlowGbps") ? n.get("perFlowGbps").asDouble(1e-3, 1e6) * GBIT : Double.POSITIVE_INFINITY,
                n.has("pairGbps") ? n.get("pairGbps").asDouble(1e-3, 1e6) * GBIT : Double.POSITIVE_INFINITY,
                n.getDouble("latencyUs", 0, 1e6, 10) * US);
        try {
            return new NodeGroup(g.get("name").asText(), g.get("count").asInt(1, 1_000_000), type,
                    g.get("gpusPerNode").asInt(1, 64), fabric, nics);
        } catch (IllegalArgumentException e) {
            throw g.bad(e.getMessage());
        }
    }
}
