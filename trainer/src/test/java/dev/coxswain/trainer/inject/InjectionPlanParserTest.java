package dev.coxswain.trainer.inject;

import dev.coxswain.core.CoxswainException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InjectionPlanParserTest {

    @Test
    void readsEveryFaultKind() {
        InjectionPlan s = InjectionPlanParser.parse("""
                # a straggler after 5 s, for 30 s
                5s   w3 slowdown  factor=2.0 for=30s
                0s   w1 periodic  factor=3 period=10s slow=2s   # thermal
                10s  w2 latency   ms=20 for=1.5s
                12s  w1 input     ms=30 for=5s
                10s  w2 bandwidth mbit=80
                20s  w0 crash     restart_after=500ms
                """, "test.scn");
        assertThat(s.injections()).containsExactly(
                new Injection.Slowdown("w3", Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30)), 2.0),
                new Injection.PeriodicSlowdown("w1", Duration.ZERO, Optional.empty(), 3, Duration.ofSeconds(10),
                        Duration.ofSeconds(2)),
                new Injection.LinkLatency("w2", Duration.ofSeconds(10), Optional.of(Duration.ofMillis(1500)),
                        Duration.ofMillis(20)),
                new Injection.InputStall("w1", Duration.ofSeconds(12), Optional.of(Duration.ofSeconds(5)),
                        Duration.ofMillis(30)),
                new Injection.LinkBandwidth("w2", Duration.ofSeconds(10), Optional.empty(), 10_000_000),
                new Injection.Crash("w0", Duration.ofSeconds(20), Duration.ofMillis(500)));
        assertThat(s.linkShapedWorkers()).containsExactly("w2");
    }

    @Test
    void theDocumentedExampleScenarioParses() throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("../docs/scenarios/straggler-and-crash.scenario");
        InjectionPlan s = InjectionPlanParser.parse(java.nio.file.Files.readString(file), file.toString());
        assertThat(s.injections()).hasSize(5);
        assertThat(s.workers()).containsExactlyInAnyOrder("w0", "w1", "w2", "w3");
    }

    @Test
    void errorsNameTheLineAndTheProblem() {
        assertThatThrownBy(() -> InjectionPlanParser.parse("\n5s w3 slowdown factr=2", "f.scn"))
                .isInstanceOf(CoxswainException.class)
                .hasMessageContaining("f.scn:2").hasMessageContaining("no key 'factr'");
        assertThatThrownBy(() -> InjectionPlanParser.parse("5 w3 slowdown factor=2", "f.scn"))
                .hasMessageContaining("'5' is not a duration");
        assertThatThrownBy(() -> InjectionPlanParser.parse("5s w3 slowdown factor=0.5", "f.scn"))
                .hasMessageContaining("factor 0.5 must be in (1, 1000]");
        assertThatThrownBy(() -> InjectionPlanParser.parse("5s w3 melt", "f.scn")).hasMessageContaining("unknown fault");
        assertThatThrownBy(() -> InjectionPlanParser.parse("5s w3 input ms=0", "f.scn"))
                .hasMessageContaining("f.scn:1").hasMessageContaining("input stall");
        assertThatThrownBy(() -> InjectionPlanParser.parse("5s w3 periodic factor=2 period=1s slow=2s", "f.scn"))
                .hasMessageContaining("slow");
    }

    @Test
    void combinesWhatIsInForceAtAMoment() {
        InjectionPlan s = InjectionPlanParser.parse("""
                1s w0 slowdown factor=2 for=2s
                0s w0 periodic factor=3 period=10s slow=1s
                0s w1 latency ms=5
                0s w1 latency ms=30 for=1s
                0s w2 input ms=10
                1s w2 input ms=25 for=1s
                """, "s");
        assertThat(s.inputStallMs("w2", Duration.ofMillis(500))).isEqualTo(10.0);
        assertThat(s.inputStallMs("w2", Duration.ofMillis(1500))).isEqualTo(35.0);
        assertThat(s.inputStallMs("w0", Duration.ofMillis(1500))).isEqualTo(0.0);
        assertThat(s.slowdown("w0", true, Duration.ofMillis(500))).isEqualTo(3.0);
        assertThat(s.slowdown("w0", true, Duration.ofMillis(1500))).isEqualTo(2.0);
        assertThat(s.slowdown("w0", true, Duration.ofMillis(3500))).isEqualTo(1.0);
        assertThat(s.slowdown("w0", true, Duration.ofMillis(10_500))).isEqualTo(3.0);
        assertThat(s.link("w1", Duration.ofMillis(500)).latency()).isEqualTo(Duration.ofMillis(30));
        assertThat(s.link("w1", Duration.ofMillis(1500)).latency()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void aSlowDeviceSlowsTheWorkerOnlyWhileItStaysOnTheNodeItStartedOn() {
        InjectionPlan s = InjectionPlanParser.parse("""
                0s w3 slowdown factor=2 on=device
                0s w1 slowdown factor=3 on=worker
                """, "s");
        assertThat(s.slowdown("w3", true, Duration.ofSeconds(1))).isEqualTo(2.0);
        assertThat(s.slowdown("w3", false, Duration.ofSeconds(1))).isEqualTo(1.0);
        assertThat(s.slowdown("w1", false, Duration.ofSeconds(1))).isEqualTo(3.0);
        assertThat(s.injections().getFirst().attributes()).containsEntry("on", "device");
        assertThatThrownBy(() -> InjectionPlanParser.parse("0s w3 slowdown factor=2 on=gpu", "f.scn"))
                .hasMessageContaining("f.scn:1").hasMessageContaining("on=gpu: must be worker or device");
    }
}
