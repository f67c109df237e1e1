package dev.coxswain.agent.intake;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed access to the fields of one JSON object of a request, with errors that name the field by its path
 * ({@code reports[3].step_time_ms: expected a number, got the string "fast"}). JSON {@code null} counts as absent.
 * Range checks beyond the type belong to the records' own validation.
 */
final class FieldReader {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+=-]{0,127}");

    private final JsonObject object;
    private final String prefix;

    /** @param path the object's own path, e.g. {@code reports[3]}, or empty for the body itself */
    FieldReader(JsonObject object, String path) {
        this.object = object;
        this.prefix = path.isEmpty() ? "" : path + ".";
    }

    String path(String name) {
        return prefix + name;
    }

    private Object raw(String name) {
        return object.getValue(name);
    }

    private InvalidFieldException wrong(String name, String expected, Object value) {
        return new InvalidFieldException(path(name), "expected " + expected + ", got " + describe(value));
    }

    private Object required(String name) {
        Object v = raw(name);
        if (v == null) {
            throw new InvalidFieldException(path(name), "missing");
        }
        return v;
    }

    String id(String name) {
        return checkId(path(name), required(name));
    }

    Optional<String> optionalId(String name) {
        Object v = raw(name);
        return v == null ? Optional.empty() : Optional.of(checkId(path(name), v));
    }

    static String checkId(String path, Object v) {
        if (!(v instanceof String s)) {
            throw new InvalidFieldException(path, "expected an identifier string, got " + describe(v));
        }
        if (!isIdentifier(s)) {
            throw new InvalidFieldException(path, "'" + shorten(s)
                    + "' is not an identifier (a letter or digit, then letters, digits or ._:/@+=-; at most 128)");
        }
        return s;
    }

    static boolean isIdentifier(String s) {
        return IDENTIFIER.matcher(s).matches();
    }

    long integer(String name) {
        return toLong(name, required(name));
    }

    Optional<Long> optionalInteger(String name) {
        Object v = raw(name);
        return v == null ? Optional.empty() : Optional.of(toLong(name, v));
    }

    int intValue(String name) {
        long n = integer(name);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            throw new InvalidFieldException(path(name), n + " is out of range");
        }
        return (int) n;
    }

    Optional<Integer> optionalInt(String name) {
        return raw(name) == null ? Optional.empty() : Optional.of(intValue(name));
    }

    private long toLong(String name, Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger) {
            throw new InvalidFieldException(path(name), v + " is out of range");
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 9e15) {
            return (long) n.doubleValue();
        }
        throw wrong(name, "an integer", v);
    }

    double number(String name) {
        Object v = required(name);
        if (!(v instanceof Number n)) {
            throw wrong(name, "a number", v);
        }
        return n.doubleValue();
    }

    OptionalDouble optionalNumber(String name) {
        return raw(name) == null ? OptionalDouble.empty() : OptionalDouble.of(number(name));
    }

    JsonObject object(String name) {
        Object v = required(name);
        if (!(v instanceof JsonObject o)) {
            throw wrong(name, "a JSON object", v);
        }
        return o;
    }

    Optional<JsonObject> optionalObject(String name) {
        return raw(name) == null ? Optional.empty() : Optional.of(object(name));
    }

    JsonArray array(String name) {
        Object v = required(name);
        if (!(v instanceof JsonArray a)) {
            throw wrong(name, "a JSON array", v);
        }
        return a;
    }

    /** An enum constant spelled as its name (case-insensitive), or {@code fallback} when absent. */
    <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        Object v = raw(name);
        if (v == null) {
            return fallback;
        }
        E[] constants = type.getEnumConstants();
        String allowed = String.join(", ", Arrays.stream(constants).map(Enum::name).toList());
        if (v instanceof String s) {
            for (E e : constants) {
                if (e.name().equalsIgnoreCase(s)) {
                    return e;
                }
            }
            throw new InvalidFieldException(path(name), "'" + shorten(s) + "' is not one of " + allowed);
        }
        throw wrong(name, "one of " + allowed, v);
    }

    /** Rejects fields the protocol does not define, which are usually typos ({@code wroker}). */
    void rejectUnknown(Set<String> known) {
        for (String name : object.fieldNames()) {
            if (!known.contains(name)) {
                throw new InvalidFieldException(path(name), "unknown field (expected "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A short, printable description of a JSON value for error messages. */
    static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "the string \"" + shorten(s) + "\"";
            case JsonObject o -> "a JSON object";
            case JsonArray a -> "a JSON array";
            default -> String.valueOf(v);
        };
    }

    static String shorten(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
