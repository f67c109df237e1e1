package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.stats.Median;
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
 * the injection's expected cause ({@link Injection#expectedCause}) and its measured slowdown, the median own step
 * time of the worker's labelled steps over the median of its peers' steps in the same time span. Every other
 * worker-step is healthy ({@link Truth#HEALTHY}).
 */
public final class InjectionLabels {

    private final List<Injection> injections;
    private final Map<Injection, Truth> truths = new HashMap<>();

    /** @param rows the recording, every row with its {@code time} */
    public InjectionLabels(List<StepRow> rows, List<Injection> injections) {
        this.injections = List.copyOf(injections);
        for (Injection i : injections) {
            List<Double> own = new ArrayList<>();
            List<Double> peers = new ArrayList<>();
            for (StepRow r : rows) {
                if (i.during(time(r))) {
                    (r.workerId().equals(i.worker()) ? own : peers).add(r.sample().ownStepMs());
                }
            }
            double slowdown = own.isEmpty() || peers.isEmpty() ? 1.0 : Median.of(own) / Median.of(peers);
            truths.put(i, new Truth(i.expectedCause(), slowdown));
        }
    }

    /** The truth of one recorded worker-step. */
    public Truth truth(StepRow row) {
        Instant t = time(row);
        for (Injection i : injections) {
            if (i.worker().equals(row.workerId()) && i.during(t)) {
                return truths.get(i);
            }
        }
        return Truth.HEALTHY;
    }

    /** The injections' causes and measured slowdowns, in the order given. */
    public List<Truth> injectionTruths() {
        return injections.stream().map(truths::get).toList();
    }

    /** Writes {@code rows} with their labels as a labelled steps CSV. */
    public void write(List<StepRow> rows, Writer out) throws IOException {
        StepCsvWriter csv = new StepCsvWriter(out, true);
        for (StepRow r : rows) {
            csv.write(r.jobId(), r.workerId(), r.sample(), r.placement(), Optional.of(truth(r)));
        }
        csv.flush();
    }

    /** How many rows carry each cause. */
    public Map<Cause, Integer> counts(List<StepRow> rows) {
        Map<Cause, Integer> n = new HashMap<>();
        rows.forEach(r -> n.merge(truth(r).cause(), 1, Integer::sum));
        return n;
    }


    private static Instant time(StepRow r) {
        return r.sample().timestamp().orElseThrow(() -> new IllegalArgumentException("line " + r.line()
                + ": the recording has no time for this step"));
    }
}
