package dev.coxswain.whatif.eval;

import dev.coxswain.core.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The results table of an nccl-tests run ({@code all_reduce_perf} and friends) as the tool prints it, also inside a
 * launcher's log: lines may carry an mpirun tag ({@code [1,0]<stdout>:}) and are mixed with NCCL's own log lines,
 * which are skipped. The header line ({@code #  size  count  type  redop [root]  time  algbw  busbw ...}) says
 * whether a root column is present; every line after it whose first field is a number is a result row, and a row
 * that does not parse fails with the file and line.
 */
public final class NcclTestsOutput {
    private static final Pattern MPI_TAG = Pattern.compile("^\\[\\d+,\\d+\\]<std(?:out|err)>:");
    private static final Pattern SIZE = Pattern.compile("\\d+");
    private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    /** One message size: out-of-place and in-place time (seconds) and bus bandwidth (bytes per second). */
    public record Row(long sizeBytes, double oopTimeSec, double oopBusBytesPerSec, double ipTimeSec,
                      double ipBusBytesPerSec) {
    }

    /** The GPUs the run used (its "Rank" lines) and its result rows in the order printed. */
    public record Run(int ranks, List<Row> rows) {
    }

    private NcclTestsOutput() {
    }

    public static Run read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        }
        int ranks = 0;
        int timeColumn = -1;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = MPI_TAG.matcher(lines.get(i)).replaceFirst("").trim();
            if (line.startsWith("#")) {
                String[] words = line.substring(1).trim().split("\\s+");
                if (words[0].equals("Rank")) {
                    ranks++;
                } else if (words[0].equals("size") && timeColumn < 0) {
                    timeColumn = List.of(words).indexOf("time");
                }
                continue;
            }
            String[] f = line.split("\\s+");
            if (timeColumn < 0 || !SIZE.matcher(f[0]).matches()) {
                continue;
            }
            rows.add(row(file, i + 1, f, timeColumn));
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file, lines.size(), "results",
                    timeColumn < 0 ? "no nccl-tests header line ('# size count type ... time algbw busbw')"
                            : "no result rows after the header");
        }
        return new Run(ranks, List.copyOf(rows));
    }

    /** Fields from {@code time}: time algbw busbw #wrong, twice (out-of-place, then in-place). */
    private static Row row(Path file, int line, String[] f, int t) {
        if (f.length < t + 8) {
            throw new BadInputException(file, line, "row", "has " + f.length + " fields, an nccl-tests result row "
                    + (t + 8));
        }
        if (f[0].length() > 18) {
            throw new BadInputException(file, line, "size", "'" + f[0] + "' is too large a message size");
        }
        return new Row(Long.parseLong(f[0]), number(file, line, "oop time", f[t]) * 1e-6,
                number(file, line, "oop busbw", f[t + 2]) * 1e9, number(file, line, "ip time", f[t + 4]) * 1e-6,
                number(file, line, "ip busbw", f[t + 6]) * 1e9);
    }

    private static double number(Path file, int line, String field, String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw new BadInputException(file, line, field, "'" + text + "' is not a non-negative number");
        }
        return Double.parseDouble(text);
    }
}
