package dev.coxswain.agent.intake;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ActionIntakeTest {
    private final KnobStore store = new KnobStore();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<dev.coxswain.core.telemetry.Telemetry> reported = new java.util.ArrayList<>();
    private final ActionIntake intake = new ActionIntake(store, reported::add,
            java.time.Clock.fixed(Instant.parse("2026-12-06T10:00:01Z"), java.time.ZoneOffset.UTC), registry);

    private static Action rebalance(String id, String job) {
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        return new Action(id, job, List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 80),
                KnobSetting.worker("w1", Knob.BATCH_SIZE, 48), KnobSetting.job(Knob.STALENESS, 2)), "rebalance",
                "w1 is slow", Map.of(), new ExpectedEffect(100, 80), "c1", false, t, t.plusSeconds(30),
                Optional.empty(), Optional.of("w1"), List.of());
    }

    private double count(String result) {
        return registry.get("coxswain.agent.actions").tag("result", result).counter().count();
    }

    /** A worker of the job polls this agent, so the job runs on this node. */
    private void polled(String job) {
        store.awaitAfter(job, "w0", -1, s -> { });
    }

    @Test
    void appliesAllSettingsOfAnActionAsOneVersionCarryingItsId() {
        polled("j");
        intake.accept(rebalance("a-1", "j"));
        KnobStore.Snapshot w0 = store.get("j", "w0");
        KnobStore.Snapshot w1 = store.get("j", "w1");
        assertThat(w0.version()).isEqualTo(1);
        assertThat(w0.action()).contains("a-1");
        assertThat(w0.knobs().toJsonMap()).isEqualTo(Map.of("batch_size", 80, "staleness", 2));
        assertThat(w1.knobs().toJsonMap()).isEqualTo(Map.of("batch_size", 48, "staleness", 2));
        assertThat(count("applied")).isEqualTo(1);
    }

    @Test
    void aRedeliveredActionChangesNothing() {
        polled("j");
        intake.accept(rebalance("a-1", "j"));
        store.set("j", Optional.of("w0"), new KnobPatch(Map.of(Knob.BATCH_SIZE, Optional.of(64))));
        intake.accept(rebalance("a-1", "j"));
        assertThat(store.get("j", "w0").knobs().toJsonMap()).containsEntry("batch_size", 64);
        assertThat(store.get("j", "w0").version()).isEqualTo(2);
        assertThat(store.get("j", "w0").action()).as("the last change was made by hand").isEmpty();
        assertThat(count("duplicate")).isEqualTo(1);
    }

    @Test
    void ignoresJobsThatDoNotRunOnThisNode() {
        store.set("elsewhere", Optional.empty(), new KnobPatch(Map.of(Knob.STALENESS, Optional.of(1))));
        intake.accept(rebalance("a-2", "elsewhere"));
        intake.accept(rebalance("a-3", "never-seen"));
        assertThat(store.get("elsewhere", "w0").knobs().toJsonMap()).isEqualTo(Map.of("staleness", 1));
        assertThat(store.get("never-seen", "w0").version()).isZero();
        assertThat(count("not_here")).isEqualTo(2);
        assertThat(count("applied")).isZero();
    }

    @Test
    void anActionNamingAWorkerTheJobDoesNotHaveIsRefusedAndTheJobSaysWhyWithTheActionId() {
        polled("j");
        store.members("j", java.util.Set.of("w0", "w2"));
        intake.accept(rebalance("a-9", "j"));
        assertThat(count("not_member")).isEqualTo(1);
        assertThat(store.get("j", "w0").version()).as("nothing applied").isZero();
        assertThat(reported).hasSize(3).allSatisfy(r -> {
            dev.coxswain.core.telemetry.JobEvent e = (dev.coxswain.core.telemetry.JobEvent) r;
            assertThat(e.kind()).isEqualTo("knob.rejected");
            assertThat(e.attributes()).containsEntry("action", "a-9");
            assertThat(e.attributes().get("reason")).isEqualTo("agent: worker: w1 is not a worker of job j "
                    + "(its membership names [w0, w2])");
        });
    }
}
