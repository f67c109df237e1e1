package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One GPU's line of {@code nvidia-smi --query-gpu} output: field name (as queried, without unit) to value (without
 * unit). Fields nvidia-smi reported as {@code [N/A]}, {@code [Not Supported]} or similar are absent.
 *
 * @param line the 1-based line in the tool's output, for error messages
 */
public record CsvRow(String source, int line, Map<String, String> values) {

    public CsvRow {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Optional<String> text(String field) {
        return Optional.ofNullable(values.get(field));
    }

    /** A required field; absent is an error naming the field, source and line. */
    public String required(String field) {
        String v = values.get(field);
        if (v == null) {
            throw new SourceFormatException(source, line, field + " is missing or not available");
        }
        return v;
    }

    public OptionalDouble number(String field) {
        String v = values.get(field);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return OptionalDouble.of(d);
        } catch (NumberFormatException e) {
            throw new SourceFormatException(source, line, field + ": '" + shorten(v) + "' is not a number");
        }
    }

    public int integer(String field) {
        String v = required(field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new SourceFormatException(source, line, field + ": '" + shorten(v) + "' is not an integer");
        }
    }

    /** A bit mask written as hexadecimal ({@code 0x0000000000000004}), or empty when absent. */
    public Optional<Long> hexMask(String field) {
        String v = values.get(field);
        if (v == null) {
            return Optional.empty();
        }
        String digits = v.startsWith("0x") || v.startsWith("0X") ? v.substring(2) : v;
        try {
            return Optional.of(Long.parseUnsignedLong(digits, 16));
        } catch (NumberFormatException e) {
            throw new SourceFormatException(source, line, field + ": '" + shorten(v) + "' is not a hexadecimal mask");
        }
    }

    static String shorten(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
