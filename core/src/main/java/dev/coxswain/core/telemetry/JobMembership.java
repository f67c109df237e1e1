package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which processes make up a job, where they run, and how they exchange gradients. Sent when a job starts and
 * whenever a worker moves; the collector routes each job's collective traffic over the physical links from it.
 *
 * @param gradientBytes bytes of gradients each worker sends per step (the model's size in its gradient dtype);
 *                      0 when unknown, in which case flows are laid out without volume
 */
public record JobMembership(
        String jobId,
        Instant timestamp,
        CommPattern pattern,
        long gradientBytes,
        List<Member> members) implements Telemetry {

    public JobMembership {
        Check.id("JobMembership.jobId", jobId);
        timestamp = Check.time("JobMembership.timestamp", timestamp);
        Check.present("JobMembership.pattern", pattern);
        Check.range("JobMembership.gradientBytes", gradientBytes, 0, 1L << 42);
        members = Check.list("JobMembership.members", members, 100_000);
        Check.that(!members.isEmpty(), "JobMembership.members", "a job with no members");
        Set<String> seen = new HashSet<>();
        boolean server = false;
        for (Member m : members) {
            if (!seen.add(m.workerId())) {
                throw new InvalidTelemetryException("JobMembership.members", "worker " + m.workerId() + " listed twice");
            }
            server |= m.role() == Role.PARAMETER_SERVER;
        }
        if (server != (pattern == CommPattern.PARAMETER_SERVER)) {
            throw new InvalidTelemetryException("JobMembership.members", server
                    ? "a server member in a " + pattern + " job" : "a parameter-server job with no server");
        }
    }

    @Override
    public Scope scope() {
        return Scope.JOB;
    }

    @Override
    public String key() {
        return jobId;
    }

    /**
     * One process of a job.
     *
     * @param gpuIndex the GPU it uses on its node, or -1 for a CPU-only process
     */
    public record Member(String workerId, String nodeId, int gpuIndex, Role role) {
        public Member {
            Check.id("JobMembership.members.workerId", workerId);
            Check.id("JobMembership.members.nodeId", nodeId);
            Check.range("JobMembership.members.gpuIndex", gpuIndex, -1, 1023);
            Check.present("JobMembership.members.role", role);
        }
    }

    public enum Role {
        WORKER, PARAMETER_SERVER
    }

    /** How a job's workers exchange gradients each step. */
    public enum CommPattern {
        /** Ring all-reduce: each worker sends to the next, 2(n-1)/n of the gradient per worker. */
        RING_ALLREDUCE,
        /** Binary-tree reduce then broadcast. */
        TREE_ALLREDUCE,
        /** Workers push gradients to and pull parameters from parameter servers. */
        PARAMETER_SERVER,
        /**
         * Hierarchical all-reduce (NCCL's and Horovod's two-level form): a reduce-scatter among each node's workers,
         * one ring per local rank across the nodes (each moving its share of the gradient), an all-gather.
         */
        HIERARCHICAL_ALLREDUCE
    }
}
