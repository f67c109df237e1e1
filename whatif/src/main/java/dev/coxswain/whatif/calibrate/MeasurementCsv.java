package dev.coxswain.whatif.calibrate;

import dev.coxswain.core.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads measured rows ({@code placement,local_bsz,step_time,sync_time}) and query rows ({@code placement,local_bsz})
 * and writes predictions. Columns are found by their header names, so extra columns and any order are accepted. A bad
 * row is not skipped: it fails with a {@link BadInputException} naming the file, the line and the field.
 */
public final class MeasurementCsv {
    public static final List<String> MEASURED_COLUMNS = List.of("placement", "local_bsz", "step_time", "sync_time");
    public static final List<String> QUERY_COLUMNS = List.of("placement", "local_bsz");
    public static final List<String> OUTPUT_COLUMNS =
            List.of("placement", "local_bsz", "step_time", "sync_time", "step_time_lo", "step_time_hi");

    private MeasurementCsv() {
    }

    public static List<Measurement> readMeasured(Path file) {
        List<Measurement> rows = new ArrayList<>();
        for (Row r : rows(file, MEASURED_COLUMNS)) {
            Placement p = placement(r);
            int bsz = batch(r);
            double step = positive(r, "step_time");
            double sync = number(r, "sync_time");
            if (sync < 0) {
                throw r.bad("sync_time", sync + " is negative");
            }
            if (sync > step) {
                throw r.bad("sync_time", sync + " exceeds step_time " + step);
            }
            rows.add(new Measurement(p, bsz, step, sync));
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file, 1, "file", "no measured rows after the header");
        }
        return rows;
    }

    public static List<Query> readQueries(Path file) {
        List<Query> rows = new ArrayList<>();
        for (Row r : rows(file, QUERY_COLUMNS)) {
            rows.add(new Query(placement(r), batch(r)));
        }
        return rows;
    }

    public static void writePredictions(Writer out, List<Prediction> predictions) throws IOException {
        out.write(String.join(",", OUTPUT_COLUMNS));
        out.write('\n');
        for (Prediction p : predictions) {
            out.write(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f%n", p.query().placement(),
                    p.query().localBatch(), p.stepTimeSec(), p.syncTimeSec(), p.stepTimeLoSec(), p.stepTimeHiSec()));
        }
    }

    private record Row(Path file, int line, Map<String, String> cells) {
        String get(String column) {
            return cells.get(column);
        }

        BadInputException bad(String field, String problem) {
            return new BadInputException(file, line, field, problem);
        }
    }

    private static List<Row> rows(Path file, List<String> required) {
        List<String> lines;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            lines = in.lines().toList();
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        } catch (UncheckedIOException e) {
            throw new BadInputException(file, 0, "file", "is not UTF-8 text: " + e.getCause().getMessage());
        }
        if (lines.isEmpty()) {
            throw new BadInputException(file, 1, "header", "the file is empty; expected " + String.join(",", required));
        }
        String[] header = split(lines.get(0));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            index.put(header[i].trim().toLowerCase(Locale.ROOT), i);
        }
        for (String column : required) {
            if (!index.containsKey(column)) {
                throw new BadInputException(file, 1, column, "column missing from the header; expected "
                        + String.join(",", required));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = split(line);
            Map<String, String> byName = new HashMap<>();
            for (String column : required) {
                int at = index.get(column);
                if (at >= cells.length || cells[at].isBlank()) {
                    throw new BadInputException(file, i + 1, column, "missing value");
                }
                byName.put(column, cells[at].trim());
            }
            rows.add(new Row(file, i + 1, byName));
        }
        return rows;
    }

    private static String[] split(String line) {
        return line.split(",", -1);
    }

    private static Placement placement(Row r) {
        try {
            return Placement.parse(r.get("placement"));
        } catch (IllegalArgumentException e) {
            throw r.bad("placement", e.getMessage());
        }
    }

    private static int batch(Row r) {
        String text = r.get("local_bsz");
        try {
            int v = Integer.parseInt(text);
            if (v < 1) {
                throw r.bad("local_bsz", v + " is not a batch size (at least 1)");
            }
            return v;
        } catch (NumberFormatException e) {
            throw r.bad("local_bsz", "'" + text + "' is not a whole number");
        }
    }

    private static double number(Row r, String column) {
        String text = r.get(column);
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw r.bad(column, "'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw r.bad(column, "'" + text + "' is not a finite number");
        }
        return v;
    }

    private static double positive(Row r, String column) {
        double v = number(r, column);
        if (v <= 0) {
            throw r.bad(column, v + " is not a positive number of seconds");
        }
        return v;
    }
}
