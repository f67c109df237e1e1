package dev.coxswain.core.control;

import dev.coxswain.core.telemetry.Check;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A change the controller (or a person through the REST API) proposes or makes to a running job: which knobs, why,
 * what it should achieve, who asked. Immutable and validated: every field is checked here, so an {@code Action}
 * that exists is one an agent may apply.
 *
 * @param id        unique; agents apply an action id once, so a redelivered action is harmless
 * @param settings  the knob values, applied together as one change (at least one)
 * @param policy    the policy that proposed it ({@code rebalance}, {@code staleness}, {@code rollback},
 *                  {@code manual}...)
 * @param reason    the evidence in words, for people
 * @param evidence  the measurements behind it, by name (e.g. {@code w3.samples_per_s})
 * @param issuer    who issued it (a controller's id, or the user behind a token)
 * @param dryRun    advised only: published and shown, never applied
 * @param deadline  when it must have been applied by, else it counts as not applied
 * @param revertOf  the action this one takes back, for rollbacks
 * @param trigger   the worker whose slowness triggered it, if one did
 * @param previous  the values it replaces, as far as they were known: what a rollback restores, by any controller or
 *                  person, from the audit log alone
 */
public record Action(String id, String job, List<KnobSetting> settings, String policy, String reason,
                     Map<String, Double> evidence, ExpectedEffect expected, String issuer, boolean dryRun,
                     Instant issuedAt, Instant deadline, Optional<String> revertOf,
                     Optional<String> trigger, List<KnobSetting> previous) implements ControlRecord {

    /** The most settings one action may carry. */
    public static final int MAX_SETTINGS = 1024;
    private static final int MAX_REASON = 1000;

    public Action {
        id("Action.id", id);
        id("Action.job", job);
        id("Action.policy", policy);
        id("Action.issuer", issuer);
        Objects.requireNonNull(settings, "Action.settings");
        if (settings.isEmpty() || settings.size() > MAX_SETTINGS) {
            throw new InvalidActionException("Action.settings", settings.size() + " settings; 1 to "
                    + MAX_SETTINGS + " allowed");
        }
        settings = List.copyOf(settings);
        if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
            throw new InvalidActionException("Action.reason", "must be 1 to " + MAX_REASON + " characters");
        }
        if (Check.controlCharacterAt(reason) >= 0) {
            throw new InvalidActionException("Action.reason",
                    Check.controlCharacterProblem(reason, Check.controlCharacterAt(reason)));
        }
        Objects.requireNonNull(evidence, "Action.evidence");
        TreeMap<String, Double> sorted = new TreeMap<>();
        evidence.forEach((k, v) -> {
            id("Action.evidence", k);
            if (v == null || !Double.isFinite(v)) {
                throw new InvalidActionException("Action.evidence." + k, v + " is not a finite number");
            }
            sorted.put(k, v);
        });
        evidence = Collections.unmodifiableSortedMap(sorted);
        Objects.requireNonNull(expected, "Action.expected");
        Objects.requireNonNull(issuedAt, "Action.issuedAt");
        Objects.requireNonNull(deadline, "Action.deadline");
        if (!deadline.isAfter(issuedAt)) {
            throw new InvalidActionException("Action.deadline", deadline + " is not after issuedAt " + issuedAt);
        }
        Objects.requireNonNull(revertOf, "Action.revertOf");
        revertOf.ifPresent(r -> id("Action.revertOf", r));
        Objects.requireNonNull(trigger, "Action.trigger");
        trigger.ifPresent(w -> id("Action.trigger", w));
        Objects.requireNonNull(previous, "Action.previous");
        if (previous.size() > MAX_SETTINGS) {
            throw new InvalidActionException("Action.previous", previous.size() + " settings; at most "
                    + MAX_SETTINGS);
        }
        previous = List.copyOf(previous);
    }

    @Override
    public String actionId() {
        return id;
    }

    private static void id(String field, String value) {
        if (value == null || !Check.isIdentifier(value)) {
            throw new InvalidActionException(field, "'" + value + "' is not an identifier (letters, digits, "
                    + "._:/@+=-, at most 128)");
        }
    }
}
