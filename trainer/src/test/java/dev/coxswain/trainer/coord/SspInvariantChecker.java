package dev.coxswain.trainer.coord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks, from the coordinator's own callbacks and its own bookkeeping, that no worker is ever let into a clock more
 * than the policy's bound ahead of the slowest worker. Records violations instead of throwing (the callbacks run on
 * the coordinator's event loop), and the largest lead seen, so a test can also tell that the bound was reached.
 */
public final class SspInvariantChecker implements CoordinatorListener {
    private final Map<String, Long> completed = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> workers;
    private long maxLead = Long.MIN_VALUE;
    private long grants;

    public SspInvariantChecker(List<String> workers) {
        this.workers = List.copyOf(workers);
        workers.forEach(w -> completed.put(w, 0L));
    }

    @Override
    public synchronized void onCompletion(String worker, Completion c) {
        completed.merge(worker, 1L, Long::sum);
    }

    @Override
    public synchronized void onGrant(String worker, Grant grant, long slowestClock, SyncPolicy policy) {
        long slowest = workers.stream().mapToLong(completed::get).min().orElseThrow();
        long lead = grant.clock() - slowest;
        grants++;
        maxLead = Math.max(maxLead, lead);
        if (lead > policy.bound()) {
            violations.add(worker + " let into clock " + grant.clock() + " while the slowest was at " + slowest
                    + " under " + policy);
        }
        if (slowest != slowestClock) {
            violations.add("coordinator thought the slowest clock was " + slowestClock + ", it was " + slowest);
        }
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public synchronized long maxLead() {
        return maxLead;
    }

    public synchronized long grants() {
        return grants;
    }
}
