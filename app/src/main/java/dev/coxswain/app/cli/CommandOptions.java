package dev.coxswain.app.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --name value} options for the detection and model commands; anything else is a usage error. */
final class CommandOptions {

    private CommandOptions() {
    }

    static Map<String, String> parse(List<String> args, List<String> known) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!known.contains(a)) {
                throw new UsageException("unknown option '" + a + "'; known: " + String.join(", ", known));
            }
            if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                throw new UsageException(a + " needs a value");
            }
            if (opts.put(a, args.get(++i)) != null) {
                throw new UsageException(a + " given twice");
            }
        }
        return opts;
    }

    static String required(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null) {
            throw new UsageException(name + " is required");
        }
        return v;
    }

    static int integer(Map<String, String> opts, String name, int fallback, int min) {
        String v = opts.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int x = Integer.parseInt(v);
            if (x < min) {
                throw new UsageException(name + " must be at least " + min + ", got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, got '" + v + "'");
        }
    }

    static long longValue(Map<String, String> opts, String name, long fallback) {
        String v = opts.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, got '" + v + "'");
        }
    }

    static double number(Map<String, String> opts, String name, double fallback, double min, double max) {
        String v = opts.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(v);
            if (!(x >= min && x <= max)) {
                throw new UsageException(name + " must be in [" + min + ", " + max + "], got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + v + "'");
        }
    }
}
