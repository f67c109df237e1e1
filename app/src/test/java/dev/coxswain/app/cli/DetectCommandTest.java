package dev.coxswain.app.cli;

import dev.coxswain.core.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesOneVerdictPerInputRow() throws Exception {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time,sm_clock_mhz,throttled\n");
        for (int step = 0; step < 12; step++) {
            for (int w = 0; w < 4; w++) {
                boolean slow = w == 2 && step >= 4;
                csv.append("j,w").append(w).append(',').append(step).append(',').append(slow ? 150 : 100)
                        .append(',').append(slow ? 1200 : 1980).append(',').append(slow ? 1 : 0).append('\n');
            }
        }
        Path in = Files.writeString(dir.resolve("steps.csv"), csv);
        Path out = dir.resolve("out.csv");

        int rc = new DetectCommand().run(List.of("--steps", in.toString(), "--out", out.toString()));

        List<String> lines = Files.readAllLines(out);
        assertThat(rc).isZero();
        assertThat(lines).hasSize(49).first().isEqualTo("job,worker,step,straggler,score,cause");
        assertThat(lines).filteredOn(l -> l.startsWith("j,w2,11,")).singleElement().asString()
                .matches("j,w2,11,1,[01]\\.\\d{4},gpu_compute");
        assertThat(lines).filteredOn(l -> l.startsWith("j,w0,")).allSatisfy(l -> assertThat(l).endsWith(",0,0.0000,none"));
    }

    @Test
    void readsARecordingWithItsTimesAndLabels() throws Exception {
        Path in = Files.writeString(dir.resolve("rec.csv"), "job,worker,step,step_time,time,cause,slowdown\n"
                + "j,w0,1,100,2026-11-22T10:00:00Z,none,1\nj,w1,1,100,2026-11-22T10:00:00.100Z,imbalance,1.9\n");
        Path out = dir.resolve("out.csv");

        assertThat(new DetectCommand().run(List.of("--steps", in.toString(), "--out", out.toString()))).isZero();
        assertThat(Files.readAllLines(out)).hasSize(3);
    }

    @Test
    void theDefaultDecisionDelayFlagsASlowdownFromItsFirstStepAndDelayZeroDecidesAtOnce() throws Exception {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time\n");
        for (int step = 0; step < 12; step++) {
            for (int w = 0; w < 4; w++) {
                csv.append("j,w").append(w).append(',').append(step).append(',')
                        .append(w == 2 && step >= 4 ? 150 : 100).append('\n');
            }
        }
        Path in = Files.writeString(dir.resolve("steps.csv"), csv);
        Path out = dir.resolve("out.csv");

        assertThat(new DetectCommand().run(List.of("--steps", in.toString(), "--out", out.toString()))).isZero();
        assertThat(Files.readAllLines(out)).filteredOn(l -> l.startsWith("j,w2,4,")).singleElement().asString()
                .contains(",1,");
        assertThat(new DetectCommand().run(List.of("--steps", in.toString(), "--out", out.toString(), "--delay",
                "0"))).isZero();
        assertThat(Files.readAllLines(out)).filteredOn(l -> l.startsWith("j,w2,4,")).singleElement().asString()
                .as("at once, one slow sample is not enough").contains(",0,");
        assertThatThrownBy(() -> new DetectCommand().run(List.of("--steps", in.toString(), "--out",
                out.toString(), "--delay", "-1"))).isInstanceOf(UsageException.class);
    }

    @Test
    void aBadRowIsReportedWithFileLineAndField() throws Exception {
        Path in = Files.writeString(dir.resolve("bad.csv"), "job,worker,step,step_time\nj,w0,1,100\nj,w0,2,-4\n");

        assertThatThrownBy(() -> new DetectCommand().run(List.of("--steps", in.toString(), "--out",
                dir.resolve("o.csv").toString()))).isInstanceOf(BadInputException.class)
                .hasMessage(in + ":3: field 'step_time': must be positive, got -4");
    }

    @Test
    void missingOrUnknownOptionsAreUsageErrors() {
        assertThatThrownBy(() -> new DetectCommand().run(List.of("--out", "x.csv")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--steps is required");
        assertThatThrownBy(() -> new DetectCommand().run(List.of("--steps", "a", "--fast", "1")))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown option '--fast'");
    }
}
