package dev.coxswain.agent.sample.gpu;

import dev.coxswain.core.telemetry.TopologyReport.GpuLink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code nvidia-smi topo -m} says about a node: the GPUs, the links between every pair of them, and which
 * GPUs each NIC is close to, plus each GPU's CPU and NUMA affinity.
 *
 * @param gpus        GPU indices in matrix order
 * @param links       one link per unordered GPU pair, {@code gpuA < gpuB}
 * @param nics        NIC name (resolved through the NIC legend when there is one, e.g. {@code mlx5_0}) to its
 *                    connection code to each GPU index ({@code PIX}, {@code SYS}, ...)
 * @param affinities  GPU index to its affinity columns by header ({@code CPU Affinity} to {@code 0-19}); values
 *                    nvidia-smi marks N/A are absent
 */
public record TopoMatrix(List<Integer> gpus, List<GpuLink> links, Map<String, Map<Integer, String>> nics,
                         Map<Integer, Map<String, String>> affinities) {

    public TopoMatrix {
        gpus = List.copyOf(gpus);
        links = List.copyOf(links);
        nics = Collections.unmodifiableMap(new LinkedHashMap<>(nics));
        affinities = Collections.unmodifiableMap(new LinkedHashMap<>(affinities));
    }

    /** GPUs that reach the NIC through PCIe switches only (PIX or PXB): the GPUs whose traffic it should carry. */
    public List<Integer> closestGpus(String nic) {
        return nics.getOrDefault(nic, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().equals("PIX") || e.getValue().equals("PXB"))
                .map(Map.Entry::getKey).sorted().toList();
    }

    public Optional<String> cpuAffinity(int gpu) {
        return Optional.ofNullable(affinities.getOrDefault(gpu, Map.of()).get("CPU Affinity"));
    }

    public Optional<String> numaAffinity(int gpu) {
        return Optional.ofNullable(affinities.getOrDefault(gpu, Map.of()).get("NUMA Affinity"));
    }
}
