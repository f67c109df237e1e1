package dev.coxswain.sdk.testing;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.agent.publish.SendOutcome;
import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The real node agent ({@code coxswain-agent}) run in this JVM on a loopback port, with no host samplers and a sink
 * that keeps what the agent publishes instead of sending it to Kafka, so that tests see exactly the records that the
 * intake accepted.
 */
public final class LocalAgent implements AutoCloseable {
    private final List<Telemetry> published = new CopyOnWriteArrayList<>();
    private final Agent agent;

    private LocalAgent(int port) {
        TelemetrySink sink = new TelemetrySink() {
            @Override
            public void send(Telemetry record, Consumer<SendOutcome> done) {
                published.add(record);
                done.accept(SendOutcome.SENT);
            }
        };
        agent = new Agent(AgentSettings.defaults("test-node").withIntakePort(port), sink, new SimpleMeterRegistry(),
                Clock.systemUTC(), List.of());
        agent.start();
    }

    /** An agent on a free port. */
    public static LocalAgent start() {
        return new LocalAgent(0);
    }

    /** An agent on {@code port} (to bring one back where a client expects it). */
    public static LocalAgent start(int port) {
        return new LocalAgent(port);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + agent.intakePort());
    }

    public int port() {
        return agent.intakePort();
    }

    public Agent agent() {
        return agent;
    }

    public List<StepReport> steps() {
        return published.stream().filter(StepReport.class::isInstance).map(StepReport.class::cast).toList();
    }

    public List<JobEvent> events() {
        return published.stream().filter(JobEvent.class::isInstance).map(JobEvent.class::cast).toList();
    }

    public List<JobMembership> memberships() {
        return published.stream().filter(JobMembership.class::isInstance).map(JobMembership.class::cast).toList();
    }

    /**
     * Waits (up to 10 s) until the agent has passed on everything its intake accepted: its buffer is empty and
     * nothing more has been published for 100 ms (a batch the publisher has taken from the buffer is not counted
     * there while it is being handed on).
     */
    public LocalAgent drain() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int seen = -1;
        while (System.nanoTime() < deadline && (agent.buffered() > 0 || published.size() != seen)) {
            seen = published.size();
            Thread.sleep(100);
        }
        return this;
    }

    @Override
    public void close() {
        agent.close();
    }
}
