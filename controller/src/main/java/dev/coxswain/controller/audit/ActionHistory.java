package dev.coxswain.controller.audit;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.ControlRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The controller's recent audit log in memory, newest action first, as the dashboard shows it: the last
 * {@code capacity} actions, each with its outcomes. A record added twice (a job read back from the audit log after
 * its partition came back) is kept once. The actions topic holds the full log. Not thread-safe: the
 * controller's thread owns it and publishes immutable {@link ActionBoard}s.
 */
public final class ActionHistory {
    private final int capacity;
    private final LinkedHashMap<String, Action> actions = new LinkedHashMap<>();
    private final Map<String, List<ActionOutcome>> outcomes = new LinkedHashMap<>();

    public ActionHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(ControlRecord record) {
        switch (record) {
            case Action a -> {
                actions.put(a.id(), a);
                if (actions.size() > capacity) {
                    String oldest = actions.keySet().iterator().next();
                    actions.remove(oldest);
                    outcomes.remove(oldest);
                }
            }
            case ActionOutcome o -> {
                if (actions.containsKey(o.actionId())) {
                    List<ActionOutcome> list = outcomes.computeIfAbsent(o.actionId(), k -> new ArrayList<>());
                    if (!list.contains(o)) {
                        list.add(o);
                    }
                }
            }
        }
    }

    public Optional<Action> action(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** The latest outcome of an action, empty while it has none. */
    public Optional<ActionOutcome> latest(String id) {
        List<ActionOutcome> list = outcomes.get(id);
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.getLast());
    }

    /** Whether some action takes {@code id} back. */
    public boolean reverted(String id) {
        return actions.values().stream().anyMatch(a -> a.revertOf().filter(id::equals).isPresent());
    }

    public ActionBoard board(long generation, Instant at, ControlMode mode, Map<String, ControlMode> jobModes) {
        List<ActionBoard.Entry> entries = new ArrayList<>();
        for (Action a : actions.sequencedValues().reversed()) {
            entries.add(new ActionBoard.Entry(a, outcomes.getOrDefault(a.id(), List.of())));
        }
        return new ActionBoard(generation, at, mode, jobModes, entries);
    }
}
