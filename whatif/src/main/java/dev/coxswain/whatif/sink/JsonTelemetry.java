package dev.coxswain.whatif.sink;

import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.core.telemetry.Telemetry;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Writes a telemetry record as one line of JSON: {@code {"type":"StepReport", <components by name>}}. Records,
 * lists, maps, optionals (absent = {@code null}), enums (by name) and instants (ISO-8601) are written generically from
 * the record components (every telemetry type is a record), so a new field in core appears without a change here.
 * Stateless.
 */
public final class JsonTelemetry {
    private JsonTelemetry() {
    }

    public static String toJson(Telemetry t) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", t.getClass().getSimpleName());
        json.putAll(components((Record) t));
        return JsonWriter.write(json);
    }

    private static Map<String, Object> components(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), tree(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return out;
    }

    /** The value as what {@link JsonWriter} writes: maps, lists, strings, numbers, booleans and null. */
    private static Object tree(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Number n -> n;
            case Boolean b -> b;
            case Instant i -> i.toString();
            case Enum<?> e -> e.name();
            case OptionalDouble od -> od.isPresent() ? od.getAsDouble() : null;
            case Optional<?> op -> tree(op.orElse(null));
            case Collection<?> col -> col.stream().map(JsonTelemetry::tree).toList();
            case Map<?, ?> map -> {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, x) -> out.put(String.valueOf(k), tree(x)));
                yield out;
            }
            case Record r -> components(r);
            default -> v.toString();
        };
    }
}
