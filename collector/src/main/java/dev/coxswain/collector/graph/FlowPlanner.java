package dev.coxswain.collector.graph;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.JobMembership.Member;
import dev.coxswain.core.telemetry.JobMembership.Role;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The point-to-point transfers a job's communication pattern makes per step, before routing. For G gradient bytes
 * and n workers:
 * <ul>
 *   <li>ring all-reduce: each worker sends 2(n-1)/n x G to the next worker in member order;</li>
 *   <li>tree all-reduce: each worker sends G to its parent (reduce) and the parent G back (broadcast), a binary
 *       tree over member order;</li>
 *   <li>parameter server: each worker pushes G/s to each of s servers and pulls G/s back;</li>
 *   <li>hierarchical all-reduce: inside each node of g workers, each sends 2(g-1)/g x G to the next on its node
 *       (the reduce-scatter and the all-gather); across the k nodes, the workers of one local rank form a ring, each
 *       sending 2(k-1)/k x G/g to the next (workers grouped by node in member order).</li>
 * </ul>
 */
public final class FlowPlanner {

    /** One transfer per step between two members. */
    public record Transfer(Member from, Member to, double bytesPerStep) {
    }

    private FlowPlanner() {
    }

    public static List<Transfer> plan(JobMembership job) {
        List<Member> workers = job.members().stream().filter(m -> m.role() == Role.WORKER).toList();
        List<Member> servers = job.members().stream().filter(m -> m.role() == Role.PARAMETER_SERVER).toList();
        double g = job.gradientBytes();
        List<Transfer> out = new ArrayList<>();
        int n = workers.size();
        switch (job.pattern()) {
            case RING_ALLREDUCE -> {
                for (int i = 0; n > 1 && i < n; i++) {
                    out.add(new Transfer(workers.get(i), workers.get((i + 1) % n), 2.0 * (n - 1) / n * g));
                }
            }
            case TREE_ALLREDUCE -> {
                for (int i = 1; i < n; i++) {
                    Member parent = workers.get((i - 1) / 2);
                    out.add(new Transfer(workers.get(i), parent, g));
                    out.add(new Transfer(parent, workers.get(i), g));
                }
            }
            case HIERARCHICAL_ALLREDUCE -> out.addAll(hierarchical(workers, g));
            case PARAMETER_SERVER -> {
                for (Member w : workers) {
                    for (Member s : servers) {
                        out.add(new Transfer(w, s, g / servers.size()));
                        out.add(new Transfer(s, w, g / servers.size()));
                    }
                }
            }
        }
        return out;
    }

    private static List<Transfer> hierarchical(List<Member> workers, double g) {
        Map<String, List<Member>> byNode = new LinkedHashMap<>();
        workers.forEach(w -> byNode.computeIfAbsent(w.nodeId(), k -> new ArrayList<>()).add(w));
        List<Transfer> out = new ArrayList<>();
        int widest = 0;
        for (List<Member> local : byNode.values()) {
            int n = local.size();
            for (int i = 0; n > 1 && i < n; i++) {
                out.add(new Transfer(local.get(i), local.get((i + 1) % n), 2.0 * (n - 1) / n * g));
            }
            widest = Math.max(widest, n);
        }
        for (int rank = 0; rank < widest; rank++) {
            List<Member> ring = new ArrayList<>();
            int share = 0;
            for (List<Member> local : byNode.values()) {
                if (rank < local.size()) {
                    ring.add(local.get(rank));
                    share = Math.max(share, local.size());
                }
            }
            int k = ring.size();
            for (int i = 0; k > 1 && i < k; i++) {
                out.add(new Transfer(ring.get(i), ring.get((i + 1) % k), 2.0 * (k - 1) / k * g / share));
            }
        }
        return out;
    }
}
