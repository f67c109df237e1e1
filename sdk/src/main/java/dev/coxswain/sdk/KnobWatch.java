package dev.coxswain.sdk;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A background long-poll on one worker's knobs ({@code GET /v1/knobs/{job}/{worker}}): each new version is handed to
 * the {@link KnobListener} in order. While the agent is unreachable the watch retries with backoff and logs at most
 * every 30 s; the training loop is never blocked. Close it to stop.
 */
public final class KnobWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KnobWatch.class.getName());

    private final AgentClient client;
    private final String jobId;
    private final String workerId;
    private final KnobListener listener;
    private final Duration maxBackoff;
    private final WarningThrottle log;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile KnobUpdate latest;
    private long backoffMs;

    KnobWatch(AgentClient client, String jobId, String workerId, KnobListener listener, AgentClientOptions options) {
        this.client = client;
        this.jobId = jobId;
        this.workerId = workerId;
        this.listener = listener;
        this.maxBackoff = options.maxBackoff();
        this.log = new WarningThrottle(LOG, options.clock(), Duration.ofSeconds(30));
        this.thread = Thread.ofPlatform().daemon().name("coxswain-knobs-" + workerId).unstarted(this::run);
    }

    KnobWatch start() {
        thread.start();
        return this;
    }

    /** The last update received, if any. */
    public Optional<KnobUpdate> latest() {
        return Optional.ofNullable(latest);
    }

    private void run() {
        while (!closed.get()) {
            runOnce();
        }
    }

    /** One long-poll: delivers a newer version if the agent has one, backs off if it is unreachable. */
    void runOnce() {
        long after = latest == null ? -1 : latest.version();
        try {
            Optional<KnobUpdate> update = client.pollKnobs(jobId, workerId, after, client.options().knobWait());
            backoffMs = 0;
            log.reset();
            update.filter(u -> u.version() > after).ifPresent(this::deliver);
        } catch (AgentUnavailableException e) {
            if (closed.get()) {
                return;
            }
            backoffMs = backoffMs == 0 ? 200 : Math.min(backoffMs * 2, maxBackoff.toMillis());
            log.warn("coxswain: knob watch for " + jobId + "/" + workerId + " cannot reach the agent, retrying: "
                    + e.getMessage());
            pause(backoffMs);
        } catch (RuntimeException e) {
            log.warn("coxswain: knob watch for " + jobId + "/" + workerId + " got a bad answer, retrying: " + e);
            pause(Math.max(200, backoffMs));
        }
    }

    private void deliver(KnobUpdate update) {
        latest = update;
        try {
            listener.onKnobs(update);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "coxswain: knob listener failed on version " + update.version(), e);
        }
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
