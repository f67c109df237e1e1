package dev.coxswain.controller.policy;

import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A change a policy proposes for a job, before the planner's checks and before it becomes an action.
 *
 * @param suspect  the worker whose slowness triggered it, if any: an action against a worker that was not slow is
 *                 a wrong action (the controller benchmark counts them)
 */
public record Proposal(String policy, Rung rung, List<KnobSetting> settings, String reason,
                       Map<String, Double> evidence, ExpectedEffect expected, Optional<String> suspect) {
    public Proposal {
        settings = List.copyOf(settings);
        evidence = Map.copyOf(evidence);
        if (settings.isEmpty()) {
            throw new IllegalArgumentException("a proposal changes at least one knob");
        }
    }
}
