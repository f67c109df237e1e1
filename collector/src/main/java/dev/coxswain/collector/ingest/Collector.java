package dev.coxswain.collector.ingest;

import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.KeyedLog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A member of the collectors' consumer group, on two threads. The fetch thread owns the consumers: it reads the
 * whole compacted topology topic (every collector needs the whole graph) and its share of the telemetry topic, and
 * hands record batches, and revocations in their place among them, through a bounded queue to the apply thread.
 * The apply thread owns the {@link ClusterState}: it applies each record, sends what it cannot use to the
 * dead-letter topic, and publishes snapshots. Fetching and decoding so overlap; a full queue holds the fetch thread
 * back.
 *
 * <p>On a rebalance it forgets the jobs and nodes of revoked partitions and re-reads newly assigned ones from
 * {@code rebuildWindow} ago, so its windows are whole again. Bad input never stops it.
 */
public final class Collector implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int QUEUE_BATCHES = 8;
    /**
     * Offsets are committed and the lag gauge updated at most this often, not after every poll: an assigned
     * partition is re-read by time ({@code rebuildWindow}), never from the committed offset, so a commit only tells
     * monitoring tools how far the group has read, and one per poll (hundreds a second at full speed) made the
     * broker's group coordinator append to its offsets log as often, on the cores the collector needs.
     */
    private static final Duration BOOKKEEPING = Duration.ofSeconds(1);

    /** What the fetch thread hands the apply thread, in order. */
    private sealed interface Work {
    }

    private record Batch(Iterable<ConsumerRecord<String, byte[]>> records) implements Work {
    }

    private record Revoke(Set<Integer> partitions, int partitionCount) implements Work {
    }

    private final CollectorSettings settings;
    private final KafkaSettings kafka;
    private final ClusterState state;
    private final IngestPipeline pipeline;
    private final SnapshotHub hub;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lag = new AtomicLong();
    private Consumer<String, byte[]> telemetry;
    private Consumer<String, byte[]> topology;
    private final BlockingQueue<Work> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
    private Thread fetchThread;
    private Thread applyThread;
    private long lastSnapshotMs;
    private long lastBookkeepingMs;
    private boolean uncommitted;
    private boolean dirty;

    public Collector(CollectorSettings settings, KafkaSettings kafka, ClusterState state, SnapshotHub hub,
                     DeadLetters deadLetters, MeterRegistry registry, IngestPipeline.ApplyObserver observer,
                     Clock clock) {
        this.settings = settings;
        this.kafka = kafka;
        this.state = state;
        this.pipeline = new IngestPipeline(state, registry, clock, observer);
        this.hub = hub;
        this.deadLetters = deadLetters;
        this.clock = clock;
        Gauge.builder("coxswain.collector.consumer.lag", lag, AtomicLong::get)
                .description("Telemetry records not yet read by this collector").baseUnit("records")
                .register(registry);
        Gauge.builder("coxswain.collector.graph.vertices", hub, h -> h.latest().graph().vertexSet().size())
                .description("Vertices in the cluster graph").register(registry);
        Gauge.builder("coxswain.collector.graph.edges", hub, h -> h.latest().graph().edgeSet().size())
                .description("Links in the cluster graph").register(registry);
        Gauge.builder("coxswain.collector.jobs", state, ClusterState::jobCount)
                .description("Jobs owned by this collector").register(registry);
    }

    /** Starts the fetch and apply threads. */
    public void start() {
        applyThread = new Thread(this::applyLoop, "coxswain-collector-apply");
        applyThread.start();
        fetchThread = new Thread(this, "coxswain-collector-fetch");
        fetchThread.start();
    }

    @Override
    public void run() {
        ClientConfigs configs = new ClientConfigs(kafka);
        try (Consumer<String, byte[]> t = new KafkaConsumer<>(configs.consumer(settings.groupId(), "collector"));
             Consumer<String, byte[]> topo = new KafkaConsumer<>(configs.consumer(null, "collector-topology"))) {
            telemetry = t;
            topology = topo;
            List<TopicPartition> topoParts = topo.partitionsFor(kafka.topics().topology()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            topo.assign(topoParts);
            topo.seekToBeginning(topoParts);
            t.subscribe(List.of(kafka.topics().telemetry()), new Rebalance());
            while (running.get()) {
                fetchOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("collector stopped on an unexpected error", e);
            throw e;
        } finally {
            log.info("collector stopped");
        }
    }

    /** One fetch round: topology first, then a poll of telemetry, each handed on as a batch. */
    void fetchOnce() throws InterruptedException {
        var topo = topology.poll(Duration.ZERO);
        if (!topo.isEmpty()) {
            hand(new Batch(topo));
        }
        var records = telemetry.poll(POLL);
        if (!records.isEmpty()) {
            hand(new Batch(records));
            uncommitted = true;
        }
        long now = clock.millis();
        if (now - lastBookkeepingMs >= BOOKKEEPING.toMillis()) {
            if (uncommitted) {
                telemetry.commitAsync();
                uncommitted = false;
            }
            updateLag();
            lastBookkeepingMs = now;
        }
    }

    /** Waits for room in the queue, giving up once the collector is stopping (the apply thread may be gone). */
    private void hand(Work work) throws InterruptedException {
        while (running.get()) {
            if (queue.offer(work, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private void applyLoop() {
        try {
            while (running.get()) {
                applyOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("collector apply thread stopped on an unexpected error", e);
        }
    }

    /** One apply round: the next batch or revocation, if any within the poll time, then a snapshot when due. */
    void applyOnce() throws InterruptedException {
        Work work = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
        switch (work) {
            case null -> { }
            case Batch b -> b.records().forEach(this::handle);
            case Revoke r -> {
                state.forgetKeys(key -> r.partitions().contains(KeyedLog.partitionOf(key, r.partitionCount())));
                dirty = true;
            }
        }
        long now = clock.millis();
        if (now - lastSnapshotMs >= settings.snapshotInterval().toMillis() && (dirty || lastSnapshotMs == 0)) {
            hub.publish(state.snapshot());
            lastSnapshotMs = now;
            dirty = false;
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) {
        switch (pipeline.handle(r.key(), r.value())) {
            case IngestPipeline.Outcome.Applied a -> dirty = true;
            case IngestPipeline.Outcome.Rejected x -> {
                log.debug("dead letter from {}/{}@{}: {} {}", r.topic(), r.partition(), r.offset(), x.reason(),
                        x.detail());
                deadLetters.send(r, x.reason(), x.detail());
            }
        }
    }

    private void updateLag() {
        long total = 0;
        for (TopicPartition tp : telemetry.assignment()) {
            total += telemetry.currentLag(tp).orElse(0);
        }
        lag.set(total);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // Keys were placed by Kafka's default partitioner (murmur2 of the key), as every Coxswain producer
            // does: recomputing it is cheaper than remembering the partition of every key on the hot path.
            int count = telemetry.partitionsFor(kafka.topics().telemetry()).size();
            Set<Integer> gone = new HashSet<>();
            partitions.forEach(tp -> gone.add(tp.partition()));
            try {
                hand(new Revoke(gone, count));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            // End offsets first: a partition with nothing newer than the window starts at the end as it was
            // before the time query, so a record produced meanwhile is read, not skipped.
            Map<TopicPartition, Long> ends = telemetry.endOffsets(partitions);
            long from = clock.millis() - settings.rebuildWindow().toMillis();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> offsets = telemetry.offsetsForTimes(query);
            for (TopicPartition tp : partitions) {
                OffsetAndTimestamp o = offsets.get(tp);
                telemetry.seek(tp, o == null ? ends.get(tp) : o.offset());
            }
            log.info("partitions assigned: {}; re-reading from {} ago", partitions, settings.rebuildWindow());
        }
    }

    /** Stops both threads and waits for them; safe to call more than once. */
    @Override
    public void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        Consumer<String, byte[]> t = telemetry;
        if (t != null) {
            t.wakeup();
        }
        join(fetchThread);
        join(applyThread);
        deadLetters.flush();
    }

    private static void join(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
