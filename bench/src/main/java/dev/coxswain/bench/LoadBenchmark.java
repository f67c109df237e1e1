package dev.coxswain.bench;

import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.Topics;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code coxswain bench load}: how large a cluster one collector holds on this machine. For each size, a
 * {@code coxswain collector} process (with its detector, controller and dashboard, as a user starts it, heap bounded
 * by {@code -Xmx}) reads a synthetic cluster's telemetry from the embedded broker in real time: hosts of 8 GPUs on
 * leaf switches of 32 hosts, a topology report per host, a GPU sample per GPU and a host sample per host every
 * second, and ring all-reduce jobs of 64 workers (8 hosts each) that each report a step every 500 ms: about 3.1
 * records a second per GPU. While it runs, the collector's own endpoints are read twice a second:
 *
 * <ul>
 *   <li>its consumer lag ({@code /metrics});</li>
 *   <li>produce to snapshot: how long the first step its snapshot does not show yet has been waiting since it was
 *   produced (from the newest step {@code /api/jobs} shows), at random moments; its high percentiles approach the
 *   pipeline's latency, which includes up to one snapshot interval (500 ms by default);</li>
 *   <li>whether its dashboard and detector answer ({@code /api/health}, {@code /api/stragglers});</li>
 *   <li>its resident memory ({@code /proc}).</li>
 * </ul>
 *
 * <p>A size is held when the lag stays bounded (it ends below one second's records), the p99 produce-to-snapshot
 * time is under 1 s, and every read was answered.
 */
public final class LoadBenchmark {
    static final int GPUS_PER_HOST = 8;
    private static final int HOSTS_PER_LEAF = 32;
    private static final int WORKERS_PER_JOB = 64;
    private static final Duration STEP = Duration.ofMillis(500);
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
        out.printf(Locale.ROOT, "one collector (-Xmx%s) against synthetic clusters of %s GPUs, %d s each after %d s of"
                + " warm-up%n", heap, sizes, measured.toSeconds(), WARM_UP.toSeconds());
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
             TelemetryPublisher publisher = new TelemetryPublisher(KafkaSettings.of(broker.bootstrapServers()),
                     "bench-load")) {
            Topics.ensure(KafkaSettings.of(broker.bootstrapServers()));
            Load load = new Load(gpus / GPUS_PER_HOST, publisher);
            Thread producer = Thread.ofPlatform().name("bench-load").start(load);
            try (CoxswainProcess collector = CoxswainProcess.start(CoxswainProcess.Kind.COLLECTOR,
                    List.of("-Xmx" + heap), Map.of("kafka.bootstrap.servers", broker.bootstrapServers()),
                    dir.resolve("collector"))) {
                collector.awaitHealthy(Duration.ofMinutes(2));
                Thread.sleep(WARM_UP.toMillis());
                long sentBefore = load.sent.get();
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
                    long newest = new JsonObject(jobs.body()).getJsonArray("jobs").stream()
                            .map(j -> ((JsonObject) j).getLong("lastStep")).filter(Objects::nonNull)
                            .mapToLong(Long::longValue).max().orElse(-1);
                    if (newest >= 0) {
                        waits.add((double) Math.max(0,
                                Duration.between(load.producedAt(newest + 1), clock.instant()).toMillis()));
                    }
                    maxRss = Math.max(maxRss, collector.residentMb());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = (load.sent.get() - sentBefore) / seconds;
                double[] sorted = waits.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                return new Size(gpus, rate, maxLag, lag, Percentile.nearestRank(sorted, 99),
                        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], maxRss, unanswered);
            } finally {
                load.running.set(false);
                producer.join();
            }
        }
    }

    /** The synthetic cluster's telemetry, sent in real time in ticks of 100 ms. */
    private final class Load implements Runnable {
        private final int hosts;
        private final TelemetryPublisher publisher;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private volatile Instant started;

        Load(int hosts, TelemetryPublisher publisher) {
            this.hosts = hosts;
            this.publisher = publisher;
        }

        /** When step {@code step} of every job was produced. */
        Instant producedAt(long step) {
            return started.plus(STEP.multipliedBy(step));
        }

        private String host(int h) {
            return "load-h" + h;
        }

        @Override
        public void run() {
            started = clock.instant();
            for (int h = 0; h < hosts; h++) {
                send(topology(h));
            }
            int jobs = hosts * GPUS_PER_HOST / WORKERS_PER_JOB;
            for (int j = 0; j < jobs; j++) {
                List<JobMembership.Member> members = new ArrayList<>();
                for (int w = 0; w < WORKERS_PER_JOB; w++) {
                    members.add(new JobMembership.Member("w" + w, host(j * (WORKERS_PER_JOB / GPUS_PER_HOST)
                            + w / GPUS_PER_HOST), w % GPUS_PER_HOST, JobMembership.Role.WORKER));
                }
                send(new JobMembership("load-job-" + j, started, JobMembership.CommPattern.RING_ALLREDUCE,
                        400_000_000L, members));
            }
            int ticksPerStep = (int) (STEP.toMillis() / 100);
            for (long tick = 0; running.get(); tick++) {
                Instant due = started.plusMillis(100 * tick);
                long wait = Duration.between(clock.instant(), due).toMillis();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                Instant now = clock.instant();
                if (tick % ticksPerStep == 0) {
                    long step = tick / ticksPerStep;
                    for (int j = 0; j < jobs; j++) {
                        for (int w = 0; w < WORKERS_PER_JOB; w++) {
                            send(new StepReport("load-job-" + j, "w" + w, step, now, 480, 300, 150, 20, 32, 32,
                                    OptionalDouble.empty(), Optional.empty()));
                        }
                    }
                }
                // a tenth of the hosts' samples per tick: each host once a second
                for (int h = (int) (tick % 10); h < hosts; h += 10) {
                    send(new HostSample(host(h), now, 35, 0.5, 2048L << 30, 900L << 30, List.of(), List.of()));
                    for (int g = 0; g < GPUS_PER_HOST; g++) {
                        send(new GpuSample(host(h), now, g, host(h) + "-gpu" + g, "NVIDIA H100 80GB HBM3",
                                OptionalDouble.of(95), 60L << 30, 80L << 30, OptionalDouble.of(1980),
                                OptionalDouble.of(1980), OptionalDouble.of(650), OptionalDouble.of(700),
                                OptionalDouble.of(65), 0, OptionalDouble.empty(), OptionalDouble.empty(),
                                OptionalDouble.empty(), OptionalDouble.empty()));
                    }
                }
            }
        }

        private TopologyReport topology(int h) {
            List<TopologyReport.GpuInfo> gpus = new ArrayList<>();
            List<TopologyReport.GpuLink> links = new ArrayList<>();
            for (int i = 0; i < GPUS_PER_HOST; i++) {
                gpus.add(new TopologyReport.GpuInfo(i, host(h) + "-gpu" + i, "NVIDIA H100 80GB HBM3"));
                for (int j = i + 1; j < GPUS_PER_HOST; j++) {
                    links.add(new TopologyReport.GpuLink(i, j, TopologyReport.LinkKind.NVLINK, 18));
                }
            }
            List<TopologyReport.NicInfo> nics = List.of(new TopologyReport.NicInfo("mlx5_0",
                    TopologyReport.NicKind.INFINIBAND, 400e9, Arrays.asList(0, 1, 2, 3, 4, 5, 6, 7),
                    Optional.of("leaf-" + h / HOSTS_PER_LEAF)));
            return new TopologyReport(host(h), started, gpus, links, nics);
        }

        private void send(Telemetry record) {
            publisher.send(record, null);
            sent.incrementAndGet();
        }
    }
}
