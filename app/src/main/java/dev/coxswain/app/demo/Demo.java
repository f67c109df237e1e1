package dev.coxswain.app.demo;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.collector.snapshot.SnapshotHub;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything on one machine: the embedded broker (unless Kafka is configured), an agent, a collector with its
 * dashboard, and a demo job reporting to the agent with a straggler after {@code stragglerAfter}.
 */
public final class Demo implements AutoCloseable {
    private final Services services;
    private final URI dashboard;
    private final URI intake;
    private final String bootstrapServers;

    private Demo(Services services, URI dashboard, URI intake, String bootstrapServers) {
        this.services = services;
        this.dashboard = dashboard;
        this.intake = intake;
        this.bootstrapServers = bootstrapServers;
    }

    public static Demo start(Settings settings, Duration stragglerAfter, Clock clock) {
        Services services = new Services(clock);
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            KafkaSettings kafka = services.kafka(settings.kafka());
            SnapshotHub hub = services.collector(kafka, settings.collector(), registry, r -> { });
            DashboardServer dashboard = services.add(new DashboardServer(settings.dashboard(), hub, registry));
            dashboard.start();
            TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "demo"));
            Agent agent = services.add(new Agent(settings.agent(), publisher));
            agent.start();
            URI intake = URI.create("http://" + settings.agent().intakeHost() + ":" + agent.intakePort());
            services.add(new SyntheticJob("demo-job", intake, publisher, stragglerAfter, clock, 7)).start();
            return new Demo(services, dashboard.uri(), intake, kafka.bootstrapServers().orElseThrow());
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    public URI dashboard() {
        return dashboard;
    }

    public URI intake() {
        return intake;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() {
        services.close();
    }
}
