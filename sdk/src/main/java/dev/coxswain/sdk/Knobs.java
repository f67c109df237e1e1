package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.knob.InvalidKnobValueException;
import dev.coxswain.core.knob.Knob;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A knob set as docs/agent-protocol.md defines it: every field optional, an absent field meaning "leave as is".
 * Each value is checked on construction by core's {@link Knob} table, the same check the agent makes, so a
 * {@code Knobs} value is always one the agent would accept and every knob set the agent holds parses;
 * {@link #fromJson} rejects unknown fields and bad values with an {@link InvalidKnobException} that names the field.
 *
 * @param batchSize       this worker's local batch ({@code batch_size}, see {@link Knob#BATCH_SIZE})
 * @param globalBatchSize the job's global batch ({@code global_batch_size})
 * @param learningRate    the base learning rate ({@code learning_rate})
 * @param lrScaling       how the learning rate follows the global batch ({@code lr_scaling})
 * @param staleness       the SSP bound in clocks ({@code staleness})
 * @param syncMode        {@code sync_mode}
 * @param node            move the worker to this node id ({@code node})
 */
public record Knobs(
        OptionalInt batchSize,
        OptionalInt globalBatchSize,
        OptionalDouble learningRate,
        Optional<LrScaling> lrScaling,
        OptionalInt staleness,
        Optional<SyncMode> syncMode,
        Optional<String> node) {

    public Knobs {
        checkPresent(batchSize, Knob.BATCH_SIZE);
        checkPresent(globalBatchSize, Knob.GLOBAL_BATCH_SIZE);
        checkPresent(staleness, Knob.STALENESS);
        if (learningRate == null) {
            throw new InvalidKnobException(Knob.LEARNING_RATE.wireName(), "missing (use OptionalDouble.empty())");
        }
        if (learningRate.isPresent()) {
            check(Knob.LEARNING_RATE, learningRate.getAsDouble());
        }
        if (lrScaling == null || syncMode == null || node == null) {
            Knob missing = lrScaling == null ? Knob.LR_SCALING : syncMode == null ? Knob.SYNC_MODE : Knob.NODE;
            throw new InvalidKnobException(missing.wireName(), "missing (use Optional.empty())");
        }
        lrScaling.ifPresent(v -> check(Knob.LR_SCALING, v.wireName()));
        syncMode.ifPresent(v -> check(Knob.SYNC_MODE, v.wireName()));
        node.ifPresent(v -> check(Knob.NODE, v));
    }

    private static void checkPresent(OptionalInt value, Knob knob) {
        if (value == null) {
            throw new InvalidKnobException(knob.wireName(), "missing (use OptionalInt.empty())");
        }
        if (value.isPresent()) {
            check(knob, value.getAsInt());
        }
    }

    /** {@link Knob#check}, its failure as the SDK's exception (naming the same field). */
    private static Object check(Knob knob, Object value) {
        try {
            return knob.check(value);
        } catch (InvalidKnobValueException e) {
            throw new InvalidKnobException(e.knob(), e.problem());
        }
    }

    /** The empty knob set: changes nothing. */
    public static Knobs none() {
        return new Knobs(OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty(), Optional.empty(),
                OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    public boolean isEmpty() {
        return equals(none());
    }

    public Knobs withBatchSize(int v) {
        return new Knobs(OptionalInt.of(v), globalBatchSize, learningRate, lrScaling, staleness, syncMode, node);
    }

    public Knobs withGlobalBatchSize(int v) {
        return new Knobs(batchSize, OptionalInt.of(v), learningRate, lrScaling, staleness, syncMode, node);
    }

    public Knobs withLearningRate(double v) {
        return new Knobs(batchSize, globalBatchSize, OptionalDouble.of(v), lrScaling, staleness, syncMode, node);
    }

    public Knobs withLrScaling(LrScaling v) {
        return new Knobs(batchSize, globalBatchSize, learningRate, Optional.of(v), staleness, syncMode, node);
    }

    public Knobs withStaleness(int v) {
        return new Knobs(batchSize, globalBatchSize, learningRate, lrScaling, OptionalInt.of(v), syncMode, node);
    }

    public Knobs withSyncMode(SyncMode v) {
        return new Knobs(batchSize, globalBatchSize, learningRate, lrScaling, staleness, Optional.of(v), node);
    }

    public Knobs withNode(String v) {
        return new Knobs(batchSize, globalBatchSize, learningRate, lrScaling, staleness, syncMode, Optional.of(v));
    }

    /** This set with every field that {@code over} has replaced by {@code over}'s value. */
    public Knobs mergedWith(Knobs over) {
        return new Knobs(
                over.batchSize.isPresent() ? over.batchSize : batchSize,
                over.globalBatchSize.isPresent() ? over.globalBatchSize : globalBatchSize,
                over.learningRate.isPresent() ? over.learningRate : learningRate,
                over.lrScaling.isPresent() ? over.lrScaling : lrScaling,
                over.staleness.isPresent() ? over.staleness : staleness,
                over.syncMode.isPresent() ? over.syncMode : syncMode,
                over.node.isPresent() ? over.node : node);
    }

    /** The wire form: a map of the present fields, in protocol order. */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        batchSize.ifPresent(v -> out.put(Knob.BATCH_SIZE.wireName(), v));
        globalBatchSize.ifPresent(v -> out.put(Knob.GLOBAL_BATCH_SIZE.wireName(), v));
        learningRate.ifPresent(v -> out.put(Knob.LEARNING_RATE.wireName(), v));
        lrScaling.ifPresent(v -> out.put(Knob.LR_SCALING.wireName(), v.wireName()));
        staleness.ifPresent(v -> out.put(Knob.STALENESS.wireName(), v));
        syncMode.ifPresent(v -> out.put(Knob.SYNC_MODE.wireName(), v.wireName()));
        node.ifPresent(v -> out.put(Knob.NODE.wireName(), v));
        return out;
    }

    /**
     * Parses the wire form, rejecting unknown fields and bad values with the field named. A value is accepted
     * exactly when {@link Knob#check} accepts it (so {@code 64.0} is batch size 64, as the agent holds it).
     */
    public static Knobs fromJson(Map<String, Object> json) {
        EnumMap<Knob, Object> values = new EnumMap<>(Knob.class);
        json.forEach((name, raw) -> {
            Knob knob = Knob.byWireName(name).orElseThrow(() -> new InvalidKnobException(name,
                    "unknown knob (known: " + Knob.names() + ")"));
            values.put(knob, check(knob, raw == JsonParser.NULL ? null : raw));
        });
        return new Knobs(
                intValue(values, Knob.BATCH_SIZE),
                intValue(values, Knob.GLOBAL_BATCH_SIZE),
                values.containsKey(Knob.LEARNING_RATE)
                        ? OptionalDouble.of((Double) values.get(Knob.LEARNING_RATE)) : OptionalDouble.empty(),
                Optional.ofNullable((String) values.get(Knob.LR_SCALING))
                        .map(s -> LrScaling.fromWire(Knob.LR_SCALING.wireName(), s)),
                intValue(values, Knob.STALENESS),
                Optional.ofNullable((String) values.get(Knob.SYNC_MODE))
                        .map(s -> SyncMode.fromWire(Knob.SYNC_MODE.wireName(), s)),
                Optional.ofNullable((String) values.get(Knob.NODE)));
    }

    private static OptionalInt intValue(Map<Knob, Object> values, Knob knob) {
        return values.containsKey(knob) ? OptionalInt.of((Integer) values.get(knob)) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return "Knobs" + toJson();
    }
}
