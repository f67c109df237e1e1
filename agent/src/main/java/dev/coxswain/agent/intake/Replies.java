package dev.coxswain.agent.intake;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the intake reads request bodies and writes JSON answers; every error answer is {@code {"error": "..."}}. */
final class Replies {
    /** Where {@link IntakeServer} leaves the request body in the routing context. */
    static final String BODY = "coxswain.body";

    private Replies() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(body.encode());
    }

    static void error(RoutingContext ctx, int status, String message) {
        json(ctx, status, new JsonObject().put("error", message));
    }

    static void noContent(RoutingContext ctx) {
        if (!ctx.response().closed() && !ctx.response().ended()) {
            ctx.response().setStatusCode(204).end();
        }
    }

    /** The request body as a JSON object, or an {@link InvalidFieldException} naming {@code body}. */
    static JsonObject body(RoutingContext ctx) {
        Buffer buffer = ctx.get(BODY);
        if (buffer == null || buffer.length() == 0) {
            throw new InvalidFieldException("body", "empty; expected a JSON object");
        }
        try {
            return new JsonObject(buffer);
        } catch (DecodeException | ClassCastException e) {
            throw new InvalidFieldException("body", "not a JSON object: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse(message);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
