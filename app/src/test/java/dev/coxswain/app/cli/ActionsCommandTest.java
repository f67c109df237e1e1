package dev.coxswain.app.cli;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionsCommandTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void printsEachActionWithItsOutcomesInOrder() {
        Action a = new Action("c1-1", "j1", List.of(KnobSetting.worker("w3", Knob.BATCH_SIZE, 37)), "rebalance",
                "w3 computes at 0.50x", Map.of(), new ExpectedEffect(95.3, 59.3), "c1", false, T0,
                T0.plusSeconds(30), Optional.empty(), Optional.of("w3"), List.of());
        Action advice = new Action("c1-2", "j2", List.of(KnobSetting.job(Knob.STALENESS, 2)), "staleness", "slow link",
                Map.of(), new ExpectedEffect(150, 120), "c1", true, T0, T0.plusSeconds(30), Optional.empty(),
                Optional.of("w2"), List.of());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ActionsCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).print(List.of(a,
                ActionOutcome.of(a, ActionOutcome.Status.APPLIED, T0.plusSeconds(1), "applied by the job at step 40"),
                advice, new ActionOutcome("c1-1", "j1", ActionOutcome.Status.VERIFIED, T0.plusSeconds(4),
                        "step 60.0 ms", OptionalDouble.of(60))));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("2026-12-06T10:00:00Z c1-1 job j1: rebalance by c1", "[w3.batch_size=37]",
                "reason: w3 computes at 0.50x", "expected step 95.3 ms -> 59.3 ms",
                "2026-12-06T10:00:01Z applied: applied by the job at step 40",
                "2026-12-06T10:00:04Z verified: step 60.0 ms", "c1-2 job j2: staleness (advice) by c1");
        assertThat(out.indexOf("applied:")).isLessThan(out.indexOf("verified:"));
        assertThat(out.indexOf("verified:")).isLessThan(out.indexOf("c1-2"));
    }

    @Test
    void needsTheBrokerItReadsFrom() {
        assertThatThrownBy(() -> new ActionsCommand(System.out).run(List.of("--set", "kafka.bootstrap.servers=")))
                .isInstanceOf(UsageException.class).hasMessageContaining("kafka.bootstrap.servers");
    }
}
