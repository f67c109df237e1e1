package dev.coxswain.core.control;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a controller has proposed and done, for the dashboard and the REST API: the recent actions, newest first,
 * each with its outcomes in order, and the mode of every job. Immutable.
 *
 * @param mode     the global mode
 * @param jobModes jobs given their own mode
 * @param entries  recent actions, newest first, at most as many as the controller keeps
 */
public record ActionBoard(long generation, Instant at, ControlMode mode, Map<String, ControlMode> jobModes,
                          List<Entry> entries) {

    public ActionBoard {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(mode, "mode");
        jobModes = Map.copyOf(jobModes);
        entries = List.copyOf(entries);
    }

    /** One action and what became of it so far. */
    public record Entry(Action action, List<ActionOutcome> outcomes) {
        public Entry {
            Objects.requireNonNull(action, "action");
            outcomes = List.copyOf(outcomes);
        }

        /** The latest outcome, empty while the action was only sent. */
        public Optional<ActionOutcome> latest() {
            return outcomes.isEmpty() ? Optional.empty() : Optional.of(outcomes.getLast());
        }
    }

    /** The board of a process that runs no controller. */
    public static ActionBoard off() {
        return new ActionBoard(0, Instant.EPOCH, ControlMode.OFF, Map.of(), List.of());
    }

    /** The mode in force for {@code job}. */
    public ControlMode modeOf(String job) {
        return jobModes.getOrDefault(job, mode);
    }

    public Optional<Entry> find(String actionId) {
        return entries.stream().filter(e -> e.action().id().equals(actionId)).findFirst();
    }
}
