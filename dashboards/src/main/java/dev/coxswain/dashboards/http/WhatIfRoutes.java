package dev.coxswain.dashboards.http;

import dev.coxswain.core.BadInputException;
import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.dashboards.whatif.LiveScenario;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotSource;
import dev.coxswain.whatif.scenario.Answer;
import dev.coxswain.whatif.scenario.HtmlReport;
import dev.coxswain.whatif.scenario.Question;
import dev.coxswain.whatif.scenario.ScenarioFile;
import dev.coxswain.whatif.scenario.ScenarioRunner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /api/whatif} with {@code {"job": "resnet-ddp", "questions": "<YAML list>"}}: answers what-if questions
 * (in the scenario file's syntax, docs/whatif.md) about a live job, on a simulator cluster built from the latest
 * snapshot ({@link LiveScenario}). The answer is the what-if report ({@code title}, {@code answers}, the shape the
 * chart module reads) with the job's {@code workers} and the cluster's {@code nodes} in the order questions index
 * them, and the job's measured mean step. One run at a time, off the event loop; a second while one runs is 429.
 * It changes nothing, so it needs no token. Bad bodies and questions are 400 naming the field or line.
 */
public final class WhatIfRoutes {
    private static final int MAX_BODY = 16 * 1024;
    /** The most questions one request may ask. */
    static final int MAX_QUESTIONS = 16;

    private final Clock clock;
    private final OneAtATime oneAtATime;

    public WhatIfRoutes(Vertx vertx, SnapshotSource source, ApiRoutes api, Clock clock) {
        this.clock = clock;
        this.oneAtATime = new OneAtATime(vertx, source, api, "a what-if run is in progress; try again when it ends");
    }

    public void mount(Router router, RequestMetrics metrics) {
        router.post("/api/whatif").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(metrics.timed("/api/whatif", this::whatIf));
    }

    private void whatIf(RoutingContext ctx) {
        oneAtATime.answer(ctx, this::answer);
    }

    private JsonObject answer(ClusterSnapshot snapshot, JsonObject body) {
        if (!(body.getValue("job") instanceof String job) || job.isBlank()) {
            throw new BadInputException("request body", 0, "job", "a live job's id is required");
        }
        if (!(body.getValue("questions") instanceof String yaml) || yaml.isBlank()) {
            throw new BadInputException("request body", 0, "questions",
                    "a YAML list of questions is required (docs/whatif.md)");
        }
        List<Question> questions = ScenarioFile.questions("questions", yaml);
        if (questions.size() > MAX_QUESTIONS) {
            throw new BadInputException("request body", 0, "questions", questions.size()
                    + " questions; at most " + MAX_QUESTIONS + " per request");
        }
        LiveScenario.Built built = LiveScenario.build(snapshot, job, questions);
        List<Answer> answers = new ScenarioRunner(built.scenario(), clock).run();
        JsonObject out = new JsonObject(JsonWriter.write(HtmlReport.json("What if: " + job + " on the live cluster"
                + " (generation " + snapshot.generation() + ")", answers)));
        return out.put("job", job)
                .put("workers", new JsonArray(built.workers()))
                .put("nodes", new JsonArray(built.nodes()))
                .put("measuredStepMs", Double.isFinite(built.measuredStepMs()) ? built.measuredStepMs() : null);
    }
}
