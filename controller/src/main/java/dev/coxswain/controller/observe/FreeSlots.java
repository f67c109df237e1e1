package dev.coxswain.controller.observe;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.Vertex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where workers could be moved, from a snapshot: every GPU of the cluster graph that no member of any job uses and
 * whose latest sample shows it idle (a process Coxswain does not know may hold it), and every spare node that no
 * member of any job runs on. Pure; O(vertices + members).
 */
public final class FreeSlots {
    /** A GPU busier than this (utilisation, or memory used over total) is taken, whoever holds it. */
    static final double IDLE = 0.1;
    private FreeSlots() {
    }

    public static List<Slot> of(ClusterSnapshot snapshot, List<String> spares) {
        Set<String> busyGpus = new HashSet<>();
        Set<String> busyNodes = new HashSet<>();
        for (JobView job : snapshot.jobs().values()) {
            job.membership().ifPresent(m -> {
                for (JobMembership.Member member : m.members()) {
                    busyNodes.add(member.nodeId());
                    if (member.gpuIndex() >= 0) {
                        busyGpus.add(member.nodeId() + "/" + member.gpuIndex());
                    }
                }
            });
        }
        List<Slot> free = new ArrayList<>();
        snapshot.graph().vertexSet().stream()
                .filter(v -> v instanceof Vertex.Gpu).map(v -> (Vertex.Gpu) v)
                .filter(g -> !busyGpus.contains(g.nodeId() + "/" + g.index()))
                .filter(g -> idle(snapshot.gpus().get(g)))
                .sorted(Comparator.comparing(Vertex.Gpu::nodeId).thenComparingInt(Vertex.Gpu::index))
                .forEach(g -> free.add(new Slot(g.nodeId(), OptionalInt.of(g.index()),
                        relativeSpeed(snapshot.gpus().get(g)))));
        for (String node : spares) {
            if (!busyNodes.contains(node)) {
                free.add(new Slot(node, OptionalInt.empty(), 1));
            }
        }
        return free;
    }

    /** Whether the GPU's latest sample shows it unused; a GPU with no sample yet is not offered. */
    static boolean idle(GpuSample sample) {
        return sample != null
                && sample.utilizationPct().orElse(0) < 100 * IDLE
                && sample.memoryUsedBytes() < IDLE * Math.max(1, sample.memoryTotalBytes());
    }

    /**
     * The GPU's speed relative to a healthy one: its SM clock over its maximum while a throttle reason that slows
     * compute is active (an idle GPU lowers its clock without being slow), else 1.
     */
    static double relativeSpeed(GpuSample sample) {
        if (sample == null || sample.smClockMhz().isEmpty() || sample.smClockMaxMhz().isEmpty()
                || !(sample.smClockMaxMhz().getAsDouble() > 0)
                || sample.activeThrottleReasons().stream().noneMatch(GpuSample.ThrottleReason::slowsCompute)) {
            return 1;
        }
        double r = sample.smClockMhz().getAsDouble() / sample.smClockMaxMhz().getAsDouble();
        return Math.min(1, Math.max(0.01, r));
    }
}
