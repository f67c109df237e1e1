package dev.coxswain.core.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to a parsed JSON object's fields for the project's record codecs; every failure is a
 * {@link JsonException} naming the field ({@code field 'slowdown': expected a number}). Absent and {@code null} are
 * the same.
 */
public record JsonFields(Map<String, Object> values) {

    /** Parses strict UTF-8 bytes holding one JSON object. */
    public static JsonFields parse(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return new JsonFields(JsonParser.parseObject(text));
        } catch (CharacterCodingException e) {
            throw new JsonException("not UTF-8: " + e.getMessage());
        }
    }

    public boolean has(String name) {
        Object v = values.get(name);
        return v != null && v != JsonParser.NULL;
    }

    private Object required(String name) {
        if (!has(name)) {
            throw new JsonException("field '" + name + "' is missing or null");
        }
        return values.get(name);
    }

    /** The raw value (a String, Long, Double, Boolean, Map or List), or empty when absent or null. */
    public Optional<Object> raw(String name) {
        return has(name) ? Optional.of(values.get(name)) : Optional.empty();
    }

    public String text(String name) {
        if (required(name) instanceof String s) {
            return s;
        }
        throw new JsonException("field '" + name + "': expected a string");
    }

    public Optional<String> optionalText(String name) {
        return has(name) ? Optional.of(text(name)) : Optional.empty();
    }

    public double number(String name) {
        if (required(name) instanceof Number n) {
            return n.doubleValue();
        }
        throw new JsonException("field '" + name + "': expected a number");
    }

    public long integer(String name) {
        return switch (required(name)) {
            case Long l -> l;
            case Double d -> throw new JsonException("field '" + name + "': expected an integer, got " + d);
            default -> throw new JsonException("field '" + name + "': expected an integer");
        };
    }

    public boolean bool(String name) {
        if (required(name) instanceof Boolean b) {
            return b;
        }
        throw new JsonException("field '" + name + "': expected true or false");
    }

    public Instant time(String name) {
        String t = text(name);
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new JsonException("field '" + name + "': expected an ISO-8601 time, got '" + t + "'");
        }
    }

    public Optional<Instant> optionalTime(String name) {
        return has(name) ? Optional.of(time(name)) : Optional.empty();
    }

    public <E extends Enum<E>> E enumeration(String name, Class<E> type) {
        String t = text(name);
        try {
            return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JsonException("field '" + name + "': unknown value '" + t + "'");
        }
    }

    /** A nested object. */
    @SuppressWarnings("unchecked")
    public JsonFields object(String name) {
        if (required(name) instanceof Map<?, ?> m) {
            return new JsonFields((Map<String, Object>) m);
        }
        throw new JsonException("field '" + name + "': expected an object");
    }

    /** A nested array of objects. */
    @SuppressWarnings("unchecked")
    public List<JsonFields> objects(String name) {
        if (!(required(name) instanceof List<?> list)) {
            throw new JsonException("field '" + name + "': expected an array");
        }
        return list.stream().map(o -> {
            if (o instanceof Map<?, ?> m) {
                return new JsonFields((Map<String, Object>) m);
            }
            throw new JsonException("field '" + name + "': expected an array of objects");
        }).toList();
    }
}
