package dev.coxswain.dashboards;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * A controller for dashboard tests: its board shows one verified rebalance of a job issued at a given time,
 * and it records what it is asked. The controller's own behaviour is tested in the controller module.
 */
final class RecordingControl implements ControlApi {
    final List<String> calls = new ArrayList<>();
    final Action action;

    RecordingControl(String job, Instant issuedAt) {
        action = new Action("c1-1", job, List.of(KnobSetting.worker("w3", Knob.BATCH_SIZE, 37),
                KnobSetting.worker("w0", Knob.BATCH_SIZE, 73)), "rebalance", "w3 computes at 0.50x",
                Map.of("w3.samples_per_s", 750.0), new ExpectedEffect(95, 59), "c1", false, issuedAt,
                issuedAt.plusSeconds(30), Optional.empty(), Optional.of("w3"), List.of());
    }


    @Override
    public ActionBoard latest() {
        return new ActionBoard(3, action.issuedAt(), ControlMode.ADVISE, Map.of(action.job(), ControlMode.ACT), List.of(
                new ActionBoard.Entry(action, List.of(ActionOutcome.of(action, ActionOutcome.Status.APPLIED,
                        action.issuedAt().plusSeconds(1), "applied"), new ActionOutcome(action.id(), action.job(),
                        ActionOutcome.Status.VERIFIED, action.issuedAt().plusSeconds(4), "step 60 ms",
                        OptionalDouble.of(60))))));
    }

    @Override
    public AutoCloseable subscribe(Consumer<ActionBoard> listener) {
        return () -> { };
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public void setMode(String job, ControlMode mode, String issuer) {
        calls.add("mode " + job + " " + mode.label() + " by " + issuer);
    }

    @Override
    public Optional<String> rollback(String actionId, String issuer) {
        calls.add("rollback " + actionId + " by " + issuer);
        return actionId.equals("c1-1") ? Optional.empty() : Optional.of("no recent action " + actionId);
    }

    @Override
    public Optional<String> manual(String job, List<KnobSetting> settings, String reason, String issuer) {
        calls.add("manual " + job + " " + settings + " (" + reason + ") by " + issuer);
        return job.equals(action.job()) ? Optional.empty() : Optional.of("job " + job + " is not run by this controller");
    }
}
