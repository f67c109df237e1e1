package dev.coxswain.dashboards.view;

import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * The live detector's straggler episodes as JSON, for {@code /api/stragglers} and the stream's straggler panel.
 * Pure: safe on any thread.
 */
public final class StragglerJson {

    private StragglerJson() {
    }

    /**
     * {@code detector, detectionsGeneration, detectionsAt, current, recent}: the open episodes by job and worker, and
     * the ended ones, most recently ended first.
     */
    public static JsonObject board(StragglerBoard board) {
        JsonArray current = new JsonArray();
        board.open().forEach(e -> current.add(episode(e)));
        JsonArray recent = new JsonArray();
        board.recent().forEach(e -> recent.add(episode(e)));
        return new JsonObject()
                .put("detector", board.detector())
                .put("detectionsGeneration", board.generation())
                .put("detectionsAt", board.generation() == 0 ? null : board.at().toString())
                .put("current", current)
                .put("recent", recent);
    }

    /** One episode; {@code gpu} is the graph id of the worker's GPU, null when unknown. */
    public static JsonObject episode(StragglerEpisode e) {
        return new JsonObject()
                .put("id", e.id())
                .put("job", e.jobId())
                .put("worker", e.workerId())
                .put("nodeId", e.nodeId().orElse(null))
                .put("gpuIndex", e.gpuIndex() < 0 ? null : e.gpuIndex())
                .put("gpu", e.nodeId().filter(n -> e.gpuIndex() >= 0).map(n -> "gpu:" + n + "/" + e.gpuIndex())
                        .orElse(null))
                .put("cause", e.cause())
                .put("causeText", causeText(e.cause()))
                .put("detail", e.detail())
                .put("slowdown", e.slowdown())
                .put("confidence", e.confidence())
                .put("score", e.score())
                .put("sinceStep", e.sinceStep())
                .put("since", e.since().map(Instant::toString).orElse(null))
                .put("startedAt", e.startedAt().toString())
                .put("lastStep", e.lastStep())
                .put("updatedAt", e.updatedAt().toString())
                .put("open", e.open())
                .put("endStep", e.end().map(StragglerEpisode.End::step).orElse(null))
                .put("endedAt", e.end().map(x -> x.at().toString()).orElse(null))
                .put("endReason", e.end().map(x -> x.reason().label()).orElse(null))
                .put("mitigatedBy", e.mitigatedBy().orElse(null));
    }

    /** The cause in words; a label this build does not know is shown as it is. */
    public static String causeText(String cause) {
        return switch (cause) {
            case "gpu_compute" -> "GPU compute: SM clock drop (thermal or power throttling)";
            case "host_contention" -> "host contention: busy CPU, input pipeline cannot keep up";
            case "network" -> "network: congested link or switch";
            case "imbalance" -> "imbalance: more work or weaker hardware";
            case "unknown" -> "unknown: the telemetry does not say why";
            default -> cause;
        };
    }
}
