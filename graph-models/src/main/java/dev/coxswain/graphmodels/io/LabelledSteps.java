package dev.coxswain.graphmodels.io;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A labelled steps CSV (a steps file with the {@code cause, slowdown} columns, such as {@code coxswain bench causes
 * --record} writes from the trainer's recorded injections) as labelled jobs for training and evaluation.
 */
public final class LabelledSteps {

    private LabelledSteps() {
    }

    /** Reads {@code file}; every row must carry its label. */
    public static List<LabelledJob> read(Path file) throws IOException {
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return jobs(file.toString(), new StepCsvReader(file.toString()).read(in));
        }
    }

    /** One labelled job per job of {@code rows}, each worker's samples in step order with their truth. */
    static List<LabelledJob> jobs(String source, List<StepRow> rows) {
        Map<String, Truth> truth = new HashMap<>();
        for (StepRow r : rows) {
            truth.put(key(r.jobId(), r.workerId(), r.sample().step()), r.truth().orElseThrow(() ->
                    new BadInputException(source, r.line(), StepCsvReader.CAUSE,
                            "a labelled steps file needs the columns cause and slowdown")));
        }
        List<LabelledJob> jobs = new ArrayList<>();
        for (JobWindow w : OfflineDetection.windows(rows).values()) {
            Map<String, List<Truth>> byWorker = new HashMap<>();
            for (WorkerSeries worker : w.workers()) {
                byWorker.put(worker.workerId(), worker.samples().stream()
                        .map(s -> truth.get(key(w.jobId(), worker.workerId(), s.step()))).toList());
            }
            jobs.add(new LabelledJob(w, byWorker));
        }
        return jobs;
    }

    private static String key(String job, String worker, long step) {
        return job + '\u0000' + worker + '\u0000' + step;
    }
}
