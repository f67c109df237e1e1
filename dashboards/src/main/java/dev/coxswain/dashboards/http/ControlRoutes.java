package dev.coxswain.dashboards.http;

import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.InvalidActionException;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.Check;
import dev.coxswain.dashboards.view.ActionJson;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The controller's REST API: {@code GET /api/actions[?job=]} and {@code GET /api/actions/{id}} read the audit log;
 * {@code POST /api/jobs/{id}/controller} with {@code {"mode": "off|advise|act"}} sets a job's mode and
 * {@code POST /api/actions/{id}/rollback} takes an applied action back and {@code POST /api/jobs/{id}/knobs} with
 * {@code {"worker": "w3", "knobs": {"batch_size": 64}, "reason": "..."}} asks for a change by hand (an action of
 * policy {@code manual}; {@code worker} is left out for job-wide knobs). The three that change anything need
 * {@code Authorization: Bearer <dashboard.token>} ({@link BearerAuth}): with a missing or wrong one they are 401.
 * Bad bodies are 400 naming the field.
 */
public final class ControlRoutes {
    private static final int MAX_BODY = 4096;
    private static final String ISSUER = "rest";

    private final ControlApi control;
    private final BearerAuth auth;
    private final ApiRoutes api;

    public ControlRoutes(ControlApi control, BearerAuth auth, ApiRoutes api) {
        this.control = Objects.requireNonNull(control, "control");
        this.auth = auth;
        this.api = api;
    }

    public void mount(Router router, RequestMetrics metrics) {
        router.get("/api/actions").handler(metrics.timed("/api/actions", this::actions));
        router.get("/api/actions/:id").handler(metrics.timed("/api/actions/{id}", this::action));
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY);
        router.post("/api/jobs/:id/controller").handler(body)
                .handler(metrics.timed("/api/jobs/{id}/controller", this::setMode));
        router.post("/api/actions/:id/rollback").handler(body)
                .handler(metrics.timed("/api/actions/{id}/rollback", this::rollback));
        router.post("/api/jobs/:id/knobs").handler(body).handler(metrics.timed("/api/jobs/{id}/knobs", this::manual));
    }

    private void actions(RoutingContext ctx) {
        Optional<String> job = Optional.ofNullable(ctx.queryParams().get("job"));
        ApiRoutes.send(ctx, 200, api.envelope().mergeIn(ActionJson.board(control.latest(), control.running(), job)));
    }

    private void action(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        control.latest().find(id).ifPresentOrElse(
                e -> ApiRoutes.send(ctx, 200, api.envelope().put("action", ActionJson.entry(e))),
                () -> ApiRoutes.send(ctx, 404, api.error("not_found", "no recent action '" + id + "'")));
    }

    private void setMode(RoutingContext ctx) {
        if (!authorized(ctx)) {
            return;
        }
        String job = ctx.pathParam("id");
        if (!Check.isIdentifier(job)) {
            ApiRoutes.send(ctx, 400, api.error("bad_request", "job: '" + job + "' is not an identifier"));
            return;
        }
        ControlMode mode;
        try {
            JsonObject body = ctx.body().asJsonObject();
            Object m = body == null ? null : body.getValue("mode");
            if (!(m instanceof String s)) {
                throw new IllegalArgumentException("mode: expected one of off, advise, act");
            }
            mode = ControlMode.parse(s);
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            ApiRoutes.send(ctx, 400, api.error("bad_request", e instanceof DecodeException
                    ? "the body is not a JSON object" : "mode: " + e.getMessage().replaceFirst("^mode: ", "")));
            return;
        }
        if (!control.running()) {
            ApiRoutes.send(ctx, 409, api.error("no_controller", "no controller runs in this process"));
            return;
        }
        control.setMode(job, mode, ISSUER);
        ApiRoutes.send(ctx, 200, api.envelope().put("job", job).put("mode", mode.label()));
    }

    private void rollback(RoutingContext ctx) {
        if (!authorized(ctx)) {
            return;
        }
        String id = ctx.pathParam("id");
        control.rollback(id, ISSUER).ifPresentOrElse(
                why -> ApiRoutes.send(ctx, control.latest().find(id).isPresent() ? 409 : 404,
                        api.error("not_done", why)),
                () -> ApiRoutes.send(ctx, 202, api.envelope().put("rollback", id).put("status", "queued")));
    }

    private void manual(RoutingContext ctx) {
        if (!authorized(ctx)) {
            return;
        }
        String job = ctx.pathParam("id");
        List<KnobSetting> settings = new ArrayList<>();
        String reason;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("the body is missing");
            }
            Object worker = body.getValue("worker");
            if (worker != null && !(worker instanceof String)) {
                throw new IllegalArgumentException("worker: expected a worker id");
            }
            Object knobs = body.getValue("knobs");
            if (!(knobs instanceof JsonObject k) || k.isEmpty()) {
                throw new IllegalArgumentException("knobs: expected an object of knob values, e.g. {\"batch_size\": 64}");
            }
            for (String name : k.fieldNames()) {
                Knob knob = Knob.byWireName(name).orElseThrow(() -> new IllegalArgumentException("knobs." + name
                        + ": unknown knob (known: " + Knob.names() + ")"));
                try {
                    settings.add(new KnobSetting(Optional.ofNullable((String) worker), knob, k.getValue(name)));
                } catch (InvalidActionException e) {
                    throw new IllegalArgumentException("knobs." + e.getMessage());
                }
            }
            Object why = body.getValue("reason");
            reason = why instanceof String r && !r.isBlank() ? r : "asked through the REST API";
            if (Check.controlCharacterAt(reason) >= 0) {
                throw new IllegalArgumentException("reason: "
                        + Check.controlCharacterProblem(reason, Check.controlCharacterAt(reason)));
            }
        } catch (DecodeException | ClassCastException e) {
            ApiRoutes.send(ctx, 400, api.error("bad_request", "the body is not a JSON object"));
            return;
        } catch (IllegalArgumentException e) {
            ApiRoutes.send(ctx, 400, api.error("bad_request", e.getMessage()));
            return;
        }
        control.manual(job, settings, reason, ISSUER).ifPresentOrElse(
                why -> ApiRoutes.send(ctx, 409, api.error("refused", why)),
                () -> ApiRoutes.send(ctx, 202, api.envelope().put("job", job).put("status", "queued")));
    }

    private boolean authorized(RoutingContext ctx) {
        return auth.check(ctx, "changes the controller");
    }
}
