package dev.coxswain.core.json;

import java.util.List;
import java.util.Map;

/**
 * Writes maps, lists, strings, numbers, booleans and {@link JsonParser#NULL} as compact JSON. Non-finite numbers
 * are refused: JSON cannot carry them, and a NaN in a report is a bug to surface, not to send.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();

    private JsonWriter() {
    }

    /** The JSON text of {@code value}. */
    public static String write(Object value) {
        JsonWriter w = new JsonWriter();
        w.value(value);
        return w.out.toString();
    }

    static String typeName(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "null";
    }

    private void value(Object v) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(s);
            case Boolean b -> out.append(b);
            case Double d -> finite(d);
            case Float f -> finite(f);
            case Number n -> out.append(n.longValue());
            case Map<?, ?> m -> object(m);
            case List<?> l -> array(l);
            default -> {
                if (v == JsonParser.NULL) {
                    out.append("null");
                } else {
                    throw new JsonException("cannot write a " + v.getClass().getSimpleName() + " as JSON");
                }
            }
        }
    }

    private void finite(double d) {
        if (!Double.isFinite(d)) {
            throw new JsonException("cannot write the non-finite number " + d + " as JSON");
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private void object(Map<?, ?> m) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(String.valueOf(e.getKey()));
            out.append(':');
            value(e.getValue());
        }
        out.append('}');
    }

    private void array(List<?> l) {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            value(l.get(i));
        }
        out.append(']');
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
