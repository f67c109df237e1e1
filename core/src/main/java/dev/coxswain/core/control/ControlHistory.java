package dev.coxswain.core.control;

import java.util.List;

/**
 * What the audit log holds for one job: read by a controller that takes a job over (its collector was assigned the
 * job's partition), so that it follows the actions in flight instead of losing them, does not repeat them, and knows
 * the state the job started from. Implementations may block for a few seconds; they never throw for a job with no
 * history (an empty list).
 */
public interface ControlHistory {

    /** The job's actions and outcomes, oldest first. */
    List<ControlRecord> recent(String job);

    /** No history: every job starts untouched. */
    static ControlHistory none() {
        return job -> List.of();
    }
}
