package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonParser;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A knob set as docs/agent-protocol.md defines it: every field optional, an absent field meaning "leave as is".
 * Validated on construction, so a {@code Knobs} value is always one the agent would accept; {@link #fromJson}
 * rejects unknown fields and bad values with an {@link InvalidKnobException} that names the field.
 *
 * @param batchSize       this worker's local batch ({@code batch_size}, >= 1)
 * @param globalBatchSize the job's global batch ({@code global_batch_size}, >= 1)
 * @param learningRate    the base learning rate ({@code learning_rate}, > 0)
 * @param lrScaling       how the learning rate follows the global batch ({@code lr_scaling})
 * @param staleness       the SSP bound in clocks ({@code staleness}, >= 0)
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

    /** The largest batch a report may carry (StepReport.MAX_BATCH); larger is a typo, not a plan. */
    public static final int MAX_BATCH = 1 << 24;
    /** A staleness beyond this many clocks is indistinguishable from ASP and almost surely a mistake. */
    public static final int MAX_STALENESS = 1_000_000;
    private static final Set<String> FIELDS = Set.of("batch_size", "global_batch_size", "learning_rate",
            "lr_scaling", "staleness", "sync_mode", "node");

    public Knobs {
        check(batchSize, "batch_size", 1, MAX_BATCH);
        check(globalBatchSize, "global_batch_size", 1, MAX_BATCH);
        if (learningRate == null) {
            throw new InvalidKnobException("learning_rate", "missing (use OptionalDouble.empty())");
        }
        if (learningRate.isPresent()) {
            double lr = learningRate.getAsDouble();
            if (!Double.isFinite(lr) || lr <= 0 || lr > 1e6) {
                throw new InvalidKnobException("learning_rate", lr + " is not a finite number in (0, 1e6]");
            }
        }
        if (lrScaling == null || syncMode == null || node == null) {
            throw new InvalidKnobException(lrScaling == null ? "lr_scaling" : syncMode == null ? "sync_mode" : "node",
                    "missing (use Optional.empty())");
        }
        check(staleness, "staleness", 0, MAX_STALENESS);
        node.ifPresent(n -> {
            if (!isNodeId(n)) {
                throw new InvalidKnobException("node", "'" + n + "' is not a node id (letters, digits, ._:/@+=-)");
            }
        });
    }

    private static void check(OptionalInt value, String field, int min, int max) {
        if (value == null) {
            throw new InvalidKnobException(field, "missing (use OptionalInt.empty())");
        }
        if (value.isPresent() && (value.getAsInt() < min || value.getAsInt() > max)) {
            throw new InvalidKnobException(field, value.getAsInt() + " is outside [" + min + ", " + max + "]");
        }
    }

    private static boolean isNodeId(String s) {
        if (s.isEmpty() || s.length() > 128 || !Character.isLetterOrDigit(s.charAt(0)) || s.charAt(0) > 127) {
            return false;
        }
        return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "._:/@+=-".indexOf(c) >= 0));
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
        batchSize.ifPresent(v -> out.put("batch_size", v));
        globalBatchSize.ifPresent(v -> out.put("global_batch_size", v));
        learningRate.ifPresent(v -> out.put("learning_rate", v));
        lrScaling.ifPresent(v -> out.put("lr_scaling", v.wireName()));
        staleness.ifPresent(v -> out.put("staleness", v));
        syncMode.ifPresent(v -> out.put("sync_mode", v.wireName()));
        node.ifPresent(v -> out.put("node", v));
        return out;
    }

    /** Parses the wire form, rejecting unknown fields and bad values with the field named. */
    public static Knobs fromJson(Map<String, Object> json) {
        for (String name : json.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new InvalidKnobException(name, "unknown knob (known: batch_size, global_batch_size, "
                        + "learning_rate, lr_scaling, staleness, sync_mode, node)");
            }
        }
        return new Knobs(
                intField(json, "batch_size"),
                intField(json, "global_batch_size"),
                json.containsKey("learning_rate")
                        ? OptionalDouble.of(number(json, "learning_rate")) : OptionalDouble.empty(),
                Optional.ofNullable(stringField(json, "lr_scaling")).map(s -> LrScaling.fromWire("lr_scaling", s)),
                intField(json, "staleness"),
                Optional.ofNullable(stringField(json, "sync_mode")).map(s -> SyncMode.fromWire("sync_mode", s)),
                Optional.ofNullable(stringField(json, "node")));
    }

    private static double number(Map<String, Object> json, String field) {
        Object v = json.get(field);
        if (!(v instanceof Number n)) {
            throw new InvalidKnobException(field, describe(v) + " is not a number");
        }
        return n.doubleValue();
    }

    private static OptionalInt intField(Map<String, Object> json, String field) {
        if (!json.containsKey(field)) {
            return OptionalInt.empty();
        }
        Object v = json.get(field);
        if (!(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < Integer.MIN_VALUE
                || ((Number) v).longValue() > Integer.MAX_VALUE) {
            throw new InvalidKnobException(field, describe(v) + " is not an integer");
        }
        return OptionalInt.of(((Number) v).intValue());
    }

    private static String stringField(Map<String, Object> json, String field) {
        if (!json.containsKey(field)) {
            return null;
        }
        Object v = json.get(field);
        if (!(v instanceof String s)) {
            throw new InvalidKnobException(field, describe(v) + " is not a string");
        }
        return s;
    }

    private static String describe(Object v) {
        return v == JsonParser.NULL || v == null ? "null" : v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    @Override
    public String toString() {
        return "Knobs" + toJson();
    }
}
