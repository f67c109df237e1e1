package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonParser;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The HTTP exchanges with the agent, on the JDK's client. Thread-safe. */
final class AgentHttp {
    /** An answer from the agent. */
    record Response(int status, String body) {
        /** The {@code error} member of a 4xx answer, or the raw body when it has none. */
        String errorMessage() {
            try {
                Object error = JsonParser.parseObject(body).get("error");
                return error instanceof String s ? s : body;
            } catch (JsonException e) {
                return body.isBlank() ? "HTTP " + status : body;
            }
        }
    }

    private final HttpClient client;
    private final URI base;
    private final Duration timeout;

    AgentHttp(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    URI base() {
        return base;
    }

    static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    Response post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return send(request);
    }

    Response get(String path, Duration requestTimeout) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build();
        return send(request);
    }

    /** Sends asynchronously so that a caller's thread can be interrupted out of a long-poll. */
    private Response send(HttpRequest request) {
        CompletableFuture<HttpResponse<String>> future =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = future.get();
            if (response.statusCode() >= 500) {
                throw new AgentUnavailableException("agent at " + base + " answered " + response.statusCode()
                        + " to " + request.method() + " " + request.uri().getPath(), null);
            }
            return new Response(response.statusCode(), response.body());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new AgentUnavailableException("interrupted while talking to the agent", e);
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AgentUnavailableException("agent at " + base + " unreachable ("
                    + describe(cause) + ")", cause);
        }
    }

    private static String describe(Throwable t) {
        if (t instanceof IOException && t.getMessage() == null) {
            return t.getClass().getSimpleName();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static Map<String, Object> json(Response r) {
        return JsonParser.parseObject(r.body());
    }
}
