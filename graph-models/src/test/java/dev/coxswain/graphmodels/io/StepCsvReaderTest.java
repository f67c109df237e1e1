package dev.coxswain.graphmodels.io;

import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.Signal;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StepCsvReaderTest {

    private static List<StepRow> read(String text) {
        return new StepCsvReader("steps.csv").read(new StringReader(text));
    }

    private static void assertError(String text, int line, String field, String problem) {
        assertThatThrownBy(() -> read(text)).isInstanceOfSatisfying(BadInputException.class, e -> {
            assertThat(e.line()).isEqualTo(line);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith("steps.csv:" + line + ": field '" + field + "'")
                    .contains(problem);
        });
    }

    @Test
    void readsRequiredAndOptionalColumnsInAnyOrder() {
        List<StepRow> rows = read("""
                step,job,worker,step_time,sm_clock_mhz,throttled,host,switch
                10,j1,w0,101.5,1980,0,h0,s0
                10,j1,w1,140,,1,h1,
                """);

        assertThat(rows).hasSize(2);
        StepRow first = rows.getFirst();
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.jobId()).isEqualTo("j1");
        assertThat(first.sample().step()).isEqualTo(10);
        assertThat(first.sample().ownStepMs()).isEqualTo(101.5);
        assertThat(first.sample().signals().get(Signal.SM_CLOCK_MHZ)).hasValue(1980);
        assertThat(first.placement().switchId()).contains("s0");
        StepRow second = rows.get(1);
        assertThat(second.sample().signals().get(Signal.SM_CLOCK_MHZ)).isEmpty();
        assertThat(second.sample().signals().get(Signal.THROTTLED)).hasValue(1);
        assertThat(second.placement().switchId()).isEqualTo(Optional.empty());
    }

    @Test
    void skipsBlankLinesButKeepsCountingThem() {
        assertError("job,worker,step,step_time\nj,w,1,5\n\nj,w,2,x\n", 4, "step_time", "not a number: 'x'");
    }

    @Test
    void badNumbersNameTheirLineAndField() {
        assertError("job,worker,step,step_time\nj,w,1,5\nj,w,2,-3\n", 3, "step_time", "must be positive");
        assertError("job,worker,step,step_time\nj,w,1.5,5\n", 2, "step", "not an integer: '1.5'");
        assertError("job,worker,step,step_time\nj,w,-1,5\n", 2, "step", "must not be negative");
        assertError("job,worker,step,step_time\nj,w,1,NaN\n", 2, "step_time", "not a finite number");
        assertError("job,worker,step,step_time,gpu_util\nj,w,1,5,140\n", 2, "gpu_util", "[0, 100]");
        assertError("job,worker,step,step_time,throttled\nj,w,1,5,yes\n", 2, "throttled", "not a number");
    }

    @Test
    void emptyIdsAndWrongFieldCountsAreRejected() {
        assertError("job,worker,step,step_time\n,w,1,5\n", 2, "job", "is empty");
        assertError("job,worker,step,step_time\nj,w,1\n", 2, "(row)", "expected 4 fields, got 3");
        assertError("job,worker,step,step_time\nj,\"w\",1,5\n", 2, "(row)", "quoted");
    }

    @Test
    void headerProblemsAreReportedOnLineOne() {
        assertError("", 1, "header", "empty");
        assertError("job,worker,step\n", 1, "step_time", "required column is missing");
        assertError("job,worker,step,step_time,gpu_temp\n", 1, "gpu_temp", "unknown column");
        assertError("job,worker,step,step_time,job\n", 1, "job", "appears twice");
    }

    @Test
    void aWorkerStepGivenTwiceIsRejectedAtItsSecondLine() {
        assertError("job,worker,step,step_time\nj,w,1,5\nj,v,1,5\nj,w,1,6\n", 4, "step", "appears twice");
    }

    @Test
    void readsTheTimeAndTheLabels() {
        List<StepRow> rows = read("job,worker,step,step_time,time,cause,slowdown\n"
                + "j,w,1,5,2026-11-22T10:15:30.250Z,network,1.8\nj,w,2,5,,none,1\n");
        assertThat(rows.get(0).sample().timestamp()).contains(Instant.parse("2026-11-22T10:15:30.250Z"));
        assertThat(rows.get(0).truth()).contains(new Truth(Cause.NETWORK, 1.8));
        assertThat(rows.get(1).sample().timestamp()).isEmpty();
        assertThat(rows.get(1).truth()).contains(Truth.HEALTHY);
        assertThat(read("job,worker,step,step_time\nj,w,1,5\n").getFirst().truth()).isEmpty();
    }

    @Test
    void badTimesAndLabelsNameTheirLineAndField() {
        assertError("job,worker,step,step_time,time\nj,w,1,5,10:15\n", 2, "time", "ISO-8601");
        assertError("job,worker,step,step_time,cause\n", 1, "slowdown", "come together");
        assertError("job,worker,step,step_time,cause,slowdown\nj,w,1,5,slow,1.5\n", 2, "cause",
                "not a cause label: 'slow'; known: none, gpu_compute");
        assertError("job,worker,step,step_time,cause,slowdown\nj,w,1,5,unknown,1.5\n", 2, "cause",
                "not a cause label");
        assertError("job,worker,step,step_time,cause,slowdown\nj,w,1,5,network,0\n", 2, "slowdown",
                "must be positive");
        assertError("job,worker,step,step_time,cause,slowdown\nj,w,1,5,,1\n", 2, "cause", "is empty");
    }
}
