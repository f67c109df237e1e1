package dev.coxswain.dashboards;

import dev.coxswain.snapshot.SnapshotHub;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;

/**
 * Serves the dashboard over {@link ClusterFixture} (or a {@link LargeCluster}), publishing a snapshot every 500 ms, for looking at the page by
 * hand while working on it: {@code java -cp <test classpath> dev.coxswain.dashboards.DashboardPreview [port [hosts gpus]]}.
 */
final class DashboardPreview {
    private DashboardPreview() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Instant start = Instant.now().minusSeconds(90);
        ClusterFixture fixture = new ClusterFixture(start, 7);
        LargeCluster large = args.length > 2 ? new LargeCluster(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                start) : null;
        SnapshotHub hub = new SnapshotHub();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (DashboardServer server = new DashboardServer(DashboardSettings.defaults().withPort(port), hub, registry)
                .start()) {
            System.out.println("dashboard at " + server.uri());
            for (long generation = 1; ; generation++) {
                hub.publish(large == null ? fixture.snapshot(generation, Instant.now())
                        : large.snapshot(generation, Instant.now()));
                Thread.sleep(Duration.ofMillis(500));
            }
        }
    }
}
