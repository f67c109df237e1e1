package dev.coxswain.agent.intake;

import dev.coxswain.core.knob.Knob;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of knob values, each already checked by its {@link Knob}. Absent knobs mean "leave as the
 * training process has it".
 */
public record KnobSet(Map<Knob, Object> values) {
    public static final KnobSet EMPTY = new KnobSet(Map.of());

    public KnobSet {
        EnumMap<Knob, Object> copy = new EnumMap<>(Knob.class);
        values.forEach((knob, value) -> copy.put(knob, knob.check(value)));
        values = Collections.unmodifiableMap(copy);
    }

    public Optional<Object> get(Knob knob) {
        return Optional.ofNullable(values.get(knob));
    }

    /** These values with {@code top}'s on top: a worker's own knobs override the job-wide ones. */
    public KnobSet overlay(KnobSet top) {
        if (top.values.isEmpty()) {
            return this;
        }
        EnumMap<Knob, Object> merged = new EnumMap<>(Knob.class);
        merged.putAll(values);
        merged.putAll(top.values);
        return new KnobSet(merged);
    }

    /** These values after a change: set knobs replace, cleared knobs are removed. */
    public KnobSet apply(KnobPatch patch) {
        EnumMap<Knob, Object> next = new EnumMap<>(Knob.class);
        next.putAll(values);
        patch.changes().forEach((knob, value) -> {
            if (value.isPresent()) {
                next.put(knob, value.get());
            } else {
                next.remove(knob);
            }
        });
        return new KnobSet(next);
    }

    /** The JSON form: field name to value, in the declaration order of {@link Knob}. */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((knob, value) -> out.put(knob.wireName(), value));
        return out;
    }
}
