package dev.coxswain.bench;

import dev.coxswain.app.Services;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.ingest.CollectorSettings;
import dev.coxswain.collector.ingest.IngestPipeline;
import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.wire.TelemetryCodec;
import dev.coxswain.transport.ClientConfigs;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.TopicLayout;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code coxswain bench ingest}: the collector's ingest path, three ways.
 * <ol>
 *   <li>decode + validate + graph update of step reports on one thread, no Kafka (target 500,000/s);</li>
 *   <li>end-to-end records/s through a real embedded broker into a collector, over the raw Kafka consumer rate
 *       measured on the same topic in the same run (target ratio 0.9);</li>
 *   <li>p99 latency from produce to graph update with the producer paced at 10,000 records/s (target 100 ms).</li>
 * </ol>
 */
public final class IngestBenchmark {
    private static final int JOBS = 50;
    private static final int WORKERS = 16;

    private final PrintStream out;
    private final int runs;
    private final int brokerRecords;
    /** What the last broker run's raw consumer and collector used of the machine, for the report. */
    private String usage = "";

    public IngestBenchmark(PrintStream out, int runs, int brokerRecords) {
        this.out = out;
        this.runs = runs;
        this.brokerRecords = brokerRecords;
    }

    private static StepReport step(int i, Instant at) {
        return new StepReport("job-" + (i % JOBS), "w" + (i / JOBS % WORKERS), i / (JOBS * WORKERS), at,
                80 + i % 7, 50, 20, 5, 64, 64, OptionalDouble.of(0.5), Optional.of(new StepReport.GradientStats(2, 9)));
    }

