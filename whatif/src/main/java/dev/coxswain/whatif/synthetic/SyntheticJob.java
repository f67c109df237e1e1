package dev.coxswain.whatif.synthetic;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A simulated 8-GPU ring all-reduce job on two simulated nodes, for the demo on machines without GPUs. The GPUs
 * and their samples are simulated (there is no GPU here); everything else is real: the job reports its steps and
 * membership to the real agent intake over HTTP, and the nodes' topology and GPU samples go to
 * {@code nodeTelemetry} (the demo's publisher, so the real broker and collector). After {@code stragglerAfter}, GPU 1 of node-b throttles (SM clock down, compute
 * slower) and, the job being synchronous, every worker's step time rises while the others wait for it.
 */
public final class SyntheticJob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyntheticJob.class);
    private static final List<String> NODES = List.of("node-a", "node-b");
    private static final int GPUS_PER_NODE = 4;
    private static final String STRAGGLER = "w5";

    private final String jobId;
    private final URI intake;
    private final Consumer<Telemetry> nodeTelemetry;
    private final Duration stragglerAfter;
    private final Clock clock;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "coxswain-synthetic-job"));
    private Instant started;
    private long step;

    /** @param nodeTelemetry takes the nodes' topology and GPU samples, from the job's one timer thread */
    public SyntheticJob(String jobId, URI intake, Consumer<Telemetry> nodeTelemetry, Duration stragglerAfter,
                        Clock clock, long seed) {
        this.jobId = jobId;
        this.intake = intake;
        this.nodeTelemetry = nodeTelemetry;
        this.stragglerAfter = stragglerAfter;
        this.clock = clock;
        this.random = new Random(seed);
    }

    public void start() {
        started = clock.instant();
        for (String node : NODES) {
            nodeTelemetry.accept(topology(node));
        }
        post("/v1/jobs", membershipJson());
        timer.scheduleAtFixedRate(this::safeStep, 0, 100, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::safeGpuSamples, 0, 1, TimeUnit.SECONDS);
    }

    private boolean straggling() {
        return Duration.between(started, clock.instant()).compareTo(stragglerAfter) >= 0;
    }

    private void safeStep() {
        try {
            step();
        } catch (RuntimeException e) {
            log.warn("synthetic job step failed: {}", e.toString());
        }
    }

    private void step() {
        double[] compute = new double[NODES.size() * GPUS_PER_NODE];
        double slowest = 0;
        for (int w = 0; w < compute.length; w++) {
            compute[w] = 60 * (1 + 0.03 * random.nextGaussian()) * (straggling() && isStraggler(w) ? 1.8 : 1);
            slowest = Math.max(slowest, compute[w]);
        }
        double comm = 25 * (1 + 0.05 * random.nextGaussian());
        StringBuilder body = new StringBuilder("{\"reports\":[");
        long now = clock.millis();
        for (int w = 0; w < compute.length; w++) {
            double wait = slowest - compute[w];
            double stepMs = compute[w] + wait + comm + 2;
            body.append(w == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"job\":\"%s\",\"worker\":\"w%d\",\"step\":%d,\"timestamp_ms\":%d,\"step_time_ms\":%.2f,"
                            + "\"compute_ms\":%.2f,\"comm_ms\":%.2f,\"wait_ms\":%.2f,\"samples\":64,\"batch_size\":64,"
                            + "\"loss\":%.4f}", jobId, w, step, now, stepMs, compute[w], comm, wait,
                    2.3 * Math.exp(-step / 3000.0) + 0.3));
        }
        post("/v1/steps", body.append("]}").toString());
        step++;
    }

    private static boolean isStraggler(int worker) {
        return ("w" + worker).equals(STRAGGLER);
    }

    private void safeGpuSamples() {
        try {
            Instant now = clock.instant();
            for (int n = 0; n < NODES.size(); n++) {
                for (int g = 0; g < GPUS_PER_NODE; g++) {
                    boolean hot = straggling() && isStraggler(n * GPUS_PER_NODE + g);
                    nodeTelemetry.accept(new GpuSample(NODES.get(n), now, g, uuid(NODES.get(n), g),
                            "Simulated H100 80GB",
                            OptionalDouble.of(hot ? 99 : 80 + 10 * random.nextDouble()), 41L << 30, 80L << 30,
                            OptionalDouble.of(hot ? 1095 : 1980), OptionalDouble.of(1980),
                            OptionalDouble.of(hot ? 700 : 520 + 60 * random.nextDouble()), OptionalDouble.of(700),
                            OptionalDouble.of(hot ? 89 : 60 + 5 * random.nextDouble()),
                            hot ? GpuSample.ThrottleReason.HW_THERMAL_SLOWDOWN.mask() : 0, OptionalDouble.empty(),
                            OptionalDouble.empty(), OptionalDouble.of(40e9), OptionalDouble.of(40e9)));
                }
            }
        } catch (RuntimeException e) {
            log.warn("synthetic GPU samples failed: {}", e.toString());
        }
    }

    private static String uuid(String node, int gpu) {
        return "GPU-sim-" + node + "-" + gpu;
    }

    private static TopologyReport topology(String node) {
        List<TopologyReport.GpuInfo> gpus = new ArrayList<>();
        List<TopologyReport.GpuLink> links = new ArrayList<>();
        for (int i = 0; i < GPUS_PER_NODE; i++) {
            gpus.add(new TopologyReport.GpuInfo(i, uuid(node, i), "Simulated H100 80GB"));
            for (int j = i + 1; j < GPUS_PER_NODE; j++) {
                links.add(new TopologyReport.GpuLink(i, j, TopologyReport.LinkKind.NVLINK, 4));
            }
        }
        var nic = new TopologyReport.NicInfo("mlx5_0", TopologyReport.NicKind.INFINIBAND, 100e9,
                List.of(0, 1, 2, 3), Optional.of("tor-" + node.substring(node.length() - 1)));
        return new TopologyReport(node, Instant.now(), gpus, links, List.of(nic));
    }

    private String membershipJson() {
        StringBuilder members = new StringBuilder();
        for (int n = 0; n < NODES.size(); n++) {
            for (int g = 0; g < GPUS_PER_NODE; g++) {
                members.append(members.isEmpty() ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"worker\":\"w%d\",\"node\":\"%s\",\"gpu\":%d}", n * GPUS_PER_NODE + g, NODES.get(n), g));
            }
        }
        return "{\"job\":\"" + jobId + "\",\"pattern\":\"RING_ALLREDUCE\",\"gradient_bytes\":100000000,"
                + "\"members\":[" + members + "]}";
    }

    private void post(String path, String json) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(intake.resolve(path))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                log.warn("agent answered {} to {}: {}", r.statusCode(), path, r.body());
            }
        } catch (java.io.IOException e) {
            log.warn("agent intake unreachable at {}: {}", intake, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
