package dev.coxswain.bench;

import dev.coxswain.app.sim.KafkaTelemetrySink;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.Topics;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.SimOutput;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SyncSpec;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code coxswain bench load}: how large a cluster one collector holds on this machine. For each size, a
 * {@code coxswain collector} process (with its detector, controller and dashboard, as a user starts it, heap bounded
 * by {@code -Xmx}) reads a simulated cluster's telemetry from the embedded broker in real time. The what-if
 * simulator runs the cluster ({@link #plant}: DGX H100 nodes, eight 400 Gbit/s NICs each, a two-tier fat tree) at
 * pace 1 and sends what its agents would: a topology report per host, each job's membership, a GPU sample per GPU
 * and a host sample per host every second, and the step reports of 64-worker ring all-reduce jobs (three models in
 * turn). While it runs, the collector's own endpoints are read about twice a second:
 *
 * <ul>
 *   <li>its consumer lag ({@code /metrics});</li>
 *   <li>produce to snapshot: for one job at random, how long the first step its snapshot does not show yet has been
 *   waiting since it was reported (from the last step {@code /api/jobs} shows), at random moments; its high
 *   percentiles approach the pipeline's latency, which includes up to one snapshot interval (500 ms by
 *   default);</li>
 *   <li>whether its dashboard and detector answer ({@code /api/health}, {@code /api/stragglers});</li>
 *   <li>its resident memory ({@code /proc}).</li>
 * </ul>
 *
 * <p>A size is held when the lag stays bounded (it ends below one second's records), the p99 produce-to-snapshot
 * time is under 1 s, and every read was answered.
 */
public final class LoadBenchmark {
    private static final int WORKERS_PER_JOB = 64;
    private static final Duration WARM_UP = Duration.ofSeconds(15);
    private static final Pattern LAG = Pattern.compile(
            "(?m)^coxswain_collector_consumer_lag_records(?:\\{[^}]*})? ([0-9.Ee+-]+)$");

    private final PrintStream out;
    private final Clock clock;

    public LoadBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** What one size did. */
    record Size(int gpus, double recordsPerSec, long maxLag, long endLag, double p99Ms, double maxMs,
                double maxRssMb, int unanswered) {
        boolean held() {
            return endLag < recordsPerSec && p99Ms < 1000 && unanswered == 0;
        }
    }

    /** @param heap the collector's {@code -Xmx}, e.g. {@code 2g} */
    public void run(List<Integer> sizes, Duration measured, String heap) throws Exception {
        out.printf(Locale.ROOT, "one collector (-Xmx%s) against simulated clusters of %s GPUs (what-if simulator in"
                + " real time), %d s each after %d s of warm-up%n", heap, sizes, measured.toSeconds(),
                WARM_UP.toSeconds());
        out.printf(Locale.ROOT, "%8s %10s %9s %9s %11s %11s %9s %10s %s%n", "GPUs", "records/s", "max lag", "end lag",
                "p99 to snap", "max to snap", "RSS MB", "unanswered", "held");
        List<Size> results = new ArrayList<>();
        for (int gpus : sizes) {
            Size s = once(gpus, measured, heap);
            results.add(s);
            out.printf(Locale.ROOT, "%8d %10.0f %9d %9d %8.0f ms %8.0f ms %9.1f %10d %s%n", s.gpus(),
                    s.recordsPerSec(), s.maxLag(), s.endLag(), s.p99Ms(), s.maxMs(), s.maxRssMb(),
                    s.unanswered(), s.held() ? "yes" : "no");
        }
        int largest = results.stream().filter(Size::held).mapToInt(Size::gpus).max().orElse(0);
        StringJoiner result = new StringJoiner(" ", "RESULT largest_held_gpus=" + largest + " ", "");
        for (Size s : results) {
            result.add(String.format(Locale.ROOT, "p99_ms_%d=%.0f max_lag_%d=%d rss_mb_%d=%.1f", s.gpus(),
                    s.p99Ms(), s.gpus(), s.maxLag(), s.gpus(), s.maxRssMb()));
        }
        out.println(result);
    }

    private Size once(int gpus, Duration measured, String heap) throws Exception {
        if (gpus % WORKERS_PER_JOB != 0) {
            throw new CoxswainException("--gpus " + gpus + ": must be a multiple of " + WORKERS_PER_JOB);
        }
        Path dir = Files.createTempDirectory("coxswain-bench-load-" + gpus);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"));
             KafkaTelemetrySink sink = new KafkaTelemetrySink(broker.bootstrapServers())) {
            Topics.ensure(KafkaSettings.of(broker.bootstrapServers()));
            Load load = new Load(plant(gpus), sink);
            Thread producer = Thread.ofPlatform().name("bench-load").start(load);
            try (CoxswainProcess collector = CoxswainProcess.start(CoxswainProcess.Kind.COLLECTOR,
                    List.of("-Xmx" + heap), Map.of("kafka.bootstrap.servers", broker.bootstrapServers()),
                    dir.resolve("collector"))) {
                collector.awaitHealthy(Duration.ofMinutes(2));
                Thread.sleep(WARM_UP.toMillis());
                long sentBefore = load.count();
                long start = System.nanoTime();
                long end = start + measured.toNanos();
                List<Double> waits = new ArrayList<>();
                SplittableRandom jitter = new SplittableRandom(gpus);
                long maxLag = 0;
                long lag = 0;
                double maxRss = 0;
                int unanswered = 0;
                while (System.nanoTime() < end) {
                    Thread.sleep(250 + jitter.nextInt(500)); // not in step with the load's 500 ms steps
                    HttpResponse<String> metrics = collector.get("/metrics");
                    HttpResponse<String> jobs = collector.get("/api/jobs");
                    boolean live = metrics.statusCode() == 200 && jobs.statusCode() == 200
                            && collector.get("/api/health").statusCode() == 200
                            && collector.get("/api/stragglers").statusCode() == 200;
                    if (!live) {
                        unanswered++;
                        continue;
                    }
                    Matcher m = LAG.matcher(metrics.body());
                    lag = m.find() ? (long) Double.parseDouble(m.group(1)) : lag;
                    maxLag = Math.max(maxLag, lag);
                    // one job at random per read: how long its first step not shown yet has been waiting
                    List<JsonObject> shown = new JsonObject(jobs.body()).getJsonArray("jobs").stream()
                            .map(j -> (JsonObject) j).filter(j -> j.getLong("lastStep") != null).toList();
                    if (!shown.isEmpty()) {
                        JsonObject job = shown.get(jitter.nextInt(shown.size()));
                        waits.add((double) load.waitingMs(job.getString("id"), job.getLong("lastStep")));
                    }
                    maxRss = Math.max(maxRss, collector.residentMb());
                }
                load.check();
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (load.count() - sentBefore) / seconds;
                double[] sorted = waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                return new Size(gpus, rate, maxLag, lag, Percentile.nearestRank(sorted, 99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], maxRss, unanswered);
            } finally {
                load.stop();
                producer.join();
            }
        }
    }

    /**
     * A cluster of {@code gpus / 8} DGX H100 nodes (the {@code dgx-h100} preset, grown) filled with 64-worker ring
     * all-reduce jobs of three kinds in turn (0.36-0.46 s a step on 1,024 GPUs; the simulator makes them slower on
     * larger trees).
     */
    static Plant plant(int gpus) {
        ClusterSpec preset = ClusterPresets.get("dgx-h100");
        NodeGroup g = preset.groups().getFirst();
        ClusterSpec cluster = new ClusterSpec("dgx-h100-" + gpus, List.of(new NodeGroup(g.name(),
                gpus / g.gpusPerNode(), g.gpu(), g.gpusPerNode(), g.fabric(), g.nics())), preset.tiers());
        List<Workload> kinds = List.of(
                workload("vit-large", 0.05, 0.0015, 608_000_000L, 256),
                workload("bert-large", 0.02, 0.0025, 670_000_000L, 128),
                workload("gpt-350m", 0.08, 0.015, 710_000_000L, 32));
        List<JobSpec> jobs = new ArrayList<>();
        for (int j = 0; j < gpus / WORKERS_PER_JOB; j++) {
            List<Integer> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS_PER_JOB; w++) {
                workers.add(j * WORKERS_PER_JOB + w);
            }
            Workload kind = kinds.get(j % kinds.size());
            jobs.add(new JobSpec("load-job-" + j, kind.model(), new SyncSpec.AllReduce(SyncSpec.Algorithm.RING),
                    workers, Collections.nCopies(WORKERS_PER_JOB, kind.localBatch()), 1, Long.MAX_VALUE / 2,
                    List.of(), 0.01 * j));
        }
        return new Plant(cluster, jobs);
    }

    /** A model as an H100 runs it, and the local batch its jobs use. */
    private record Workload(ModelProfile model, int localBatch) {
    }

    private static Workload workload(String name, double alphaSec, double betaSecPerSample, long gradientBytes,
                                     int localBatch) {
        return new Workload(new ModelProfile(name, List.of(new ModelProfile.ComputeCost("H100-SXM5-80GB", alphaSec,
                betaSecPerSample, 989)), gradientBytes, 25L << 20, 0.33, 0.03), localBatch);
    }

    /** The simulated cluster and its jobs. */
    record Plant(ClusterSpec cluster, List<JobSpec> jobs) {
    }

    /**
     * The what-if simulator's telemetry of a {@link Plant}, sent in real time (pace 1) on its own thread, with when
     * each job's recent steps were first reported.
     */
    private final class Load implements SimOutput, Runnable {
        private static final int STEPS_KEPT = 1_000;
        private final Simulation simulation;
        private final KafkaTelemetrySink sink;
        private final AtomicLong sent = new AtomicLong();
        private final Map<String, NavigableMap<Long, Instant>> produced = new ConcurrentHashMap<>();
        private volatile RuntimeException failure;

        Load(Plant plant, KafkaTelemetrySink sink) {
            this.sink = sink;
            this.simulation = new Simulation(new Topology(plant.cluster()), plant.jobs(), this, clock,
                    new Simulation.Options(plant.jobs().size(), 1, 1));
        }

        @Override
        public void run() {
            try {
                simulation.run();
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void stop() {
            simulation.stop();
        }

        /** @throws CoxswainException when the simulation stopped on an error, so that no figure comes from it */
        void check() {
            if (failure != null) {
                throw new CoxswainException("the simulated cluster failed: " + failure, failure);
            }
        }

        /**
         * How long the first step of {@code job} after {@code shown} has been waiting since it was reported; 0 when
         * it has not been reported yet.
         */
        long waitingMs(String job, long shown) {
            NavigableMap<Long, Instant> steps = produced.get(job);
            Map.Entry<Long, Instant> next = steps == null ? null : steps.higherEntry(shown);
            return next == null ? 0 : Math.max(0, Duration.between(next.getValue(), clock.instant()).toMillis());
        }

        @Override
        public void accept(Telemetry record) {
            if (record instanceof StepReport s) {
                NavigableMap<Long, Instant> steps = produced.computeIfAbsent(s.jobId(),
                        id -> new ConcurrentSkipListMap<>());
                if (steps.putIfAbsent(s.step(), clock.instant()) == null && steps.size() > STEPS_KEPT) {
                    steps.pollFirstEntry();
                }
            }
            sink.accept(record);
            sent.incrementAndGet();
        }

        @Override
        public long count() {
            return sent.get();
        }

        @Override
        public void close() {
        }
    }
}
