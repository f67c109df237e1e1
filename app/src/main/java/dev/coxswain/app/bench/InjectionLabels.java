package dev.coxswain.app.bench;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.io.StepCsvWriter;
import dev.coxswain.graphmodels.io.StepRow;
import dev.coxswain.graphmodels.synth.Truth;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Labels the live detector's recorded input with the trainer's recorded injections, for training and evaluating
 * the models on real trainer telemetry. A worker-step is labelled with an injection when it ended while the
 * injection was in force on that worker (from its {@code injection.start} to its {@code injection.end} event):
 * the injection's expected cause ({@link CauseBenchmark#expected}) and its measured slowdown, the median own step
 * time of the worker's labelled steps over the median of its peers' steps in the same time span. Every other
 * worker-step is healthy ({@link Truth#HEALTHY}).
 */
final class InjectionLabels {

    private final List<CauseBenchmark.Injection> injections;
    private final Map<CauseBenchmark.Injection, Truth> truths = new HashMap<>();

    /** @param rows the recording, every row with its {@code time} */
    InjectionLabels(List<StepRow> rows, List<CauseBenchmark.Injection> injections) {
        this.injections = List.copyOf(injections);
        for (CauseBenchmark.Injection i : injections) {
            List<Double> own = new ArrayList<>();
            List<Double> peers = new ArrayList<>();
            for (StepRow r : rows) {
                if (during(i, time(r))) {
                    (r.workerId().equals(i.worker()) ? own : peers).add(r.sample().ownStepMs());
                }
            }
            double slowdown = own.isEmpty() || peers.isEmpty() ? 1.0 : Stats.median(own) / Stats.median(peers);
            truths.put(i, new Truth(CauseBenchmark.expected(i.fault()), slowdown));
        }
    }

    /** The truth of one recorded worker-step. */
    Truth truth(StepRow row) {
        Instant t = time(row);
        for (CauseBenchmark.Injection i : injections) {
            if (i.worker().equals(row.workerId()) && during(i, t)) {
                return truths.get(i);
            }
        }
        return Truth.HEALTHY;
    }

    /** The injections' causes and measured slowdowns, in the order given. */
    List<Truth> injectionTruths() {
        return injections.stream().map(truths::get).toList();
    }

    /** Writes {@code rows} with their labels as a labelled steps CSV. */
    void write(List<StepRow> rows, Writer out) throws IOException {
        StepCsvWriter csv = new StepCsvWriter(out, true);
        for (StepRow r : rows) {
            csv.write(r.jobId(), r.workerId(), r.sample(), r.placement(), Optional.of(truth(r)));
        }
        csv.flush();
    }

    /** How many rows carry each cause. */
    Map<Cause, Integer> counts(List<StepRow> rows) {
        Map<Cause, Integer> n = new HashMap<>();
        rows.forEach(r -> n.merge(truth(r).cause(), 1, Integer::sum));
        return n;
    }

    private static boolean during(CauseBenchmark.Injection i, Instant t) {
        return !t.isBefore(i.start()) && t.isBefore(i.end());
    }

    private static Instant time(StepRow r) {
        return r.sample().timestamp().orElseThrow(() -> new IllegalArgumentException("line " + r.line()
                + ": the recording has no time for this step"));
    }
}
