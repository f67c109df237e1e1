package dev.coxswain.dashboards;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a Server-Sent-Events stream with the JDK HttpClient on a background thread, event by event. */
final class SseReader implements AutoCloseable {
    /** One event: its name and its data parsed as JSON. */
    record Event(String name, JsonObject data) {
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final HttpResponse<Stream<String>> response;

    SseReader(URI uri) throws Exception {
        response = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread.ofVirtual().name("sse-reader").start(this::read);
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name, new JsonObject(data.toString())));
                    }
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed under us: the test is over
        }
    }

    /** The next event, or null when none came within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        response.body().close();
        client.shutdownNow();
    }
}
