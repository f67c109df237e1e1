package dev.coxswain.app.cli;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;

import java.time.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;

/** {@code coxswain agent}: the node sidecar. */
public final class AgentCommand implements Command {
    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "run the node agent: host/GPU samplers and the step-report intake, streaming to Kafka";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain agent [--config FILE] [--set key=value ...]
                Samples this host (/proc, /sys/class/infiniband) and its GPUs (nvidia-smi, or dcgm-exporter with
                agent.dcgm.url), receives step reports on http://agent.intake.host:agent.intake.port (see
                docs/agent-protocol.md) and streams everything to Kafka, buffering while Kafka is unreachable
                (it starts without Kafka too). Every accepted record is first written to the spool
                (agent.spool.dir), so that a crash or restart loses nothing Kafka did not have.
                Without kafka.bootstrap.servers it starts the embedded broker (run one agent per machine then,
                or start 'coxswain broker' and point agents at it).
                example: coxswain agent --set kafka.bootstrap.servers=broker1:9092 --set agent.node.id=node-7""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config"), Set.of());
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        try (Services services = new Services(Clock.systemUTC())) {
            KafkaSettings kafka = services.kafkaForAgent(settings.kafka());
            TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "agent-" + settings.agent().nodeId()));
            Agent agent = services.add(new Agent(settings.agent(), publisher));
            agent.start();
            services.agentKnobs(kafka, settings.control(), agent, new SimpleMeterRegistry());
            System.out.printf("agent %s: intake on http://%s:%d, Kafka %s; Ctrl-C stops it%n", settings.agent().nodeId(),
                    settings.agent().intakeHost(), agent.intakePort(), kafka.bootstrapServers().orElseThrow());
            services.awaitShutdown();
        }
        return 0;
    }

}
