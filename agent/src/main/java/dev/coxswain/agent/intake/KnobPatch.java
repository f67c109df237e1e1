package dev.coxswain.agent.intake;

import dev.coxswain.core.knob.InvalidKnobValueException;
import dev.coxswain.core.knob.Knob;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A change to a job's or a worker's knobs as posted: each named knob is set to a value, or cleared when the value
 * is JSON {@code null}; knobs not named keep their value.
 */
public record KnobPatch(Map<Knob, Optional<Object>> changes) {

    public KnobPatch {
        EnumMap<Knob, Optional<Object>> copy = new EnumMap<>(Knob.class);
        changes.forEach((knob, value) -> copy.put(knob, value.map(knob::check)));
        changes = Collections.unmodifiableMap(copy);
    }

    /**
     * Reads the {@code knobs} object of a request. Unknown names and bad values are rejected as a whole, naming the
     * field ({@code knobs.batch_size: 0 is outside [1, 16777216]}), so a job never keeps half a change.
     */
    static KnobPatch parse(JsonObject knobs, String path) {
        EnumMap<Knob, Optional<Object>> changes = new EnumMap<>(Knob.class);
        for (String name : knobs.fieldNames()) {
            Knob knob = Knob.byWireName(name).orElseThrow(() -> new InvalidFieldException(path + "." + name,
                    "unknown knob (known: " + Knob.names() + ")"));
            Object value = knobs.getValue(name);
            try {
                changes.put(knob, value == null ? Optional.empty() : Optional.of(knob.check(value)));
            } catch (InvalidKnobValueException e) {
                throw new InvalidFieldException(path + "." + name, e.problem());
            }
        }
        return new KnobPatch(changes);
    }
}
