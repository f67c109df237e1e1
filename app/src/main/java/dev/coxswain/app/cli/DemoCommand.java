package dev.coxswain.app.cli;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.SyntheticJob;
import dev.coxswain.collector.snapshot.SnapshotHub;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code coxswain demo}: everything on one machine: the embedded broker, an agent, a collector with its dashboard,
 * and a training job with a straggler injected after a while.
 */
public final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run everything on this machine with a demo job; prints the dashboard URL";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain demo [--straggler-after SECONDS] [--config FILE] [--set key=value ...]
                Starts the embedded Kafka broker, an agent, a collector and the dashboard, and a demo job whose
                worker w5 straggles after --straggler-after seconds (default 30). Ctrl-C stops everything.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config", "straggler-after"), Set.of());
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        Duration stragglerAfter = Duration.ofSeconds(o.getInt("straggler-after", 30));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Clock clock = Clock.systemUTC();
        try (Services services = new Services(clock)) {
            KafkaSettings kafka = services.kafka(settings.kafka());
            SnapshotHub hub = services.collector(kafka, settings.collector(), registry, r -> { });
            DashboardServer dashboard = services.add(new DashboardServer(settings.dashboard(), hub, registry));
            dashboard.start();
            TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "demo"));
            AgentSettings agentSettings = settings.agent();
            Agent agent = services.add(new Agent(agentSettings, publisher));
            agent.start();
            URI intake = URI.create("http://" + agentSettings.intakeHost() + ":" + agent.intakePort());
            SyntheticJob job = services.add(new SyntheticJob("demo-job", intake, publisher, stragglerAfter, clock, 7));
            job.start();
            System.out.println();
            System.out.println("  Coxswain demo running. Dashboard: " + dashboard.uri());
            System.out.println("  Kafka " + kafka.bootstrapServers().orElseThrow() + ", agent intake " + intake
                    + "; worker w5 straggles after " + stragglerAfter.toSeconds() + " s. Ctrl-C stops everything.");
            System.out.println();
            services.awaitShutdown();
        }
        return 0;
    }
}
