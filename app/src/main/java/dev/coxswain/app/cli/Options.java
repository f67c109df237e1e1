package dev.coxswain.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed {@code --name value} options and {@code --flag} switches of one command, checked against the names the
 * command accepts. {@code --set key=value} may repeat and collects configuration overrides.
 */
public final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> overrides = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Options() {
    }

    /**
     * @param withValue options that take a value
     * @param flags     options that take none
     */
    public static Options parse(List<String> args, Set<String> withValue, Set<String> flags) {
        Options o = new Options();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                o.positional.add(a);
                continue;
            }
            String name = a.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq > 0 && !name.startsWith("set")) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                o.values.put(name, "true");
            } else if (name.equals("set") || withValue.contains(name)) {
                String value = inline != null ? inline : (i + 1 < args.size() ? args.get(++i) : null);
                if (value == null) {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (name.equals("set")) {
                    int kv = value.indexOf('=');
                    if (kv <= 0) {
                        throw new UsageException("--set takes key=value, got '" + value + "'");
                    }
                    o.overrides.put(value.substring(0, kv), value.substring(kv + 1));
                } else {
                    o.values.put(name, value);
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return o;
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean flag(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    public Optional<Path> path(String name) {
        return get(name).map(Path::of);
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new UsageException("--" + name + " is required"));
    }

    /** {@code --set key=value} configuration overrides. */
    public Map<String, String> overrides() {
        return Map.copyOf(overrides);
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }
}
