package dev.coxswain.graphmodels.io;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.Signals;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepCsvWriterTest {
    private static final Instant T = Instant.parse("2026-11-22T10:15:30.250Z");
    private static final WorkerLocation PLACED = WorkerLocation.of("h1", "h1/eth0", "sw");

    @Test
    void whatItWritesReadsBackWithTimeSignalsPlacementAndLabels() throws Exception {
        StringWriter text = new StringWriter();
        StepCsvWriter csv = new StepCsvWriter(text, true);
        WorkerSample a = new WorkerSample(7, 171.23456, Optional.of(T),
                Signals.none().with(Signal.COMPUTE_MS, 150.5).with(Signal.CPU_UTIL_PCT, 61));
        WorkerSample b = new WorkerSample(8, 340, Optional.of(T.plusMillis(340)), Signals.none());
        csv.write("job-1", "w0", a, PLACED, Optional.of(Truth.HEALTHY));
        csv.write("job-1", "w0", b, PLACED, Optional.of(new Truth(Cause.IMBALANCE, 1.987654)));
        csv.flush();

        List<StepRow> rows = new StepCsvReader("rec.csv").read(new StringReader(text.toString()));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).sample()).isEqualTo(new WorkerSample(7, 171.235, Optional.of(T), a.signals()));
        assertThat(rows.get(0).placement()).isEqualTo(PLACED);
        assertThat(rows.get(1).sample()).isEqualTo(b);
        assertThat(rows.get(1).truth()).contains(new Truth(Cause.IMBALANCE, 1.988));

        List<LabelledJob> jobs = LabelledSteps.jobs("rec.csv", rows);
        assertThat(jobs).singleElement().satisfies(j -> {
            assertThat(j.truthAt("w0", 7)).isEqualTo(Truth.HEALTHY);
            assertThat(j.truthAt("w0", 8).cause()).isEqualTo(Cause.IMBALANCE);
        });
    }

    @Test
    void anUnlabelledFileHasNoLabelColumnsAndCannotTrain() throws Exception {
        StringWriter text = new StringWriter();
        StepCsvWriter csv = new StepCsvWriter(text, false);
        csv.write("j", "w", WorkerSample.of(1, 5), WorkerLocation.unknown(), Optional.empty());
        assertThat(text.toString()).startsWith("job,worker,step,step_time,time,").doesNotContain("cause");
        assertThatThrownBy(() -> csv.write("j", "w", WorkerSample.of(2, 5), WorkerLocation.unknown(),
                Optional.of(Truth.HEALTHY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> csv.write("j,k", "w", WorkerSample.of(2, 5), WorkerLocation.unknown(),
                Optional.empty())).hasMessageContaining("without commas");

        List<StepRow> rows = new StepCsvReader("rec.csv").read(new StringReader(text.toString()));
        assertThatThrownBy(() -> LabelledSteps.jobs("rec.csv", rows))
                .isInstanceOfSatisfying(BadInputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("needs the columns cause and slowdown");
                });
    }
}
