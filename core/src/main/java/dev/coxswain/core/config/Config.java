package dev.coxswain.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Typed values parsed by {@link ConfigDef}. Only the code that builds a component's settings record reads keys
 * from here; components themselves take the typed record.
 */
public final class Config {
    private final Map<String, Object> values;
    private final Map<String, String> passedThrough;
    private final List<String> unknownKeys;

    Config(Map<String, Object> values, Map<String, String> passedThrough, List<String> unknownKeys) {
        this.values = values;
        this.passedThrough = passedThrough;
        this.unknownKeys = List.copyOf(unknownKeys);
    }

    private Object value(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("config key " + key + " was never declared");
        }
        return values.get(key);
    }

    private <T> T required(String key, Class<T> type) {
        Object v = value(key);
        if (v == null) {
            throw new ConfigException(key + " is required and has no default");
        }
        return type.cast(v);
    }

    public String getString(String key) {
        return required(key, String.class);
    }

    public Optional<String> getOptionalString(String key) {
        Object v = value(key);
        return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
    }

    public int getInt(String key) {
        return required(key, Integer.class);
    }

    public long getLong(String key) {
        return required(key, Long.class);
    }

    public double getDouble(String key) {
        return required(key, Double.class);
    }

    public boolean getBoolean(String key) {
        return required(key, Boolean.class);
    }

    public Duration getDuration(String key) {
        return required(key, Duration.class);
    }

    public Path getPath(String key) {
        return required(key, Path.class);
    }

    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return required(key, List.class);
    }

    /** Pass-through keys under {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        passedThrough.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** Keys in the input that no component declared: reported at start-up, since they are usually typos. */
    public List<String> unknownKeys() {
        return unknownKeys;
    }
}
