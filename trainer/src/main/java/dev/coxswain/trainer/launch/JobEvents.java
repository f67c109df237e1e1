package dev.coxswain.trainer.launch;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.sdk.AgentClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job's record for Coxswain, through the job SDK: membership whenever a worker moves, and events (fault
 * injections as ground truth, knob changes as applied, crashes, restarts, moves, the target reached). Never blocks.
 */
final class JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);

    private final AgentClient agent;
    private final String jobId;
    private final Clock clock;
    private final int shards;
    private final long gradientBytes;
    private final Map<String, String> nodes = new ConcurrentHashMap<>();
    private final String serverNode;

    JobEvents(AgentClient agent, TrainerSpec spec, Clock clock) {
        this.agent = agent;
        this.jobId = spec.jobId();
        this.clock = clock;
        this.shards = spec.shards();
        this.gradientBytes = 4L * spec.shape().parameterCount();
        this.serverNode = spec.nodes().getFirst();
        for (int i = 0; i < spec.workers(); i++) {
            nodes.put(spec.workerIds().get(i), spec.nodeOf(i));
        }
    }

    void event(String worker, String kind, Map<String, String> attributes) {
        LOG.info("event {} {} {}", kind, worker == null ? "(job)" : worker, attributes);
        agent.event(new JobEvent(jobId, Optional.ofNullable(worker), clock.instant(), kind, attributes));
    }

    /** Records where the worker is and sends the membership if that changed it (or {@code force}). */
    synchronized void placed(String worker, String node, boolean force) {
        String before = nodes.put(worker, node);
        if (force || !node.equals(before)) {
            List<JobMembership.Member> members = new ArrayList<>();
            for (int s = 0; s < shards; s++) {
                members.add(new JobMembership.Member("ps" + s, serverNode, -1, JobMembership.Role.PARAMETER_SERVER));
            }
            nodes.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> members.add(
                    new JobMembership.Member(e.getKey(), e.getValue(), -1, JobMembership.Role.WORKER)));
            agent.membership(new JobMembership(jobId, clock.instant(), JobMembership.CommPattern.PARAMETER_SERVER,
                    gradientBytes, members));
        }
    }

    String nodeOf(String worker) {
        return nodes.get(worker);
    }
}
