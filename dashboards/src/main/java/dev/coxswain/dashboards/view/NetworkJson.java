package dev.coxswain.dashboards.view;

import dev.coxswain.core.network.NetworkBoard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network model's board as JSON, for {@code /api/network} and the stream's {@code network} event: each job's
 * predicted communication and step time, its bottleneck link and what would help, and each link's predicted
 * utilisation with its load level. Times in milliseconds; a figure not known yet is null. Pure: safe on any thread.
 */
public final class NetworkJson {

    private NetworkJson() {
    }

    /** {@code model, networkGeneration, networkAt, jobs, links}: jobs and links in id order. */
    public static JsonObject board(NetworkBoard board) {
        Map<String, List<String>> bottleneckOf = new HashMap<>();
        JsonArray jobs = new JsonArray();
        for (NetworkBoard.JobNetwork j : new TreeMap<>(board.jobs()).values()) {
            jobs.add(job(j));
            j.bottleneck().ifPresent(b -> bottleneckOf.computeIfAbsent(b.linkId(), k -> new ArrayList<>())
                    .add(j.jobId()));
        }
        JsonArray links = new JsonArray();
        new TreeMap<>(board.links()).forEach((id, util) -> links.add(new JsonObject()
                .put("id", id)
                .put("utilization", util)
                .put("level", LoadLevel.of(util).label())
                .put("bottleneckOf", new JsonArray(bottleneckOf.getOrDefault(id, List.of())))));
        return new JsonObject()
                .put("model", board.model())
                .put("networkGeneration", board.generation())
                .put("networkAt", board.generation() == 0 ? null : board.at().toString())
                .put("jobs", jobs)
                .put("links", links);
    }

    private static JsonObject job(NetworkBoard.JobNetwork j) {
        JsonArray help = new JsonArray();
        j.help().forEach(h -> help.add(new JsonObject().put("change", h.change())
                .put("stepMs", GraphJson.finite(h.stepMs()))));
        return new JsonObject()
                .put("job", j.jobId())
                .put("commMs", GraphJson.finite(j.commMs()))
                .put("measuredCommMs", GraphJson.finite(j.measuredCommMs()))
                .put("stepMs", GraphJson.finite(j.stepMs()))
                .put("correction", GraphJson.finite(j.correction()))
                .put("recentErrorPct", GraphJson.finite(j.recentErrorPct()))
                .put("bottleneck", j.bottleneck().map(b -> new JsonObject()
                        .put("linkId", b.linkId())
                        .put("from", b.from())
                        .put("to", b.to())
                        .put("type", b.type())
                        .put("utilization", b.utilization())
                        .put("level", LoadLevel.of(b.utilization()).label())).orElse(null))
                .put("help", help);
    }
}
