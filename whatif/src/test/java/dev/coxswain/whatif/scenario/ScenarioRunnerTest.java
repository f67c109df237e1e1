package dev.coxswain.whatif.scenario;

import dev.coxswain.core.json.JsonParser;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioRunnerTest {
    private static final ClusterSpec G4DN = ClusterPresets.get("g4dn-12xlarge");
    private static final ModelProfile MODEL = new ModelProfile("m", List.of(
            new ModelProfile.ComputeCost("T4", 0.05, 0.01, 65)), 100_000_000L, 25L << 20, 0.33, 0);
    private static final JobSpec BASE = new JobSpec("j", MODEL, new SyncSpec.AllReduce(SyncSpec.Algorithm.RING),
            List.of(0, 1, 4, 5), Collections.nCopies(4, 8), 1, 10, List.of(), 0);

    private static Question q(String name, OptionalInt batch, Optional<String> placement, Optional<String> link,
                              OptionalInt move, Optional<String> to) {
        return new Question(name, batch, placement, OptionalInt.empty(), link,
                link.isPresent() ? OptionalDouble.of(0.1) : OptionalDouble.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalDouble.empty(), move, to);
    }

    @Test
    void placementAndMovedWorkerChangeTheJobsGpus() {
        JobSpec p = ScenarioRunner.apply(q("p", OptionalInt.empty(), Optional.of("1111"), Optional.empty(),
                OptionalInt.empty(), Optional.empty()), BASE, G4DN);
        assertThat(p.workerGpus()).containsExactly(0, 4, 8, 12);
        JobSpec m = ScenarioRunner.apply(q("m", OptionalInt.of(16), Optional.empty(), Optional.empty(),
                OptionalInt.of(3), Optional.of("7:0")), BASE, G4DN);
        assertThat(m.workerGpus()).containsExactly(0, 1, 4, 28);
        assertThat(m.localBatch()).containsOnly(16);
        assertThatThrownBy(() -> ScenarioRunner.apply(q("x", OptionalInt.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.of(3), Optional.of("0:1")), BASE, G4DN)).hasMessageContaining("already used");
    }

    @Test
    void aWorkerMovedOffTheClusterIsRefusedWithWhatExists() {
        assertThatThrownBy(() -> ScenarioRunner.apply(q("far", OptionalInt.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(3), Optional.of("99:0")), BASE, G4DN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("question 'far': no node 99 (the cluster has nodes 0 to " + (G4DN.nodeCount() - 1) + ")");
        assertThatThrownBy(() -> ScenarioRunner.apply(q("gpu", OptionalInt.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(3), Optional.of("7:4")), BASE, G4DN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("question 'gpu': node 7 has GPUs 0 to 3, not 4");
    }

    @Test
    void aSlowerNicSlowsTheStepAndTheReportCarriesEveryAnswer() throws Exception {
        Scenario s = new Scenario("t", ClusterPresets.get("hgx-a100"), new JobSpec("j", MODEL,
                new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), List.of(0, 8), List.of(8, 8), 1, 10, List.of(), 0),
                List.of(q("nic/10", OptionalInt.empty(), Optional.empty(), Optional.of("nic"), OptionalInt.empty(),
                        Optional.empty())), 10, 1, Optional.empty());
        List<Answer> answers = new ScenarioRunner(s, Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"),
                ZoneOffset.UTC)).run();
        assertThat(answers).extracting(Answer::question).containsExactly("baseline", "nic/10");
        assertThat(answers.get(1).simStepSec()).isGreaterThan(answers.get(0).simStepSec());
        String html = HtmlReport.render("a <test> & chart", answers);
        assertThat(html).contains("<title>a &lt;test&gt; &amp; chart</title>", "<td>nic/10</td>",
                "export function whatIfOption", "echarts").doesNotContain("<test>");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) HtmlReport.json("t", answers).get("answers");
        assertThat(rows).extracting(r -> r.get("question")).containsExactly("baseline", "nic/10");
        assertThat(rows.get(1).get("calibratedStepSec")).isSameAs(JsonParser.NULL);
    }
}
