package dev.coxswain.app.cli;

import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.collector.snapshot.SnapshotHub;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.transport.KafkaSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code coxswain collector}: a collector group member with its dashboard. */
public final class CollectorCommand implements Command {
    @Override
    public String name() {
        return "collector";
    }

    @Override
    public String summary() {
        return "run a collector (Kafka consumer group member building the cluster graph) and its dashboard";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain collector [--config FILE] [--no-dashboard] [--set key=value ...]
                Joins consumer group collector.group.id, reads the whole topology topic and its share of the
                telemetry partitions, keeps per-job windows and the cluster graph, and serves the dashboard on
                http://dashboard.host:dashboard.port (REST under /api, Prometheus metrics at /metrics).
                Several collectors in one group share the jobs by partition.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config"), Set.of("no-dashboard"));
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Services services = new Services(Clock.systemUTC())) {
            KafkaSettings kafka = services.kafka(settings.kafka());
            SnapshotHub hub = services.collector(kafka, settings.collector(), registry, r -> { });
            System.out.printf("collector in group %s on Kafka %s%n", settings.collector().groupId(),
                    kafka.bootstrapServers().orElseThrow());
            if (!o.flag("no-dashboard")) {
                DashboardServer dashboard = services.add(new DashboardServer(settings.dashboard(), hub, registry));
                dashboard.start();
                System.out.println("dashboard: " + dashboard.uri());
            }
            services.awaitShutdown();
        }
        return 0;
    }
}
