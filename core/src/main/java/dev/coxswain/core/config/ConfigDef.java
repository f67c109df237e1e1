package dev.coxswain.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The declared configuration keys: each once, with its type, default, check and documentation (the pattern of
 * Kafka's {@code ConfigDef}). {@link #parse} turns a flat key/value map into typed {@link Config} values, failing
 * fast with a message that names the key, and reports keys that nobody declared.
 *
 * <p>Keys under a declared pass-through prefix (e.g. {@code kafka.client.}) are not checked here; the component
 * that owns the prefix receives them as they are.
 */
public final class ConfigDef {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final List<String> passThroughPrefixes = new ArrayList<>();

    /** A key's value type and how it is written in a file. */
    public enum Type {
        STRING, INT, LONG, DOUBLE, BOOLEAN,
        /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}. */
        DURATION,
        /** Comma-separated strings. */
        LIST,
        PATH
    }

    /**
     * @param defaultValue the typed default, or null when the key is optional and has none
     * @param check        a condition on the typed value, described by {@code checkDoc} in errors
     */
    public record Key(String name, Type type, Object defaultValue, Predicate<Object> check, String checkDoc,
                      String doc) {
    }

    public ConfigDef define(String name, Type type, Object defaultValue, String doc) {
        return define(name, type, defaultValue, v -> true, "", doc);
    }

    @SuppressWarnings("unchecked")
    public <T> ConfigDef define(String name, Type type, T defaultValue, Predicate<T> check, String checkDoc,
                                String doc) {
        if (keys.containsKey(name)) {
            throw new IllegalArgumentException("config key " + name + " declared twice");
        }
        keys.put(name, new Key(name, type, defaultValue, (Predicate<Object>) check, checkDoc, doc));
        return this;
    }

    /** Keys starting with {@code prefix} are passed through unchecked to the component that owns them. */
    public ConfigDef passThrough(String prefix) {
        passThroughPrefixes.add(prefix);
        return this;
    }

    public Map<String, Key> keys() {
        return Collections.unmodifiableMap(keys);
    }

    public List<String> passThroughPrefixes() {
        return List.copyOf(passThroughPrefixes);
    }

    public Config parse(Map<String, String> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key key : keys.values()) {
            String text = raw.get(key.name());
            Object value = text == null ? key.defaultValue() : convert(key, text.trim());
            if (value != null && !key.check().test(value)) {
                throw new ConfigException(key.name() + " = " + value + ": must be " + key.checkDoc());
            }
            values.put(key.name(), value);
        }
        Map<String, String> passed = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        raw.forEach((name, value) -> {
            if (keys.containsKey(name)) {
                return;
            }
            if (passThroughPrefixes.stream().anyMatch(name::startsWith)) {
                passed.put(name, value);
            } else {
                unknown.add(name);
            }
        });
        return new Config(values, passed, unknown);
    }

    private static Object convert(Key key, String text) {
        try {
            return switch (key.type()) {
                case STRING -> text;
                case INT -> Integer.parseInt(text);
                case LONG -> Long.parseLong(text);
                case DOUBLE -> Double.parseDouble(text);
                case BOOLEAN -> parseBoolean(text);
                case DURATION -> parseDuration(text);
                case LIST -> text.isEmpty() ? List.of() : List.of(text.split("\\s*,\\s*"));
                case PATH -> Path.of(text);
            };
        } catch (RuntimeException e) {
            throw new ConfigException(key.name() + " = '" + text + "': not a valid " + key.type().name().toLowerCase()
                    + (key.type() == Type.DURATION ? " (e.g. 500ms, 30s, 5m, 1h)" : ""));
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** The reference documentation of every key, as a Markdown table (the README's configuration section). */
    public String toMarkdown() {
        StringBuilder out = new StringBuilder("| key | type | default | valid values | description |\n"
                + "|---|---|---|---|---|\n");
        for (Key k : keys.values()) {
            out.append("| `").append(k.name()).append("` | ").append(k.type().name().toLowerCase()).append(" | ")
                    .append(k.defaultValue() == null ? "(none)" : "`" + format(k.defaultValue()) + "`").append(" | ")
                    .append(k.checkDoc()).append(" | ").append(k.doc()).append(" |\n");
        }
        for (String prefix : passThroughPrefixes) {
            out.append("| `").append(prefix).append("*` | string | | | passed through as they are |\n");
        }
        return out.toString();
    }

    private static String format(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 != 0 ? d.toMillis() + "ms" : d.toSeconds() + "s";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }
}
