package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.CoxswainModel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Golden check of the headline figures on two real traces (the repository's data/pollux-placements): Coxswain's
 * model beats the Pollux baseline on both splits, and the figures stay where docs/benchmarks/whatif.md records them.
 */
class PolluxEvaluationTest {

    /** Tests run in the module directory; the traces are vendored at the repository root. */
    static final Path DATA = Path.of("..", "data", "pollux-placements");

    @Test
    void coxswainBeatsPolluxOnBothSplitsOfTheBertAndResNet50Traces() {
        Path data = DATA;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<PolluxEvaluation.ModelResult> results = new PolluxEvaluation(data, 1, CoxswainModel.Options.defaults(),
                false).run(List.of("bert", "imagenet"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertThat(results).hasSize(2);
        for (PolluxEvaluation.ModelResult r : results) {
            assertThat(r.coxA().stepMapePct()).as(r.workload() + " split a").isLessThan(r.polluxA().stepMapePct());
            assertThat(r.coxB().stepMapePct()).as(r.workload() + " split b").isLessThan(r.polluxB().stepMapePct());
            assertThat(r.coxB().stepMapePct()).as(r.workload() + " split b").isLessThan(12);
            assertThat(r.coxA().queryRows() + r.coxA().measuredRows()).isEqualTo(r.rows());
        }
        PolluxEvaluation.ModelResult bert = results.get(0);
        assertThat(bert.coxA().stepMapePct()).isCloseTo(3.4, within(0.5));
        assertThat(bert.polluxB().stepMapePct()).isGreaterThan(35);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("bert", "imagenet");
    }

    @Test
    void splitsNeverShareARowAndSplitBMeasuresOnlyTwoNodeRows() {
        Path data = DATA.resolve("bert").resolve("placements.csv");
        var rows = dev.coxswain.whatif.calibrate.MeasurementCsv.readMeasured(data);
        Split a = Split.random(rows, 0.2, 1);
        assertThat(a.measured()).hasSize(108);
        assertThat(a.measured()).doesNotContainAnyElementsOf(a.query());
        assertThat(Split.random(rows, 0.2, 1).measured()).isEqualTo(a.measured());
        Split b = Split.byNodes(rows, 2);
        assertThat(b.measured()).allMatch(m -> m.placement().nodes() <= 2);
        assertThat(b.query()).allMatch(m -> m.placement().nodes() >= 3);
    }
}