    public void run() throws Exception {
        double decode = decodeRate();
        Path dir = Files.createTempDirectory("coxswain-bench-ingest");
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir)) {
            double ratio = brokerRatio(broker);
            double p99 = latencyP99(broker);
            out.printf("RESULT decode_records_per_s=%.0f broker_ratio=%.3f p99_latency_ms=%.1f%n", decode, ratio, p99);
        }
    }

    private double decodeRate() {
        int n = 1_000_000;
        String[] keys = new String[n];
        byte[][] values = new byte[n][];
        Instant t0 = Instant.now();
        for (int i = 0; i < n; i++) {
            StepReport r = step(i, t0.plusMillis(i));
            keys[i] = r.key();
            values[i] = TelemetryCodec.encode(r);
        }
        List<Double> rates = new ArrayList<>();
        List<Double> onCpuRates = new ArrayList<>();
        for (int run = 0; run < runs + 1; run++) {
            IngestPipeline pipeline = new IngestPipeline(new ClusterState(new ClusterGraph(
                    CollectorSettings.defaults().capacities()), 600, Clock.systemUTC(),
                    CollectorSettings.defaults().jobRetention()), new SimpleMeterRegistry(), Clock.systemUTC(),
                    IngestPipeline.ApplyObserver.NONE);
            Usage start = Usage.now();
            long[] schedule = Usage.threadSchedule();
            for (int i = 0; i < n; i++) {
                if (!(pipeline.handle(keys[i], values[i]) instanceof IngestPipeline.Outcome.Applied)) {
                    throw new IllegalStateException("record " + i + " was not applied");
                }
            }
            Usage end = Usage.now();
            long[] scheduleEnd = Usage.threadSchedule();
            double wall = end.wallNanos() - start.wallNanos();
            double rate = n / (wall / 1e9);
            // Records per second of this thread's time on a CPU: what a core of its own would give, GC apart.
            double onCpuRate = scheduleEnd[0] < 0 ? Double.NaN : n / ((scheduleEnd[0] - schedule[0]) / 1e9);
            if (run > 0) { // the first run warms up the JIT
                rates.add(rate);
                onCpuRates.add(onCpuRate);
            }
            out.printf("decode+validate+apply run %d: %,.0f records/s%s; %,.0f per second on a CPU, thread %s, %s%n",
                    run, rate, run == 0 ? " (warm-up)" : "", onCpuRate, Usage.schedule(schedule, scheduleEnd, wall),
                    end.since(start));
        }
        double median = Median.of(rates);
        out.printf("decode+validate+apply: median %,.0f step reports/s on one thread (target 500,000); %,.0f per second"
                + " on a CPU%n", median, Median.of(onCpuRates));
        return median;
    }

    private KafkaSettings freshTopics(EmbeddedKafka broker, String name) {
        // The benchmark producer outruns the broker on purpose: send() waits for buffer space rather than fail.
        KafkaSettings s = new KafkaSettings(Optional.of(broker.bootstrapServers()), Map.of("max.block.ms", "120000"),
                TopicLayout.withPrefix(name, 4, (short) 1),
                broker.dir());
        Topics.ensure(s);
        return s;
    }

    /**
     * Run 0 warms up (JIT of the consumer, fetch sessions, page cache) and is reported but not counted: measured
     * first in a cold JVM, the raw consumer ran at a third of its later rate and flattered the ratio.
     */
    private double brokerRatio(EmbeddedKafka broker) throws Exception {
        List<Double> ratios = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        List<Double> collectors = new ArrayList<>();
        for (int run = 0; run < runs + 1; run++) {
            KafkaSettings kafka = freshTopics(broker, "bench" + run);
            try (TelemetryPublisher pub = new TelemetryPublisher(kafka, "bench")) {
                Instant t0 = Instant.now();
                for (int i = 0; i < brokerRecords; i++) {
                    pub.send(step(i, t0), null);
                }
                pub.flush();
            }
            double raw = rawConsumerRate(kafka);
            double collector = collectorRate(kafka, "bench-e2e-" + run);
            double ratio = collector / raw;
            if (run > 0) {
                ratios.add(ratio);
                raws.add(raw);
                collectors.add(collector);
            }
            out.printf("broker run %d: raw consumer %,.0f records/s, collector end-to-end %,.0f records/s, ratio %.3f%s%n",
                    run, raw, collector, ratio, run == 0 ? " (warm-up)" : "");
            out.printf("  CPU: %s%n", usage);
        }
        double median = Median.of(ratios);
        out.printf("broker ratio: median %.3f (target 0.9); medians raw consumer %,.0f, collector %,.0f records/s%n",
                median, Median.of(raws), Median.of(collectors));
        return median;
    }

    private double rawConsumerRate(KafkaSettings kafka) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                new ClientConfigs(kafka).consumer("bench-raw-" + System.nanoTime(), "bench-raw"))) {
            c.subscribe(List.of(kafka.topics().telemetry()));
            int seen = 0;
            Usage start = null;
            long[] schedule = null;
            while (seen < brokerRecords) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(100));
                if (start == null && !records.isEmpty()) {
                    start = Usage.now();
                    schedule = Usage.threadSchedule();
                }
                seen += records.count();
            }
            Usage end = Usage.now();
            usage = "raw: " + end.since(start) + "; consumer thread "
                    + Usage.schedule(schedule, Usage.threadSchedule(), end.wallNanos() - start.wallNanos());
            return brokerRecords / ((end.wallNanos() - start.wallNanos()) / 1e9);
        }
    }

    private double collectorRate(KafkaSettings kafka, String group) throws Exception {
        // Written by the collector's apply thread only (the latch publishes the end): a plain count, no atomic
        // per record, as the raw consumer's loop has none.
        int[] applied = new int[1];
        Usage[] span = new Usage[2];
        long[] threadCpu = new long[2];
        long[][] schedule = new long[2][];
        CountDownLatch done = new CountDownLatch(1);
        try (Services services = new Services(Clock.systemUTC())) {
            services.collector(kafka, CollectorSettings.defaults().withGroupId(group), new SimpleMeterRegistry(),
                    (key, micros) -> {
                        int n = ++applied[0];
                        if (n == 1 || n == brokerRecords) {
                            int at = n == 1 ? 0 : 1;
                            span[at] = Usage.now();
                            schedule[at] = Usage.threadSchedule();
                            threadCpu[at] = Usage.threadCpuNanos("coxswain-collector-fetch");
                        }
                        if (n == brokerRecords) {
                            done.countDown();
                        }
                    });
            if (!done.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("collector applied only about " + applied[0] + " of " + brokerRecords);
            }
            double wall = span[1].wallNanos() - span[0].wallNanos();
            usage += String.format("%n       collector: %s; apply thread %s; fetch thread on a CPU %.2f",
                    span[1].since(span[0]), Usage.schedule(schedule[0], schedule[1], wall),
                    (threadCpu[1] - threadCpu[0]) / wall);
            return brokerRecords / (wall / 1e9);
        }
    }

    /**
     * Paces the producer at 10,000 records/s for 5 s of warm-up (JIT, connections, fetch sessions; reported but
     * excluded) and then 10 s measured.
     */
    private double latencyP99(EmbeddedKafka broker) throws Exception {
        KafkaSettings kafka = freshTopics(broker, "latency");
        int rate = 10_000;
        int warmup = rate * 5;
        int total = warmup + rate * 10;
        double[] latencies = new double[total];
        AtomicInteger n = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch joined = new CountDownLatch(1);
        try (Services services = new Services(Clock.systemUTC());
             TelemetryPublisher pub = new TelemetryPublisher(kafka, "bench-latency")) {
            services.collector(kafka, CollectorSettings.defaults().withGroupId("bench-latency"),
                    new SimpleMeterRegistry(), (key, micros) -> {
                        if (key.equals("probe")) {
                            joined.countDown();
                            return;
                        }
                        // in the order applied: the warm-up's records come first, give or take a few
                        int i = n.getAndIncrement();
                        latencies[i] = (currentMicros() - micros) / 1000.0;
                        if (i + 1 == total) {
                            done.countDown();
                        }
                    });
            // A probe record tells when the collector has joined its group and reads: pacing starts after that.
            pub.send(new StepReport("probe", "w0", 0, Instant.now(), 1, 0, 0, 0, 1, 1, OptionalDouble.empty(),
                    Optional.empty()), null);
            if (!joined.await(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the collector did not start reading within a minute");
            }
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + (long) (i * 1e9 / rate);
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(50_000);
                }
                pub.send(new StepReport("job-" + (i % JOBS), "w" + (i / JOBS % WORKERS), i, Instant.now(), 80, 50, 20,
                        5, 64, 64, OptionalDouble.empty(), Optional.empty()), null);
            }
            pub.flush();
            if (!done.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("collector applied only " + n.get() + " of " + total);
            }
        }
        for (int sec = 0; sec < total / rate; sec++) {
            double[] slice = Arrays.copyOfRange(latencies, sec * rate, (sec + 1) * rate);
            out.printf("  second %2d%s: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", sec,
                    sec < warmup / rate ? " (warm-up)" : "          ", Percentile.nearestRank(slice, 50),
                    Percentile.nearestRank(slice, 99), Percentile.nearestRank(slice, 100));
        }
        double[] measured = Arrays.copyOfRange(latencies, warmup, total);
        double p50 = Percentile.nearestRank(measured, 50);
        double p99 = Percentile.nearestRank(measured, 99);
        out.printf("latency at %,d records/s, %,d records after %d s warm-up: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                + " (target p99 < 100 ms)%n", rate, measured.length, warmup / rate, p50, p99,
                Percentile.nearestRank(measured, 100));
        return p99;
    }

    private static long currentMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }
}
