package dev.coxswain.trainer.inject;

import dev.coxswain.core.CoxswainException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads scenario text: one injection per line, {@code <at> <worker> <fault> [key=value ...]}, {@code #} starts a
 * comment. Faults and their keys:
 * <pre>
 *   slowdown   factor=2.0 [for=30s] [on=worker|device]
 *   periodic   factor=3 period=10s slow=2s [for=60s]
 *   input      ms=30 [for=30s]
 *   latency    ms=20 [for=30s]
 *   bandwidth  mbit=50 [for=30s]
 *   crash      [restart_after=2s]
 * </pre>
 * Times are {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}. Errors name the source, the line and what was wrong.
 */
public final class InjectionPlanParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "slowdown", Set.of("factor", "for", "on"),
            "periodic", Set.of("factor", "period", "slow", "for"),
            "input", Set.of("ms", "for"),
            "latency", Set.of("ms", "for"),
            "bandwidth", Set.of("mbit", "for"),
            "crash", Set.of("restart_after"));

    private InjectionPlanParser() {
    }

    /** Parses a whole scenario; {@code source} (a file name) goes into error messages. */
    public static InjectionPlan parse(String text, String source) {
        List<Injection> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (!content.isEmpty()) {
                out.add(line(content, source + ":" + (i + 1)));
            }
        }
        return new InjectionPlan(out);
    }

    /** Parses one injection line; {@code where} goes into error messages. */
    public static Injection line(String content, String where) {
        String[] tokens = content.trim().split("\\s+");
        if (tokens.length < 3) {
            throw error(where, "expected '<at> <worker> <fault> [key=value ...]', got '" + content + "'");
        }
        Duration at = duration(where, "at", tokens[0]);
        String worker = tokens[1];
        String fault = tokens[2];
        Set<String> allowed = KEYS.get(fault);
        if (allowed == null) {
            throw error(where, "unknown fault '" + fault + "' (known: slowdown, periodic, input, latency, bandwidth,"
                    + " crash)");
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int t = 3; t < tokens.length; t++) {
            int eq = tokens[t].indexOf('=');
            if (eq <= 0) {
                throw error(where, "'" + tokens[t] + "' is not key=value");
            }
            String key = tokens[t].substring(0, eq);
            if (!allowed.contains(key)) {
                throw error(where, fault + " has no key '" + key + "' (keys: " + allowed + ")");
            }
            kv.put(key, tokens[t].substring(eq + 1));
        }
        try {
            return build(where, fault, worker, at, kv);
        } catch (IllegalArgumentException e) {
            throw error(where, e.getMessage());
        }
    }

    private static Injection build(String where, String fault, String worker, Duration at, Map<String, String> kv) {
        Optional<Duration> lasting = kv.containsKey("for")
                ? Optional.of(duration(where, "for", kv.get("for"))) : Optional.empty();
        return switch (fault) {
            case "slowdown" -> new Injection.Slowdown(worker, at, lasting, number(where, kv, "factor"),
                    switch (kv.getOrDefault("on", "worker")) {
                        case "worker" -> false;
                        case "device" -> true;
                        default -> throw error(where, "on=" + kv.get("on") + ": must be worker or device");
                    });
            case "periodic" -> new Injection.PeriodicSlowdown(worker, at, lasting, number(where, kv, "factor"),
                    duration(where, "period", required(where, kv, "period")),
                    duration(where, "slow", required(where, kv, "slow")));
            case "input" -> new Injection.InputStall(worker, at, lasting, millis(where, kv));
            case "latency" -> new Injection.LinkLatency(worker, at, lasting, millis(where, kv));
            case "bandwidth" -> new Injection.LinkBandwidth(worker, at, lasting,
                    (long) (number(where, kv, "mbit") * 1e6 / 8));
            case "crash" -> new Injection.Crash(worker, at, kv.containsKey("restart_after")
                    ? duration(where, "restart_after", kv.get("restart_after")) : Duration.ofSeconds(1));
            default -> throw error(where, "unknown fault '" + fault + "'");
        };
    }

    private static Duration millis(String where, Map<String, String> kv) {
        return Duration.ofNanos((long) (number(where, kv, "ms") * 1e6));
    }

    private static String required(String where, Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw error(where, "missing " + key + "=...");
        }
        return v;
    }

    private static double number(String where, Map<String, String> kv, String key) {
        String v = required(where, kv, key);
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw error(where, key + "=" + v + " is not a number");
        }
    }

    /** {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}. */
    public static Duration duration(String where, String what, String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw error(where, what + " '" + text + "' is not a duration like 500ms, 10s, 1.5s or 2m");
        }
        double n = Double.parseDouble(m.group(1));
        double nanos = switch (m.group(2)) {
            case "ms" -> n * 1e6;
            case "s" -> n * 1e9;
            default -> n * 60e9;
        };
        return Duration.ofNanos((long) nanos);
    }

    private static CoxswainException error(String where, String problem) {
        return new CoxswainException("scenario " + where + ": " + problem);
    }
}
