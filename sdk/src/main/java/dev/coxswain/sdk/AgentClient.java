package dev.coxswain.sdk;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonWriter;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job SDK's entry point: a training process reports its steps, membership and events to the agent on its node
 * and learns of knob changes from it (docs/agent-protocol.md).
 *
 * <p>Reporting never blocks and never throws for network reasons: records are queued and a background thread posts
 * them in batches; when the agent is down they wait (the oldest dropped beyond the queue's capacity) and a warning is
 * logged at most every 30 s. Knob calls ({@link #setKnobs}, {@link #pollKnobs}) are synchronous and say what went
 * wrong. Thread-safe; one client per process is enough. Close it to flush what is queued.
 */
public final class AgentClient implements AutoCloseable {
    private final AgentClientOptions options;
    private final AgentHttp http;
    private final ReportSender sender;
    private final Thread senderThread;

    private AgentClient(AgentClientOptions options) {
        this.options = options;
        this.http = new AgentHttp(options.agentUri(), options.requestTimeout());
        this.sender = new ReportSender(http, options);
        this.senderThread = Thread.ofPlatform().daemon().name("coxswain-sdk-sender").start(sender);
    }

    /** A client for the agent at {@code options.agentUri()}; no connection is made until there is something to send. */
    public static AgentClient connect(AgentClientOptions options) {
        return new AgentClient(options);
    }

    public AgentClientOptions options() {
        return options;
    }

    /** Queues one step report. */
    public void report(StepReport report) {
        sender.offer(report);
    }

    /** Queues one job event: a fault injected, a knob applied, a restart. */
    public void event(JobEvent event) {
        sender.offer(event);
    }

    /** Queues the job's membership; send it when the job starts and whenever a member moves. */
    public void membership(JobMembership membership) {
        sender.offer(membership);
    }

    /** Counts of what was delivered, rejected, dropped and is still queued. */
    public DeliveryStats stats() {
        return sender.stats();
    }

    /** Waits up to {@code timeout} for the queue to drain; true when it did. */
    public boolean flush(Duration timeout) {
        try {
            return sender.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Sets knobs for a whole job ({@code workerId} empty) or one worker.
     *
     * @return the job's new knob version
     * @throws KnobRejectedException     when the agent refuses the change; the message is the agent's, naming the field
     * @throws AgentUnavailableException when the agent cannot be reached
     */
    public long setKnobs(String jobId, Optional<String> workerId, Knobs knobs) {
        Map<String, Object> body = new LinkedHashMap<>();
        workerId.ifPresent(w -> body.put("worker", w));
        body.put("knobs", knobs.toJson());
        return setKnobsJson(jobId, JsonWriter.write(body));
    }

    /**
     * Posts a knob change exactly as given, unchecked here, so that a command line can pass what a user typed and
     * report the agent's verdict. See {@link #setKnobs} for the outcomes.
     */
    public long setKnobsJson(String jobId, String body) {
        AgentHttp.Response r = http.post("/v1/knobs/" + AgentHttp.segment(jobId), body);
        if (r.status() != 200) {
            throw new KnobRejectedException(r.status(), r.errorMessage());
        }
        try {
            Object version = AgentHttp.json(r).get("version");
            if (version instanceof Long v) {
                return v;
            }
            throw new JsonException("no integer 'version' in " + r.body());
        } catch (JsonException e) {
            throw new AgentUnavailableException("agent answered a knob change with an unexpected body: "
                    + e.getMessage(), e);
        }
    }

    /**
     * One long-poll: the merged knobs of {@code workerId} once the job's version is above {@code after}, or empty
     * when {@code wait} passed first. {@code after = -1} answers at once.
     */
    public Optional<KnobUpdate> pollKnobs(String jobId, String workerId, long after, Duration wait) {
        String path = "/v1/knobs/" + AgentHttp.segment(jobId) + "/" + AgentHttp.segment(workerId)
                + "?after=" + after + "&wait_ms=" + wait.toMillis();
        AgentHttp.Response r = http.get(path, wait.plus(options.requestTimeout()));
        if (r.status() == 204) {
            return Optional.empty();
        }
        if (r.status() != 200) {
            throw new KnobRejectedException(r.status(), r.errorMessage());
        }
        Map<String, Object> json = AgentHttp.json(r);
        Object version = json.get("version");
        Object knobs = json.getOrDefault("knobs", Map.of());
        if (!(version instanceof Long v) || !(knobs instanceof Map<?, ?> k)) {
            throw new JsonException("knob answer without an integer 'version' and a 'knobs' object: " + r.body());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) k;
        Object action = json.get("action");
        return Optional.of(new KnobUpdate(v, Knobs.fromJson(fields),
                action instanceof String a ? Optional.of(a) : Optional.empty()));
    }

    /** Starts a background long-poll that hands each new knob version of {@code workerId} to {@code listener}. */
    public KnobWatch watchKnobs(String jobId, String workerId, KnobListener listener) {
        return new KnobWatch(this, jobId, workerId, listener, options).start();
    }

    /** Flushes for up to a second, then stops the sender. */
    @Override
    public void close() {
        flush(Duration.ofSeconds(1));
        sender.close();
        try {
            senderThread.join(options.requestTimeout().toMillis() + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
