package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.sdk.json.ProtocolJson;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Batches records and posts them to the agent from one background thread, so that a training loop never waits on
 * the network. Membership goes first, then events, then step reports. While the agent is unreachable the records stay
 * queued (oldest dropped beyond the capacity) and the sender backs off; the problem is logged at most every 30 s.
 */
final class ReportSender implements Runnable {
    private static final System.Logger LOG = System.getLogger(ReportSender.class.getName());

    private final AgentHttp http;
    private final AgentClientOptions options;
    private final WarningThrottle unreachableLog;
    private final WarningThrottle rejectedLog;
    private final Object lock = new Object();
    private final Deque<JobMembership> memberships = new ArrayDeque<>();
    private final Deque<JobEvent> events = new ArrayDeque<>();
    private final Deque<StepReport> steps = new ArrayDeque<>();
    private long delivered;
    private long rejected;
    private long dropped;
    private long failedSends;
    /** Records taken off the queues for the request now being sent. */
    private long inFlight;
    private boolean closing;
    private long backoffMs;
    private long oldestStepNanos;

    ReportSender(AgentHttp http, AgentClientOptions options) {
        this.http = http;
        this.options = options;
        this.unreachableLog = new WarningThrottle(LOG, options.clock(), Duration.ofSeconds(30));
        this.rejectedLog = new WarningThrottle(LOG, options.clock(), Duration.ofSeconds(30));
    }

    void offer(Telemetry record) {
        synchronized (lock) {
            switch (record) {
                case StepReport s -> {
                    if (steps.isEmpty()) {
                        oldestStepNanos = System.nanoTime();
                    }
                    steps.addLast(s);
                }
                case JobEvent e -> events.addLast(e);
                case JobMembership m -> memberships.addLast(m);
                default -> throw new IllegalArgumentException(
                        "the agent's intake takes step reports, job events and membership, not "
                                + record.getClass().getSimpleName());
            }
            // The batch in flight counts against the capacity too: it stays in memory until the agent answers.
            while (pendingLocked() + inFlight > options.queueCapacity() && pendingLocked() > 0) {
                Deque<? extends Telemetry> victim = !steps.isEmpty() ? steps : !events.isEmpty() ? events : memberships;
                victim.pollFirst();
                dropped++;
            }
            lock.notifyAll();
        }
    }

    private long pendingLocked() {
        return (long) steps.size() + events.size() + memberships.size();
    }

    DeliveryStats stats() {
        synchronized (lock) {
            return new DeliveryStats(delivered, rejected, dropped, pendingLocked() + inFlight, failedSends);
        }
    }

    /** Waits until the queue is empty or {@code timeout} passed; true when everything was sent. */
    boolean flush(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            lock.notifyAll();
            while (pendingLocked() + inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    void close() {
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
    }

    @Override
    public void run() {
        try {
            while (runOnce()) {
                // keep sending
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one request when one is due; false once closed and drained (or closed with the agent away). */
    boolean runOnce() throws InterruptedException {
        Batch batch = nextBatch();
        if (batch == null) {
            return false;
        }
        try {
            AgentHttp.Response response = http.post(batch.path(), JsonWriter.write(batch.body()));
            settle(batch, response);
            backoffMs = 0;
            unreachableLog.reset();
        } catch (AgentUnavailableException e) {
            requeue(batch);
            backoffMs = backoffMs == 0 ? 100 : Math.min(backoffMs * 2, options.maxBackoff().toMillis());
            unreachableLog.warn("coxswain: reports could not be delivered to the agent; training goes on and they "
                    + "stay queued (" + stats().pending() + " pending): " + e.getMessage());
            synchronized (lock) {
                failedSends++;
                if (closing) {
                    return false;
                }
                lock.wait(backoffMs);
            }
        }
        return true;
    }

    private record Batch(String path, Map<String, Object> body, List<? extends Telemetry> records) {
    }

    /** Waits for something due, then takes it off the queue; null when closed and empty. */
    private Batch nextBatch() throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (!memberships.isEmpty()) {
                    JobMembership m = memberships.pollFirst();
                    inFlight = 1;
                    return new Batch("/v1/jobs", ProtocolJson.membership(m), List.of(m));
                }
                if (!events.isEmpty()) {
                    List<JobEvent> taken = take(events);
                    inFlight = taken.size();
                    return new Batch("/v1/events", Map.of("events", taken.stream().map(ProtocolJson::event).toList()),
                            taken);
                }
                long waitedMs = (System.nanoTime() - oldestStepNanos) / 1_000_000;
                long dueInMs = options.flushInterval().toMillis() - waitedMs;
                if (!steps.isEmpty() && (closing || steps.size() >= options.maxBatch() || dueInMs <= 0)) {
                    List<StepReport> taken = take(steps);
                    oldestStepNanos = System.nanoTime();
                    inFlight = taken.size();
                    return new Batch("/v1/steps", Map.of("reports", taken.stream().map(ProtocolJson::step).toList()),
                            taken);
                }
                if (closing && steps.isEmpty()) {
                    return null;
                }
                lock.wait(steps.isEmpty() ? 0 : Math.max(1, dueInMs));
            }
        }
    }

    private <T> List<T> take(Deque<T> queue) {
        List<T> out = new ArrayList<>();
        while (!queue.isEmpty() && out.size() < options.maxBatch()) {
            out.add(queue.pollFirst());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private void requeue(Batch batch) {
        synchronized (lock) {
            inFlight = 0;
            List<? extends Telemetry> records = batch.records();
            for (int i = records.size() - 1; i >= 0; i--) {
                switch (records.get(i)) {
                    case StepReport s -> steps.addFirst(s);
                    case JobEvent e -> events.addFirst(e);
                    case JobMembership m -> memberships.addFirst(m);
                    default -> throw new IllegalStateException("unexpected record in a batch");
                }
            }
            if (!steps.isEmpty()) {
                oldestStepNanos = System.nanoTime();
            }
            // The batch in flight counts against the capacity too: it stays in memory until the agent answers.
            while (pendingLocked() + inFlight > options.queueCapacity() && pendingLocked() > 0) {
                Deque<? extends Telemetry> victim = !steps.isEmpty() ? steps : !events.isEmpty() ? events : memberships;
                victim.pollFirst();
                dropped++;
            }
            lock.notifyAll();
        }
    }

    private void settle(Batch batch, AgentHttp.Response response) {
        int n = batch.records().size();
        long refused = 0;
        if (response.status() >= 400) {
            refused = n;
            rejectedLog.warn("coxswain: the agent refused " + n + " record(s) to " + batch.path() + ": "
                    + response.errorMessage());
        } else if (!batch.path().equals("/v1/jobs")) {
            refused = countRejected(batch, response);
        }
        synchronized (lock) {
            inFlight = 0;
            rejected += refused;
            delivered += n - refused;
            lock.notifyAll();
        }
    }

    private long countRejected(Batch batch, AgentHttp.Response response) {
        try {
            Object list = AgentHttp.json(response).get("rejected");
            if (list instanceof List<?> entries && !entries.isEmpty()) {
                rejectedLog.warn("coxswain: the agent rejected " + entries.size() + " of " + batch.records().size()
                        + " record(s) to " + batch.path() + ", first: " + entries.getFirst());
                return entries.size();
            }
            return 0;
        } catch (JsonException e) {
            return 0;
        }
    }
}
