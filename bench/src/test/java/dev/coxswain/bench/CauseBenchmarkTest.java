package dev.coxswain.bench;

import dev.coxswain.trainer.inject.InjectionPlanParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CauseBenchmarkTest {
    @Test
    void theScenarioParsesAndEveryWorkerMeetsEveryFaultKind() {
        List<String> lines = CauseBenchmark.scenario(20);
        var scenario = InjectionPlanParser.parse(String.join("\n", lines), "bench");
        assertThat(scenario.injections()).hasSize(20);
        assertThat(scenario.injections().stream().map(i -> i.worker() + "/" + i.kind()).distinct().count())
                .as("4 workers x 4 fault kinds").isEqualTo(16);
        assertThat(scenario.injections().get(1).at()).isEqualTo(scenario.injections().get(0).at().plusSeconds(45));
    }
}
