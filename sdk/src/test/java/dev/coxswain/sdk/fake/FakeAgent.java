package dev.coxswain.sdk.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.sdk.Knobs;
import dev.coxswain.sdk.json.JsonParser;
import dev.coxswain.sdk.json.JsonWriter;
import dev.coxswain.sdk.json.ProtocolJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test-only stand-in for the node agent's intake (docs/agent-protocol.md v1) on the JDK's HTTP server: step
 * reports, events and membership are validated through the core records and kept in memory; knobs are stored per job
 * and worker with one version per change and served by long-poll. Only for tests, until the real agent is on main.
 */
public final class FakeAgent implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-agent");
        t.setDaemon(true);
        return t;
    });
    private final List<StepReport> steps = new CopyOnWriteArrayList<>();
    private final List<JobEvent> events = new CopyOnWriteArrayList<>();
    private final List<JobMembership> memberships = new CopyOnWriteArrayList<>();
    private final Object knobLock = new Object();
    private final Map<String, JobKnobs> knobs = new HashMap<>();

    private static final class JobKnobs {
        long version;
        Knobs jobWide = Knobs.none();
        final Map<String, Knobs> perWorker = new HashMap<>();

        Knobs merged(String worker) {
            return jobWide.mergedWith(perWorker.getOrDefault(worker, Knobs.none()));
        }
    }

    private FakeAgent(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(executor);
        server.createContext("/v1/steps", ex -> handle(ex, this::steps));
        server.createContext("/v1/events", ex -> handle(ex, this::events));
        server.createContext("/v1/jobs", ex -> handle(ex, this::jobs));
        server.createContext("/v1/knobs/", ex -> handle(ex, this::knobs));
        server.createContext("/v1/health", ex -> handle(ex, e -> reply(e, 200, Map.of("node", "fake",
                "buffered", 0, "dropped", 0, "kafka", "down"))));
        server.start();
    }

    /** Starts on an ephemeral loopback port. */
    public static FakeAgent start() throws IOException {
        return new FakeAgent(0);
    }

    /** Starts on the given loopback port (to bring an agent "back" where a client expects it). */
    public static FakeAgent start(int port) throws IOException {
        return new FakeAgent(port);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<StepReport> steps() {
        return List.copyOf(steps);
    }

    public List<JobEvent> events() {
        return List.copyOf(events);
    }

    public List<JobMembership> memberships() {
        return List.copyOf(memberships);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void handle(HttpExchange ex, Handler handler) throws IOException {
        try (ex) {
            try {
                handler.handle(ex);
            } catch (CoxswainException | ClassCastException e) {
                reply(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
            }
        }
    }

    private void steps(HttpExchange ex) throws IOException {
        batch(ex, "reports", m -> steps.add(ProtocolJson.readStep(m, Instant.now())));
    }

    private void events(HttpExchange ex) throws IOException {
        batch(ex, "events", m -> events.add(ProtocolJson.readEvent(m, Instant.now())));
    }

    private interface Entry {
        void accept(Map<String, Object> entry);
    }

    @SuppressWarnings("unchecked")
    private void batch(HttpExchange ex, String member, Entry entry) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, Map.of("error", "use POST"));
            return;
        }
        Object list = JsonParser.parseObject(body(ex)).get(member);
        if (!(list instanceof List<?> entries)) {
            reply(ex, 400, Map.of("error", "no '" + member + "' array"));
            return;
        }
        int accepted = 0;
        List<Object> rejected = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                entry.accept((Map<String, Object>) entries.get(i));
                accepted++;
            } catch (CoxswainException | ClassCastException e) {
                rejected.add(Map.of("index", i, "error", String.valueOf(e.getMessage())));
            }
        }
        reply(ex, 202, Map.of("accepted", accepted, "rejected", rejected));
    }

    private void jobs(HttpExchange ex) throws IOException {
        memberships.add(ProtocolJson.readMembership(JsonParser.parseObject(body(ex)), "fake-node", Instant.now()));
        reply(ex, 202, Map.of());
    }

    private void knobs(HttpExchange ex) throws IOException {
        String[] parts = ex.getRequestURI().getRawPath().substring("/v1/knobs/".length()).split("/");
        String job = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
        if (ex.getRequestMethod().equals("POST") && parts.length == 1) {
            setKnobs(ex, job);
        } else if (ex.getRequestMethod().equals("GET") && parts.length == 2) {
            pollKnobs(ex, job, URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        } else {
            reply(ex, 404, Map.of("error", "no such knob resource " + ex.getRequestURI().getPath()));
        }
    }

    @SuppressWarnings("unchecked")
    private void setKnobs(HttpExchange ex, String job) throws IOException {
        Map<String, Object> json = JsonParser.parseObject(body(ex));
        for (String name : json.keySet()) {
            if (!name.equals("worker") && !name.equals("knobs")) {
                reply(ex, 400, Map.of("error", name + ": unknown field"));
                return;
            }
        }
        if (!(json.get("knobs") instanceof Map<?, ?> fields)) {
            reply(ex, 400, Map.of("error", "knobs: missing or not an object"));
            return;
        }
        Knobs change = Knobs.fromJson((Map<String, Object>) fields);
        Object worker = json.get("worker");
        long version;
        synchronized (knobLock) {
            JobKnobs jk = knobs.computeIfAbsent(job, j -> new JobKnobs());
            if (worker instanceof String w) {
                jk.perWorker.merge(w, change, Knobs::mergedWith);
            } else {
                jk.jobWide = jk.jobWide.mergedWith(change);
            }
            version = ++jk.version;
            knobLock.notifyAll();
        }
        reply(ex, 200, Map.of("version", version));
    }

    private void pollKnobs(HttpExchange ex, String job, String worker) throws IOException {
        Map<String, String> query = query(ex.getRequestURI());
        long after = Long.parseLong(query.getOrDefault("after", "-1"));
        long waitMs = Math.min(60_000, Long.parseLong(query.getOrDefault("wait_ms", "25000")));
        long deadline = System.currentTimeMillis() + waitMs;
        Map<String, Object> answer = null;
        synchronized (knobLock) {
            while (true) {
                JobKnobs jk = knobs.computeIfAbsent(job, j -> new JobKnobs());
                if (jk.version > after) {
                    answer = Map.of("version", jk.version, "knobs", jk.merged(worker).toJson());
                    break;
                }
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    knobLock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (answer == null) {
            ex.sendResponseHeaders(204, -1);
        } else {
            reply(ex, 200, answer);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void reply(HttpExchange ex, int status, Map<String, Object> json) throws IOException {
        byte[] bytes = JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
