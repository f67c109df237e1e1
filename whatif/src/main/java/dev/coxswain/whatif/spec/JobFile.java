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
 * Reads a jobs YAML file (format in docs/whatif.md) against a cluster, so that placements can be checked: a node or
 * GPU that does not exist, or two jobs on one GPU, is an error naming file, line and key.
 */
public final class JobFile {

    /** The jobs and the simulation seed the file asks for. */
    public record Jobs(long seed, List<JobSpec> jobs) {
        public Jobs {
            jobs = List.copyOf(jobs);
        }
    }

    private JobFile() {
    }

    public static Jobs read(Path file, ClusterSpec cluster) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file.toString(), r, cluster);
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        }
    }

    public static Jobs parse(String name, String yaml, ClusterSpec cluster) {
        return parse(name, new StringReader(yaml), cluster);
    }

    public static Jobs parse(String file, Reader in, ClusterSpec cluster) {
        YamlNode root = YamlNode.parse(file, in).checkKeys(Set.of("seed", "jobs"));
        long seed = root.has("seed") ? root.get("seed").asInt(0, Integer.MAX_VALUE) : 1;
        List<JobSpec> jobs = new ArrayList<>();
        boolean[] taken = new boolean[gpuCount(cluster)];
        for (YamlNode j : root.get("jobs").asList()) {
            JobSpec job = job(j, cluster);
            for (int gpu : job.workerGpus()) {
                if (taken[gpu]) {
                    throw j.bad("GPU " + gpu + " is already used by another job");
                }
                taken[gpu] = true;
            }
            jobs.add(job);
        }
        if (jobs.isEmpty()) {
            throw root.get("jobs").bad("no jobs");
        }
        return new Jobs(seed, jobs);
    }

    private static int gpuCount(ClusterSpec c) {
        return c.gpuCount();
    }

    /** One job entry of a jobs file (also the {@code job} of a scenario file). */
    public static JobSpec job(YamlNode j, ClusterSpec cluster) {
        j.checkKeys(Set.of("name", "steps", "startSec", "model", "sync", "placement", "firstNode", "workers",
                "localBatch", "localBatches", "accumulationSteps", "stragglers"));
        ModelProfile model = model(j.get("model"));
        SyncSpec sync = sync(j.get("sync"), cluster);
        List<Integer> gpus = workers(j, cluster);
        List<Integer> batches = new ArrayList<>();
        if (j.has("localBatches")) {
            for (YamlNode b : j.get("localBatches").asList()) {
                batches.add(b.asInt(1, 1 << 24));
            }
            if (batches.size() != gpus.size()) {
                throw j.get("localBatches").bad(batches.size() + " batch sizes for " + gpus.size() + " workers");
            }
        } else {
            int b = j.get("localBatch").asInt(1, 1 << 24);
            gpus.forEach(g -> batches.add(b));
        }
        List<JobSpec.Straggler> stragglers = new ArrayList<>();
        if (j.has("stragglers")) {
            for (YamlNode s : j.get("stragglers").asList()) {
                s.checkKeys(Set.of("worker", "slowdown", "fromStep", "toStep"));
                int w = s.get("worker").asInt(0, gpus.size() - 1);
                stragglers.add(new JobSpec.Straggler(w, s.get("slowdown").asDouble(1e-3, 1e3),
                        s.getInt("fromStep", 0, Integer.MAX_VALUE, 0),
                        s.getInt("toStep", 0, Integer.MAX_VALUE, Integer.MAX_VALUE)));
            }
        }
        try {
            return new JobSpec(j.get("name").asText(), model, sync, gpus, batches,
                    j.getInt("accumulationSteps", 1, 1 << 20, 1), j.get("steps").asInt(1, Integer.MAX_VALUE),
                    stragglers, j.getDouble("startSec", 0, 1e7, 0));
        } catch (IllegalArgumentException e) {
            throw j.bad(e.getMessage());
        }
    }

    static ModelProfile model(YamlNode m) {
        m.checkKeys(Set.of("name", "gradientBytes", "bucketBytes", "forwardFraction", "computeJitterCv", "compute"));
        List<ModelProfile.ComputeCost> costs = new ArrayList<>();
        for (YamlNode c : m.get("compute").asList()) {
            c.checkKeys(Set.of("gpu", "tflops", "alphaMs", "betaMsPerSample"));
            try {
                costs.add(new ModelProfile.ComputeCost(c.get("gpu").asText(), c.get("alphaMs").asDouble(0, 1e9) / 1e3,
                        c.get("betaMsPerSample").asDouble(0, 1e9) / 1e3, c.getDouble("tflops", 1e-3, 1e6, 100)));
            } catch (IllegalArgumentException e) {
                throw c.bad(e.getMessage());
            }
        }
        long grad = (long) m.get("gradientBytes").asDouble(1, 1e13);
        long bucket = m.has("bucketBytes") ? (long) m.get("bucketBytes").asDouble(1, 1e13) : 25L << 20;
        return new ModelProfile(m.getText("name", "model"), costs, grad, bucket,
                m.getDouble("forwardFraction", 0, 1, 1.0 / 3), m.getDouble("computeJitterCv", 0, 0.99, 0.02));
    }

    static SyncSpec sync(YamlNode s, ClusterSpec cluster) {
        s.checkKeys(Set.of("kind", "algorithm", "consistency", "staleness", "servers"));
        String kind = s.get("kind").asText();
        return switch (kind) {
            case "allreduce" -> new SyncSpec.AllReduce(s.has("algorithm")
                    ? s.get("algorithm").asEnum(SyncSpec.Algorithm.class) : SyncSpec.Algorithm.RING);
            case "ps" -> {
                List<Integer> servers = new ArrayList<>();
                for (YamlNode n : s.get("servers").asList()) {
                    servers.add(n.asInt(0, cluster.nodeCount() - 1));
                }
                SyncSpec.Consistency c = s.has("consistency")
                        ? s.get("consistency").asEnum(SyncSpec.Consistency.class) : SyncSpec.Consistency.BSP;
                yield new SyncSpec.ParameterServer(c, s.getInt("staleness", 0, 1_000_000, 0), servers);
            }
            default -> throw s.get("kind").bad("'" + kind + "' is not allreduce or ps");
        };
    }

    static List<Integer> workers(YamlNode j, ClusterSpec cluster) {
        List<Integer> gpus = new ArrayList<>();
        int[] first = new int[cluster.nodeCount() + 1];
        for (int n = 0; n < cluster.nodeCount(); n++) {
            first[n + 1] = first[n] + cluster.groupOf(n).gpusPerNode();
        }
        if (j.has("workers")) {
            for (YamlNode w : j.get("workers").asList()) {
                String[] nodeGpu = w.asText().split(":");
                if (nodeGpu.length != 2) {
                    throw w.bad("'" + w.asText() + "' is not node:gpu");
                }
                int node = parse(w, nodeGpu[0], cluster.nodeCount() - 1, "node");
                int gpu = parse(w, nodeGpu[1], cluster.groupOf(node).gpusPerNode() - 1, "GPU");
                gpus.add(first[node] + gpu);
            }
            return gpus;
        }
        YamlNode p = j.get("placement");
        String digits = p.asText().trim();
        int node = j.getInt("firstNode", 0, cluster.nodeCount() - 1, 0);
        for (char c : digits.toCharArray()) {
            if (c < '1' || c > '9') {
                throw p.bad("'" + digits + "' is not a placement (one digit 1-9 per node)");
            }
            if (node >= cluster.nodeCount()) {
                throw p.bad("placement '" + digits + "' runs past the cluster's " + cluster.nodeCount() + " nodes");
            }
            int g = c - '0';
            if (g > cluster.groupOf(node).gpusPerNode()) {
                throw p.bad(g + " GPUs on node " + node + ", which has " + cluster.groupOf(node).gpusPerNode());
            }
            for (int k = 0; k < g; k++) {
                gpus.add(first[node] + k);
            }
            node++;
        }
        return gpus;
    }

    private static int parse(YamlNode w, String text, int max, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v < 0 || v > max) {
                throw w.bad(what + " " + v + " does not exist (0.." + max + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw w.bad("'" + text + "' is not a " + what + " number");
        }
    }
}
