package dev.coxswain.app;

import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.ingest.Collector;
import dev.coxswain.collector.ingest.CollectorSettings;
import dev.coxswain.collector.snapshot.SnapshotHub;
import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.EmbeddedKafka;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;

/**
 * The components a command starts, built and wired here by hand, and stopped in reverse order of start: on
 * {@link #close()}, or on Ctrl-C while {@link #awaitShutdown()} blocks.
 */
public final class Services implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock;

    public Services(Clock clock) {
        this.clock = clock;
    }

    public <T extends AutoCloseable> T add(T component) {
        started.push(component);
        return component;
    }

    /** The configured cluster, or an embedded broker started in the state directory; topics created if missing. */
    public KafkaSettings kafka(KafkaSettings settings) {
        KafkaSettings resolved = settings;
        if (settings.bootstrapServers().isEmpty()) {
            EmbeddedKafka broker = add(EmbeddedKafka.start(settings.embeddedDir()));
            resolved = settings.withBootstrap(broker.bootstrapServers());
        }
        Topics.ensure(resolved);
        return resolved;
    }

    /** Starts a collector in the configured group; returns the hub its snapshots are published to. */
    public SnapshotHub collector(KafkaSettings kafka, CollectorSettings settings, MeterRegistry registry,
                                 Collector.ApplyObserver observer) {
        SnapshotHub hub = new SnapshotHub();
        ClusterState state = new ClusterState(new ClusterGraph(settings.capacities()), settings.windowSteps(), clock);
        DeadLetters deadLetters = add(new DeadLetters(kafka, "collector-dead-letters"));
        Collector collector = add(new Collector(settings, kafka, state, hub, deadLetters, registry, observer, clock));
        collector.start();
        return hub;
    }

    /** Blocks until Ctrl-C (or SIGTERM), then stops everything. */
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "coxswain-shutdown"));
        stopped.await();
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.error("error stopping {}", c.getClass().getSimpleName(), e);
            }
        }
    }
}
