package dev.coxswain.dashboards.view;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The controller's board as JSON, for {@code /api/actions} and the page's actions panel. Pure: safe on any thread.
 */
public final class ActionJson {
    private ActionJson() {
    }

    /**
     * {@code controller, mode, jobModes, actionsGeneration, actions}: whether a controller runs here, the global mode,
     * the jobs given their own, and the recent actions newest first, those of {@code job} only when given.
     */
    public static JsonObject board(ActionBoard board, boolean running, Optional<String> job) {
        JsonObject modes = new JsonObject();
        board.jobModes().forEach((j, m) -> modes.put(j, m.label()));
        JsonArray actions = new JsonArray();
        board.entries().stream().filter(e -> job.map(e.action().job()::equals).orElse(true))
                .forEach(e -> actions.add(entry(e)));
        return new JsonObject()
                .put("controller", running ? "on" : "off")
                .put("mode", board.mode().label())
                .put("jobModes", modes)
                .put("actionsGeneration", board.generation())
                .put("actions", actions);
    }

    /** One action with its outcomes; {@code status} is the latest outcome's, {@code sent} before any. */
    public static JsonObject entry(ActionBoard.Entry e) {
        Action a = e.action();
        JsonArray settings = new JsonArray();
        a.settings().forEach(s -> settings.add(new JsonObject().put("worker", s.worker().orElse(null))
                .put("knob", s.knob().wireName()).put("value", s.value())));
        JsonArray outcomes = new JsonArray();
        e.outcomes().forEach(o -> outcomes.add(outcome(o)));
        Optional<ActionOutcome> latest = e.latest();
        return new JsonObject()
                .put("id", a.id())
                .put("job", a.job())
                .put("policy", a.policy())
                .put("issuer", a.issuer())
                .put("dryRun", a.dryRun())
                .put("issuedAt", a.issuedAt().toString())
                .put("trigger", a.trigger().orElse(null))
                .put("revertOf", a.revertOf().orElse(null))
                .put("reason", a.reason())
                .put("evidence", new JsonObject(new java.util.LinkedHashMap<>(a.evidence())))
                .put("expectedStepMsBefore", a.expected().stepTimeMsBefore())
                .put("expectedStepMsAfter", a.expected().stepTimeMsAfter())
                .put("measuredStepMs", latest.flatMap(o -> o.measuredStepTimeMs().isPresent()
                        ? Optional.of(o.measuredStepTimeMs().getAsDouble()) : Optional.empty()).orElse(null))
                .put("status", latest.map(o -> o.status().label()).orElse("sent"))
                .put("settings", settings)
                .put("outcomes", outcomes);
    }

    private static JsonObject outcome(ActionOutcome o) {
        return new JsonObject().put("status", o.status().label()).put("at", o.at().toString())
                .put("detail", o.detail())
                .put("measuredStepMs", o.measuredStepTimeMs().isPresent() ? o.measuredStepTimeMs().getAsDouble()
                        : null);
    }
}
