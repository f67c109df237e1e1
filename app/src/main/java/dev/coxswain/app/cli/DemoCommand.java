package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;

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
        try (Demo demo = Demo.start(settings, stragglerAfter, Clock.systemUTC())) {
            System.out.println();
            System.out.println("  Coxswain demo running. Dashboard: " + demo.dashboard());
            System.out.println("  Kafka " + demo.bootstrapServers() + ", agent intake " + demo.intake()
                    + "; worker w5 straggles after " + stragglerAfter.toSeconds() + " s. Ctrl-C stops everything.");
            System.out.println();
            demo.services().awaitShutdown();
        }
        return 0;
    }
}
