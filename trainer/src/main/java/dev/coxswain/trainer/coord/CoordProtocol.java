package dev.coxswain.trainer.coord;

import io.vertx.core.json.JsonObject;

/**
 * The JSON of the coordinator's endpoints, shared by its server and the workers' client:
 * {@code POST /v1/coord/advance} takes {@code {"worker", "completed": {clock, batch, loss, grad_sq_norm,
 * grad_variance, compute_ms}?}} and answers {@code {"grant": {clock, batch, first_sample, weight, lr, synchronous,
 * read_after, slowdown, input_stall_ms, pace_ms}}} or {@code {"stop": reason}}.
 */
public final class CoordProtocol {

    private CoordProtocol() {
    }

    public static JsonObject encode(Turn turn) {
        return switch (turn) {
            case Grant g -> new JsonObject().put("grant", new JsonObject()
                    .put("clock", g.clock()).put("batch", g.batch()).put("first_sample", g.firstSample())
                    .put("weight", g.weight()).put("lr", g.lr()).put("synchronous", g.synchronous())
                    .put("read_after", g.readAfter()).put("slowdown", g.slowdown())
                    .put("input_stall_ms", g.inputStallMs()).put("pace_ms", g.paceMs()));
            case Stop s -> new JsonObject().put("stop", s.reason());
        };
    }

    public static Turn decodeTurn(JsonObject json) {
        if (json.containsKey("stop")) {
            return new Stop(json.getString("stop"));
        }
        JsonObject g = json.getJsonObject("grant");
        if (g == null) {
            throw new IllegalArgumentException("neither 'grant' nor 'stop' in " + json.encode());
        }
        return new Grant(g.getLong("clock"), g.getInteger("batch"), g.getLong("first_sample"),
                g.getFloat("weight"), g.getFloat("lr"), g.getBoolean("synchronous"), g.getLong("read_after"),
                g.getDouble("slowdown"), g.getDouble("input_stall_ms"), g.getDouble("pace_ms"));
    }

    public static JsonObject encode(Completion c) {
        return new JsonObject().put("clock", c.clock()).put("batch", c.batch()).put("loss", c.loss())
                .put("grad_sq_norm", c.gradSqNorm()).put("grad_variance", c.gradVariance()).put("compute_ms", c.computeMs());
    }

    public static Completion decodeCompletion(JsonObject c) {
        return new Completion(c.getLong("clock"), c.getInteger("batch"), c.getDouble("loss"),
                c.getDouble("grad_sq_norm"), c.getDouble("grad_variance"), c.getDouble("compute_ms", 0.0));
    }
}
