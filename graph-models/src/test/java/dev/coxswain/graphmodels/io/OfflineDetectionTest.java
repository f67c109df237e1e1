package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OfflineDetectionTest {

    @Test
    void writesOneLinePerInputRowInInputOrderUsingOnlyEarlierSteps() throws Exception {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time\n");
        // Rows deliberately out of step order, two jobs interleaved.
        for (int step = 19; step >= 0; step--) {
            for (int w = 0; w < 4; w++) {
                double t = (w == 3 && step >= 10) ? 150 : 100;
                csv.append("a,w").append(w).append(',').append(step).append(',').append(t).append('\n');
                csv.append("b,w").append(w).append(',').append(step).append(",100\n");
            }
        }
        List<StepRow> rows = new StepCsvReader("in.csv").read(new StringReader(csv.toString()));
        List<WorkerVerdict> verdicts = new OfflineDetection(DetectorConfig.immediate(), new RuleCauseAttributor())
                .run(rows);
        StringWriter out = new StringWriter();
        new DetectionCsvWriter().write(rows, verdicts, out);
        List<String> lines = out.toString().lines().toList();

        assertThat(lines).hasSize(rows.size() + 1);
        assertThat(lines.getFirst()).isEqualTo("job,worker,step,straggler,score,cause");
        assertThat(lines.get(1)).startsWith("a,w0,19,0,");
        String[] confirmed = line(lines, "a,w3,12,").split(",");
        assertThat(confirmed[3]).isEqualTo("1");
        assertThat(Double.parseDouble(confirmed[4])).isGreaterThanOrEqualTo(0.5);
        assertThat(confirmed[5]).as("no telemetry and healthy before: no cause to name").isEqualTo("unknown");
        assertThat(line(lines, "a,w3,11,").split(",")[3]).as("only two slow samples yet").isEqualTo("0");
        assertThat(lines).filteredOn(l -> l.startsWith("b,")).allSatisfy(l -> assertThat(l).contains(",0,")
                .endsWith(",none"));
    }

    @Test
    void withTheDefaultDecisionDelayEveryRowStillGetsAVerdictAndTheOnsetIsFlaggedFromItsStep() {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time\n");
        for (int step = 0; step < 20; step++) {
            for (int w = 0; w < 4; w++) {
                csv.append("a,w").append(w).append(',').append(step).append(',')
                        .append(w == 3 && step >= 10 ? 150 : 100).append('\n');
            }
        }
        csv.append("a,w4,0,100\n"); // one sample: nothing can decide about it
        List<StepRow> rows = new StepCsvReader("in.csv").read(new StringReader(csv.toString()));
        List<WorkerVerdict> verdicts = new OfflineDetection(DetectorConfig.defaults(),
                new RuleCauseAttributor()).run(rows);

        assertThat(verdicts).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(verdicts.get(i).step()).isEqualTo(rows.get(i).sample().step());
            assertThat(verdicts.get(i).workerId()).isEqualTo(rows.get(i).workerId());
        }
        assertThat(verdicts).filteredOn(v -> v.workerId().equals("w3") && v.straggler())
                .extracting(WorkerVerdict::step).containsExactly(10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        assertThat(verdicts.getLast().straggler()).isFalse();
        assertThat(verdicts.getLast().ratio()).isNaN();
    }

    /**
     * A plain DDP job: every rank's step lasts as long as the slowest rank's (200 ms), and the fast ranks spend the
     * difference inside the all-reduce. w3 computes 2x slower from step 10; the others then wait 90 ms in their
     * communication while their links carry the same 20 ms transfer. The slow rank is found, for its compute; the
     * waiting ranks are not called slow on the network.
     */
    @Test
    void findsTheSlowRankOfAnAllReduceJobWhoseRanksReportEqualStepTimes() {
        StringBuilder csv = new StringBuilder("job,worker,step,step_time,compute_time,comm_time\n");
        for (int step = 0; step < 40; step++) {
            boolean slow = step >= 10;
            for (int w = 0; w < 4; w++) {
                double compute = w == 3 && slow ? 180 : 90;
                double step_ = slow ? 200 : 110;
                csv.append("ddp,w").append(w).append(',').append(step).append(',').append(step_).append(',')
                        .append(compute).append(',').append(step_ - compute).append('\n');
            }
        }
        List<StepRow> rows = new StepCsvReader("ddp.csv").read(new StringReader(csv.toString()));
        List<WorkerVerdict> verdicts = new OfflineDetection(DetectorConfig.defaults(), new RuleCauseAttributor())
                .run(rows);

        assertThat(verdicts).filteredOn(WorkerVerdict::straggler).extracting(WorkerVerdict::workerId)
                .containsOnly("w3");
        assertThat(verdicts).filteredOn(v -> v.workerId().equals("w3") && v.step() >= 12)
                .allSatisfy(v -> {
                    assertThat(v.straggler()).isTrue();
                    assertThat(v.attribution().cause().label()).isEqualTo("imbalance");
                });
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }
}
