package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * Writes a steps CSV that {@link StepCsvReader} reads back: the required columns, {@code time}, every {@link Signal}
 * column, the placement columns and, when {@code labelled}, the label columns. Values are written with at most
 * three decimals; a missing value is an empty cell. Ids must not contain commas, quotes or line breaks.
 */
public final class StepCsvWriter {

    private final Writer out;
    private final boolean labelled;

    /** Writes the header at once. */
    public StepCsvWriter(Writer out, boolean labelled) throws IOException {
        this.out = out;
        this.labelled = labelled;
        List<String> header = new ArrayList<>(StepCsvReader.REQUIRED);
        header.add(StepCsvReader.TIME);
        for (Signal s : Signal.values()) {
            header.add(s.column());
        }
        header.addAll(StepCsvReader.PLACEMENT);
        if (labelled) {
            header.addAll(StepCsvReader.LABELS);
        }
        out.write(String.join(",", header) + "\n");
    }

    /** One row; {@code truth} must be present exactly when the file is labelled. */
    public void write(String jobId, String workerId, WorkerSample s, WorkerLocation placement, Optional<Truth> truth)
            throws IOException {
        if (truth.isPresent() != labelled) {
            throw new IllegalArgumentException(labelled ? "a labelled file needs the truth of every row"
                    : "this file has no label columns");
        }
        StringJoiner row = new StringJoiner(",");
        row.add(id(jobId)).add(id(workerId)).add(Long.toString(s.step())).add(number(s.ownStepMs()));
        row.add(s.timestamp().map(Object::toString).orElse(""));
        for (Signal signal : Signal.values()) {
            OptionalDouble v = s.signals().get(signal);
            row.add(v.isPresent() ? number(v.getAsDouble()) : "");
        }
        row.add(placement.host().map(StepCsvWriter::id).orElse(""));
        row.add(placement.nic().map(StepCsvWriter::id).orElse(""));
        row.add(placement.switchId().map(StepCsvWriter::id).orElse(""));
        if (truth.isPresent()) {
            row.add(truth.get().cause().label()).add(number(truth.get().slowdown()));
        }
        out.write(row + "\n");
    }

    public void flush() throws IOException {
        out.flush();
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    private static String id(String id) {
        if (id.isEmpty() || id.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            throw new IllegalArgumentException("an id in a steps CSV must be non-empty, without commas, quotes or"
                    + " line breaks: '" + id + "'");
        }
        return id;
    }
}
