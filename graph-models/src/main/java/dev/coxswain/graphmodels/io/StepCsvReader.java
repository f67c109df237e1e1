package dev.coxswain.graphmodels.io;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the steps CSV of {@code coxswain detect --steps}: a header line, then one row per worker and step.
 * Required columns: {@code job, worker, step, step_time}. Optional: the {@link Signal} columns
 * ({@code compute_time, comm_time, data_time, gpu_util, sm_clock_mhz, throttled, cpu_util, batch_size,
 * link_util}), the placement columns {@code host, nic, switch}, {@code time} (when the step ended, an ISO-8601
 * instant such as {@code 2026-11-22T10:15:30.250Z}) and the label columns {@code cause, slowdown} (ground truth
 * for training and evaluation: a {@link Cause} label, {@code none} for a healthy worker, and the worker's true
 * slowdown; both or neither); an empty optional cell means "not measured".
 * Fields are separated by commas and may not contain commas or quotes. Blank lines are skipped.
 * The first bad row stops reading with a {@link BadInputException} naming file, line and field.
 */
public final class StepCsvReader {

    static final List<String> REQUIRED = List.of("job", "worker", "step", "step_time");
    static final List<String> PLACEMENT = List.of("host", "nic", "switch");
    static final String TIME = "time";
    static final String CAUSE = "cause";
    static final String SLOWDOWN = "slowdown";
    static final List<String> LABELS = List.of(CAUSE, SLOWDOWN);

    private final String source;

    /** @param source the file name used in error messages */
    public StepCsvReader(String source) {
        this.source = source;
    }

    /** Reads every row. */
    public List<StepRow> read(Reader in) {
        try (BufferedReader r = new BufferedReader(in)) {
            String header = r.readLine();
            if (header == null) {
                throw new BadInputException(source, 1, "header", "the file is empty; expected a header with "
                        + String.join(",", REQUIRED));
            }
            Map<String, Integer> columns = columns(header);
            List<StepRow> rows = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            String text;
            int line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                StepRow row = row(text, line, columns);
                if (!seen.add(row.jobId() + '\u0000' + row.workerId() + '\u0000' + row.sample().step())) {
                    throw new BadInputException(source, line, "step", "job " + row.jobId() + " worker "
                            + row.workerId() + " step " + row.sample().step() + " appears twice");
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + source + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> columns(String header) {
        String[] names = header.strip().split(",", -1);
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i].strip();
            if (name.equals("wait_time")) {
                throw new BadInputException(source, 1, name, "renamed data_time (time loading the step's input);"
                        + " 'wait' means the barrier wait for slower peers, which step_time already leaves out");
            }
            if (!REQUIRED.contains(name) && !PLACEMENT.contains(name) && !LABELS.contains(name)
                    && !name.equals(TIME) && Signal.forColumn(name).isEmpty()) {
                throw new BadInputException(source, 1, name.isEmpty() ? "(column " + (i + 1) + ")" : name,
                        "unknown column; known: " + known());
            }
            if (columns.put(name, i) != null) {
                throw new BadInputException(source, 1, name, "column appears twice");
            }
        }
        for (String required : REQUIRED) {
            if (!columns.containsKey(required)) {
                throw new BadInputException(source, 1, required, "required column is missing");
            }
        }
        if (columns.containsKey(CAUSE) != columns.containsKey(SLOWDOWN)) {
            throw new BadInputException(source, 1, columns.containsKey(CAUSE) ? SLOWDOWN : CAUSE,
                    "the label columns cause and slowdown come together");
        }
        return columns;
    }

    private static String known() {
        List<String> all = new ArrayList<>(REQUIRED);
        for (Signal s : Signal.values()) {
            all.add(s.column());
        }
        all.addAll(PLACEMENT);
        all.add(TIME);
        all.addAll(LABELS);
        return String.join(", ", all);
    }

    private StepRow row(String text, int line, Map<String, Integer> columns) {
        if (text.indexOf('"') >= 0) {
            throw new BadInputException(source, line, "(row)", "quoted fields are not supported");
        }
        String[] cells = text.split(",", -1);
        if (cells.length != columns.size()) {
            throw new BadInputException(source, line, "(row)", "expected " + columns.size() + " fields, got "
                    + cells.length);
        }
        Map<String, String> cell = new HashMap<>();
        columns.forEach((name, i) -> cell.put(name, cells[i].strip()));
        String job = id(cell, "job", line);
        String worker = id(cell, "worker", line);
        long step = step(cell.get("step"), line);
        double stepTime = number(cell.get("step_time"), "step_time", line);
        if (!(stepTime > 0)) {
            throw new BadInputException(source, line, "step_time", "must be positive, got " + cell.get("step_time"));
        }
        Signals signals = signals(cell, line);
        WorkerLocation placement = new WorkerLocation(optional(cell, "host"), optional(cell, "nic"), optional(cell, "switch"));
        return new StepRow(line, job, worker, new WorkerSample(step, stepTime, time(cell, line), signals), placement,
                truth(cell, line));
    }

    private Optional<Instant> time(Map<String, String> cell, int line) {
        Optional<String> v = optional(cell, TIME);
        try {
            return v.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new BadInputException(source, line, TIME, "not an ISO-8601 instant such as "
                    + "2026-11-22T10:15:30.250Z: '" + v.get() + "'");
        }
    }

    private Optional<Truth> truth(Map<String, String> cell, int line) {
        if (!cell.containsKey(CAUSE)) {
            return Optional.empty();
        }
        String label = id(cell, CAUSE, line);
        Cause cause = Arrays.stream(Cause.values()).filter(c -> c != Cause.UNKNOWN && c.label().equals(label))
                .findFirst().orElseThrow(() -> new BadInputException(source, line, CAUSE, "not a cause label: '"
                        + label + "'; known: " + Arrays.stream(Cause.values()).filter(c -> c != Cause.UNKNOWN)
                        .map(Cause::label).collect(Collectors.joining(", "))));
        double slowdown = number(cell.get(SLOWDOWN), SLOWDOWN, line);
        if (!(slowdown > 0)) {
            throw new BadInputException(source, line, SLOWDOWN, "must be positive, got " + cell.get(SLOWDOWN));
        }
        return Optional.of(new Truth(cause, slowdown));
    }

    private Signals signals(Map<String, String> cell, int line) {
        Signals signals = Signals.none();
        for (Signal s : Signal.values()) {
            String v = cell.get(s.column());
            if (v == null || v.isEmpty()) {
                continue;
            }
            double value = number(v, s.column(), line);
            if (!s.accepts(value)) {
                throw new BadInputException(source, line, s.column(), "must be " + s.range() + ", got " + v);
            }
            signals = signals.with(s, value);
        }
        return signals;
    }

    private String id(Map<String, String> cell, String field, int line) {
        String v = cell.get(field);
        if (v.isEmpty()) {
            throw new BadInputException(source, line, field, "is empty");
        }
        return v;
    }

    private long step(String v, int line) {
        try {
            long step = Long.parseLong(v);
            if (step < 0) {
                throw new BadInputException(source, line, "step", "must not be negative, got " + v);
            }
            return step;
        } catch (NumberFormatException e) {
            throw new BadInputException(source, line, "step", "not an integer: '" + v + "'");
        }
    }

    private double number(String v, String field, int line) {
        if (v.isEmpty()) {
            throw new BadInputException(source, line, field, "is empty");
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new BadInputException(source, line, field, "not a finite number: '" + v + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadInputException(source, line, field, "not a number: '" + v + "'");
        }
    }

    private static Optional<String> optional(Map<String, String> cell, String field) {
        String v = cell.get(field);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}
