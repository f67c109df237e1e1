package dev.coxswain.core.control;

import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonFields;
import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.core.knob.Knob;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The encoding of {@link ControlRecord}s on the actions and knobs topics: one JSON object per record, UTF-8, e.g.
 * <pre>
 * {"v":1,"type":"action","id":"c1-17","job":"j1","policy":"rebalance","issuer":"collector-1","dryRun":false,
 *  "issuedAt":"2026-12-06T10:00:00Z","deadline":"2026-12-06T10:00:30Z","revertOf":null,
 *  "reason":"w3 computes at 0.50x its peers (imbalance)","evidence":{"w3.samples_per_s":750},
 *  "expected":{"stepTimeMsBefore":170.6,"stepTimeMsAfter":97.5,"workRatio":1},
 *  "settings":[{"worker":"w3","knob":"batch_size","value":37},...],
 *  "previous":[{"worker":"w3","knob":"batch_size","value":64},...]}
 * {"v":1,"type":"outcome","action":"c1-17","job":"j1","status":"verified","at":"...","detail":"...",
 *  "measuredStepTimeMs":99.1}
 * </pre>
 * {@code v} is the format version: this class writes {@value #VERSION} and reads only versions it knows; fields may
 * be added within a version, never removed or changed in meaning. Stateless and thread-safe. {@link #decode} never
 * throws: bad bytes come back as a {@link Decoding.Rejected} saying what was wrong and where.
 */
public final class ControlCodec {
    public static final int VERSION = 1;

    private ControlCodec() {
    }

    /** The outcome of decoding one record. */
    public sealed interface Decoding {
        record Decoded(ControlRecord record) implements Decoding {
        }

        /** @param detail what was wrong and where, e.g. {@code settings[0].batch_size: 0 is outside [1, ...]} */
        record Rejected(String detail) implements Decoding {
        }
    }

    public static byte[] encode(ControlRecord record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", VERSION);
        switch (record) {
            case Action a -> {
                json.put("type", "action");
                json.put("id", a.id());
                json.put("job", a.job());
                json.put("policy", a.policy());
                json.put("issuer", a.issuer());
                json.put("dryRun", a.dryRun());
                json.put("issuedAt", a.issuedAt().toString());
                json.put("deadline", a.deadline().toString());
                json.put("revertOf", a.revertOf().orElse(null));
                json.put("trigger", a.trigger().orElse(null));
                json.put("reason", a.reason());
                json.put("evidence", a.evidence());
                Map<String, Object> expected = new LinkedHashMap<>();
                expected.put("stepTimeMsBefore", a.expected().stepTimeMsBefore());
                expected.put("stepTimeMsAfter", a.expected().stepTimeMsAfter());
                expected.put("workRatio", a.expected().workRatio());
                json.put("expected", expected);
                json.put("settings", settings(a.settings()));
                json.put("previous", settings(a.previous()));
            }
            case ActionOutcome o -> {
                json.put("type", "outcome");
                json.put("action", o.actionId());
                json.put("job", o.job());
                json.put("status", o.status().label());
                json.put("at", o.at().toString());
                json.put("detail", o.detail());
                json.put("measuredStepTimeMs", o.measuredStepTimeMs().isPresent()
                        ? o.measuredStepTimeMs().getAsDouble() : null);
            }
        }
        return JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Object> settings(List<KnobSetting> list) {
        List<Object> out = new ArrayList<>();
        for (KnobSetting s : list) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("worker", s.worker().orElse(null));
            o.put("knob", s.knob().wireName());
            o.put("value", s.value());
            out.add(o);
        }
        return out;
    }

    public static Decoding decode(byte[] bytes) {
        try {
            JsonFields f = JsonFields.parse(bytes);
            long version = f.integer("v");
            if (version != VERSION) {
                return new Decoding.Rejected("format version " + version + "; this build reads version " + VERSION);
            }
            String type = f.text("type");
            return switch (type) {
                case "action" -> new Decoding.Decoded(action(f));
                case "outcome" -> new Decoding.Decoded(new ActionOutcome(f.text("action"), f.text("job"),
                        f.enumeration("status", ActionOutcome.Status.class), f.time("at"), f.text("detail"),
                        f.has("measuredStepTimeMs") ? OptionalDouble.of(f.number("measuredStepTimeMs"))
                                : OptionalDouble.empty()));
                default -> new Decoding.Rejected("field 'type': unknown value '" + type + "'");
            };
        } catch (JsonException | InvalidActionException | NullPointerException e) {
            return new Decoding.Rejected(e.getMessage());
        }
    }

    private static List<KnobSetting> settings(JsonFields f, String field) {
        List<KnobSetting> settings = new ArrayList<>();
        List<JsonFields> raw = f.has(field) || field.equals("settings") ? f.objects(field) : List.of();
        for (int i = 0; i < raw.size(); i++) {
            JsonFields s = raw.get(i);
            String name = s.text("knob");
            Knob knob = Knob.byWireName(name).orElseThrow(() -> new JsonException("field '" + field
                    + "': unknown knob '" + name + "' (known: " + Knob.names() + ")"));
            try {
                settings.add(new KnobSetting(s.optionalText("worker"), knob, s.raw("value").orElse(null)));
            } catch (InvalidActionException e) {
                throw new InvalidActionException(field + "[" + i + "]." + name,
                        e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            }
        }
        return settings;
    }

    private static Action action(JsonFields f) {
        List<KnobSetting> settings = settings(f, "settings");
        Map<String, Double> evidence = new LinkedHashMap<>();
        JsonFields ev = f.object("evidence");
        ev.values().keySet().forEach(k -> evidence.put(k, ev.number(k)));
        JsonFields expected = f.object("expected");
        return new Action(f.text("id"), f.text("job"), settings, f.text("policy"), f.text("reason"), evidence,
                new ExpectedEffect(expected.number("stepTimeMsBefore"), expected.number("stepTimeMsAfter"),
                        expected.has("workRatio") ? expected.number("workRatio") : 1),
                f.text("issuer"), f.bool("dryRun"), f.time("issuedAt"), f.time("deadline"),
                f.optionalText("revertOf"), f.optionalText("trigger"), settings(f, "previous"));
    }
}
