package dev.coxswain.app.cli;

import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.transport.KafkaSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code coxswain collector}: a collector group member with its straggler detector and dashboard. */
public final class CollectorCommand implements Command {
    @Override
    public String name() {
        return "collector";
    }

    @Override
    public String summary() {
        return "run a collector (Kafka consumer group member building the cluster graph), its straggler detector "
                + "and its dashboard";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain collector [--config FILE] [--no-dashboard] [--set key=value ...]
                Joins consumer group collector.group.id, reads the whole topology topic and its share of the
                telemetry partitions, keeps per-job windows and the cluster graph, and serves the dashboard on
                http://dashboard.host:dashboard.port (REST under /api, Prometheus metrics at /metrics).
                Several collectors in one group share the jobs by partition. Beside it runs the straggler detector
                (detector.enabled, default true): episodes go to the <prefix>.detections topic and to the
                dashboard's straggler panel (GET /api/stragglers); with no trained model at detector.model the
                causes come from the built-in rules. The network model (network.enabled, default true) scores
                each snapshot: each job's predicted communication time, its bottleneck link and what would help
                (GET /api/network), with the graph network at network.model, else the max-min fair-share
                estimate.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config"), Set.of("no-dashboard"));
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Services services = new Services(Clock.systemUTC())) {
            KafkaSettings kafka = services.kafka(settings.kafka());
            Services.CollectorStage stage = services.collectorStage(kafka, settings, settings.controller(),
                    settings.control(), registry);
            System.out.printf("collector in group %s on Kafka %s%n", settings.collector().groupId(),
                    kafka.bootstrapServers().orElseThrow());
            System.out.println("straggler detector: " + (settings.detector().enabled()
                    ? stage.detections().latest().detector() + "; episodes to " + kafka.topics().detections()
                    : "off"));
            System.out.println("network model: " + stage.network().latest().model());
            System.out.println("controller: " + (stage.control().running() ? "mode "
                    + settings.controller().mode().label() + "; actions to " + kafka.topics().actions() : "off"));
            if (!o.flag("no-dashboard")) {
                DashboardServer dashboard = services.add(new DashboardServer(settings.dashboard(), stage.snapshots(),
                        stage.boards(), registry, Clock.systemUTC()));
                dashboard.start();
                System.out.println("dashboard: " + dashboard.uri());
            }
            services.awaitShutdown();
        }
        return 0;
    }
}
