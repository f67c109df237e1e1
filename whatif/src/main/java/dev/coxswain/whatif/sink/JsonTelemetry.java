package dev.coxswain.whatif.sink;

import dev.coxswain.core.telemetry.Telemetry;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Writes a telemetry record as one line of JSON: {@code {"type":"StepReport", <components by name>}}. Records,
 * lists, maps, optionals (absent = {@code null}), enums (by name) and instants (ISO-8601) are written generically from
 * the record components, so a new field in core appears without a change here. Stateless.
 */
public final class JsonTelemetry {
    private JsonTelemetry() {
    }

    public static String toJson(Telemetry t) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"type\":\"").append(t.getClass().getSimpleName()).append('"');
        for (RecordComponent c : t.getClass().getRecordComponents()) {
            sb.append(",\"").append(c.getName()).append("\":");
            value(sb, get(c, t));
        }
        return sb.append('}').toString();
    }

    private static Object get(RecordComponent c, Object o) {
        try {
            return c.getAccessor().invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    private static void value(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> string(sb, s);
            case Double d -> sb.append(Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null");
            case Number n -> sb.append(n);
            case Boolean b -> sb.append(b);
            case Instant i -> string(sb, i.toString());
            case Enum<?> e -> string(sb, e.name());
            case OptionalDouble od -> value(sb, od.isPresent() ? (Object) od.getAsDouble() : null);
            case Optional<?> op -> value(sb, op.orElse(null));
            case Collection<?> col -> {
                sb.append('[');
                boolean first = true;
                for (Object o : col) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    value(sb, o);
                }
                sb.append(']');
            }
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    value(sb, e.getValue());
                }
                sb.append('}');
            }
            case Record r -> {
                sb.append('{');
                boolean first = true;
                for (RecordComponent c : r.getClass().getRecordComponents()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    sb.append('"').append(c.getName()).append("\":");
                    value(sb, get(c, r));
                }
                sb.append('}');
            }
            default -> string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
