package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.io.StepCsvReader;
import dev.coxswain.graphmodels.io.StepRow;
import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InjectionLabelsTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** Workers w0 and w1 step every second for 30 s; w0 takes 300 ms instead of 100 from 10 s to 20 s. */
    private static List<StepRow> rows() {
        List<StepRow> rows = new ArrayList<>();
        int line = 2;
        for (int s = 0; s < 30; s++) {
            for (String w : List.of("w0", "w1")) {
                double ms = w.equals("w0") && s >= 10 && s < 20 ? 300 : 100;
                rows.add(new StepRow(line++, "job", w, new WorkerSample(s, ms, Optional.of(T0.plusSeconds(s)),
                        Signals.none()), WorkerLocation.unknown(), Optional.empty()));
            }
        }
        return rows;
    }

    @Test
    void labelsTheStepsThatEndedWhileTheInjectionWasInForceWithItsMeasuredSlowdown() throws Exception {
        List<StepRow> rows = rows();
        InjectionLabels labels = new InjectionLabels(rows, List.of(
                new Injection("w0", "slowdown", T0.plusSeconds(10), T0.plusSeconds(20))));

        assertThat(labels.injectionTruths()).containsExactly(new Truth(Cause.IMBALANCE, 3.0));
        assertThat(labels.counts(rows)).containsEntry(Cause.IMBALANCE, 10).containsEntry(Cause.NONE, 50);
        StringWriter out = new StringWriter();
        labels.write(rows, out);
        List<StepRow> back = new StepCsvReader("labelled.csv").read(new StringReader(out.toString()));
        assertThat(back).hasSize(60);
        assertThat(back).filteredOn(r -> r.truth().orElseThrow().cause() == Cause.IMBALANCE)
                .extracting(r -> r.workerId() + "@" + r.sample().step())
                .containsExactly("w0@10", "w0@11", "w0@12", "w0@13", "w0@14", "w0@15", "w0@16", "w0@17", "w0@18",
                        "w0@19");
    }

    @Test
    void aRecordingWithoutTimesCannotBeLabelled() {
        StepRow untimed = new StepRow(2, "job", "w0", WorkerSample.of(1, 100), WorkerLocation.unknown(), Optional.empty());
        assertThatThrownBy(() -> new InjectionLabels(List.of(untimed), List.of(new Injection("w0",
                "input", T0, T0.plusSeconds(5))))).hasMessageContaining("line 2").hasMessageContaining("no time");
    }
}
