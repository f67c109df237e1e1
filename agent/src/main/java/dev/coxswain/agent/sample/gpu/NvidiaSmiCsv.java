package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.SourceFormatException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nvidia-smi --query-gpu=... } output in its two forms: {@code --format=csv} (a header line naming
 * the fields with their units, {@code memory.used [MiB]}, and values with units, {@code 19818 MiB}), and
 * {@code --format=csv,noheader,nounits}, which the agent asks for, where the caller knows the field list. Values
 * nvidia-smi cannot give ({@code [N/A]}, {@code [Not Supported]}, {@code [Requested functionality has been
 * deprecated]}, and any other bracketed notice) become absent fields. Pure and thread-safe.
 */
public final class NvidiaSmiCsv {
    private static final Pattern HEADER_FIELD = Pattern.compile("(.+?)\\s*\\[(.+)]");
    /** Besides these, any bracketed value ({@code [N/A]}, {@code [GPU is lost]}, ...) is a notice, not a value. */
    private static final Set<String> ABSENT = Set.of("N/A", "Not Supported");

    private NvidiaSmiCsv() {
    }

    /**
     * Parses {@code --format=csv} output: the first non-blank line is the header.
     *
     * @throws SourceFormatException naming the source and line of a row whose value count differs from the header
     */
    public static List<CsvRow> parseWithHeader(String text, String source) {
        String[] lines = text.split("\r?\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first == lines.length) {
            throw new SourceFormatException(source, 0, "no header line");
        }
        List<String> fields = new ArrayList<>();
        List<String> units = new ArrayList<>();
        for (String h : lines[first].split(",", -1)) {
            Matcher m = HEADER_FIELD.matcher(h.trim());
            fields.add(m.matches() ? m.group(1) : h.trim());
            units.add(m.matches() ? m.group(2) : "");
        }
        return rows(lines, first + 1, fields, units, source);
    }

    /**
     * Parses {@code --format=csv,noheader,nounits} output for the given queried fields, in their order.
     *
     * @throws SourceFormatException naming the source and line of a row without one value per field
     */
    public static List<CsvRow> parseNoHeader(String text, List<String> fields, String source) {
        return rows(text.split("\r?\n", -1), 0, fields, fields.stream().map(f -> "").toList(), source);
    }

    private static List<CsvRow> rows(String[] lines, int from, List<String> fields, List<String> units,
                                     String source) {
        List<CsvRow> rows = new ArrayList<>();
        for (int i = from; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] cells = lines[i].split(",", -1);
            if (cells.length != fields.size()) {
                throw new SourceFormatException(source, i + 1, "expected " + fields.size() + " values, found "
                        + cells.length + ": '" + CsvRow.shorten(lines[i]) + "'");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int c = 0; c < cells.length; c++) {
                String v = withoutUnit(cells[c].trim(), units.get(c));
                if (!isAbsent(v)) {
                    values.put(fields.get(c), v);
                }
            }
            rows.add(new CsvRow(source, i + 1, values));
        }
        return rows;
    }

    private static String withoutUnit(String value, String unit) {
        if (!unit.isEmpty() && value.endsWith(" " + unit)) {
            return value.substring(0, value.length() - unit.length() - 1).trim();
        }
        return value;
    }

    static boolean isAbsent(String value) {
        return value.isEmpty() || ABSENT.contains(value) || value.startsWith("[") && value.endsWith("]");
    }
}
