package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the per-worker mini-batch times of the Alibaba PAI trace (cluster-trace-gpu-v2020, mini-batch-time;
 * CC BY 4.0): {@code ,worker,gpu,time,batch_time_norm}, where {@code time} is the iteration and
 * {@code batch_time_norm} the normalised mini-batch time. Real measurements; no telemetry, no placement.
 */
public final class PaiMinibatch {

    private static final String HEADER = ",worker,gpu,time,batch_time_norm";

    private PaiMinibatch() {
    }

    /**
     * A job window and the number of exact duplicate rows dropped (same worker, iteration and time; the trace has
     * such rows where a job winds down). A duplicate with a different time is an error.
     */
    public record Loaded(JobWindow window, int duplicatesDropped) {
    }

    /** One job window with workers {@code w0..w9} and steps from the {@code time} column. */
    public static Loaded read(Path file, String jobId) throws IOException {
        String source = file.toString();
        Map<Integer, Map<Long, WorkerSample>> byWorker = new TreeMap<>();
        int duplicates = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String header = r.readLine();
            if (header == null || !header.strip().equals(HEADER)) {
                throw new BadInputException(source, 1, "header", "expected '" + HEADER + "', got '" + header + "'");
            }
            String text;
            int line = 1;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                String[] f = text.split(",", -1);
                if (f.length != 5) {
                    throw new BadInputException(source, line, "(row)", "expected 5 fields, got " + f.length);
                }
                int worker = (int) integer(f[1], source, line, "worker");
                long step = integer(f[3], source, line, "time");
                double time = number(f[4], source, line, "batch_time_norm");
                WorkerSample before = byWorker.computeIfAbsent(worker, k -> new TreeMap<>())
                        .putIfAbsent(step, WorkerSample.of(step, time));
                if (before != null && before.ownStepMs() != time) {
                    throw new BadInputException(source, line, "batch_time_norm", "worker " + worker + " time "
                            + step + " appears twice with different values");
                }
                duplicates += before != null ? 1 : 0;
            }
        }
        List<WorkerSeries> workers = new ArrayList<>();
        byWorker.forEach((w, samples) ->
                workers.add(new WorkerSeries("w" + w, WorkerLocation.unknown(), new ArrayList<>(samples.values()))));
        return new Loaded(new JobWindow(jobId, workers), duplicates);
    }

    private static long integer(String v, String source, int line, String field) {
        try {
            long x = Long.parseLong(v.strip());
            if (x < 0) {
                throw new BadInputException(source, line, field, "negative: " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new BadInputException(source, line, field, "not an integer: '" + v + "'");
        }
    }

    private static double number(String v, String source, int line, String field) {
        try {
            double x = Double.parseDouble(v.strip());
            if (!(x > 0) || Double.isInfinite(x)) {
                throw new BadInputException(source, line, field, "must be a positive number, got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new BadInputException(source, line, field, "not a number: '" + v + "'");
        }
    }
}
