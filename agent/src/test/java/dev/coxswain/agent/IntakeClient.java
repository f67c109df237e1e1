package dev.coxswain.agent;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What a training process does: JSON over HTTP/1.1 to the agent's intake. */
public final class IntakeClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public record Reply(int status, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    public IntakeClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Reply post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    public Reply get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    /** A batch of {@code n} valid step reports of job {@code job}, steps {@code from..from+n-1}. */
    public static String steps(String job, int from, int n) {
        StringBuilder b = new StringBuilder("{\"reports\": [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"job\": \"").append(job).append("\", \"worker\": \"w0\", \"step\": ")
                    .append(from + i).append(", \"step_time_ms\": 81.5, \"compute_ms\": 60.1, \"comm_ms\": 15.2,"
                            + " \"wait_ms\": 4.0, \"samples\": 64, \"batch_size\": 64, \"loss\": 0.41}");
        }
        return b.append("]}").toString();
    }
}
