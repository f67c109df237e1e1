package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.core.BadInputException;
import dev.coxswain.graphmodels.window.JobWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaiMinibatchTest {

    @TempDir
    Path dir;

    private static Path excerpt() throws Exception {
        return Path.of(PaiMinibatchTest.class.getResource("/pai/job_2_first60.csv").toURI());
    }

    @Test
    void onRealHeterogeneousWorkersTheDetectorFlagsTheSlowSevenAndNotTheFastThree() throws Exception {
        JobWindow job = PaiMinibatch.read(excerpt(), "pai-2").window();
        assertThat(job.workers()).hasSize(10);
        Set<WorkerStep> flags = DetectorRun.flags(job, DetectorConfig.immediate(), new RuleCauseAttributor());

        Set<String> flaggedAtEnd = flags.stream().filter(f -> f.step() == 591).map(WorkerStep::workerId)
                .collect(Collectors.toSet());
        assertThat(flaggedAtEnd).containsExactlyInAnyOrder("w3", "w4", "w5", "w6", "w7", "w8", "w9");
        DetectionScores s = DetectionScorer.score(OracleLabels.of(job), flags);
        assertThat(s.precision()).isGreaterThan(0.98);
        assertThat(s.recall()).isGreaterThan(0.95);
        // The peer median sits among the slow workers: the baseline misses nearly all of them.
        assertThat(DetectionScorer.score(OracleLabels.of(job), PeerMedianBaseline.standard().flags(job)).recall())
                .isLessThan(0.2);
    }

    @Test
    void exactDuplicateRowsAreDroppedAndCountedConflictingOnesRejected() throws Exception {
        Path dup = Files.writeString(dir.resolve("d.csv"),
                ",worker,gpu,time,batch_time_norm\n0,0,20,1,700\n1,1,20,1,710\n2,1,20,1,710\n");
        assertThat(PaiMinibatch.read(dup, "d").duplicatesDropped()).isEqualTo(1);

        Path conflict = Files.writeString(dir.resolve("c.csv"),
                ",worker,gpu,time,batch_time_norm\n0,0,20,1,700\n1,0,20,1,710\n");
        assertThatThrownBy(() -> PaiMinibatch.read(conflict, "c")).isInstanceOf(BadInputException.class)
                .hasMessageContaining("c.csv:3: field 'batch_time_norm'");
    }

    @Test
    void badRowsNameTheirLineAndField() throws Exception {
        Path bad = Files.writeString(dir.resolve("b.csv"),
                ",worker,gpu,time,batch_time_norm\n0,0,20,1,700\n1,x,20,1,710\n");
        assertThatThrownBy(() -> PaiMinibatch.read(bad, "b")).hasMessageContaining("b.csv:3: field 'worker'");
    }
}
