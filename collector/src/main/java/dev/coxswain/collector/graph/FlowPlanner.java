package dev.coxswain.collector.graph;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.JobMembership.Member;
import dev.coxswain.core.telemetry.JobMembership.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The point-to-point transfers a job's communication pattern makes per step, before routing. For G gradient bytes
 * and n workers:
 * <ul>
 *   <li>ring all-reduce: each worker sends 2(n-1)/n x G to the next worker in member order;</li>
 *   <li>tree all-reduce: each worker sends G to its parent (reduce) and the parent G back (broadcast), a binary
 *       tree over member order;</li>
 *   <li>parameter server: each worker pushes G/s to each of s servers and pulls G/s back.</li>
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
}
