package dev.coxswain.app.cli;

import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/** {@code coxswain broker}: runs the embedded Kafka broker alone, for agents and collectors in other processes. */
public final class BrokerCommand implements Command {
    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "run the embedded single-node Kafka broker (KRaft) until Ctrl-C";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain broker [--config FILE] [--set key=value ...]
                Starts a real Kafka broker on 127.0.0.1 with its log in kafka.embedded.dir (reused on the next start),
                creates Coxswain's topics, prints the bootstrap address and runs until Ctrl-C. Its port is
                kafka.embedded.port (0, the default: the last one when free, else any free one), e.g.
                --set kafka.embedded.port=9092. Other processes connect with
                --set kafka.bootstrap.servers=127.0.0.1:<port>.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config"), Set.of());
        Settings settings = Settings.load(o.path("config").orElse(null), o.overrides());
        if (settings.kafka().bootstrapServers().isPresent()) {
            throw new UsageException("kafka.bootstrap.servers is set; the embedded broker runs only without it");
        }
        try (Services services = new Services(Clock.systemUTC())) {
            var kafka = services.kafka(settings.kafka());
            System.out.println("Kafka broker at " + kafka.bootstrapServers().orElseThrow() + " (state "
                    + settings.kafka().embeddedDir() + "); Ctrl-C stops it");
            services.awaitShutdown();
        }
        return 0;
    }

}
