package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code coxswain demo}: everything on one machine: the embedded broker, an agent, a collector with its straggler
 * detector and dashboard, and a training job with a straggler injected after a while.
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
                usage: coxswain demo [--job trainer|synthetic] [--straggler-after SECONDS] [--config FILE]
                                     [--set key=value ...]
                Starts the embedded Kafka broker, an agent, a collector with the straggler detector, the dashboard,
                and a demo job with a straggler after --straggler-after seconds (default 30); the detector reports
                it in the dashboard's straggler panel and on the <prefix>.detections topic. Ctrl-C stops everything.
                  --job trainer    (default) the reference trainer on Fashion-MNIST: 2 parameter-server shards and
                                   4 workers as child processes of this one; w3 computes 2x slower. trainer.* keys
                                   (see docs/trainer.md) given with --set change it, e.g. --set trainer.workers=6.
                  --job synthetic  a simulated 8-GPU ring all-reduce job on two simulated nodes (no GPU here, so
                                   its GPUs are simulated); the GPU of w5 throttles.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config", "straggler-after", "job"), Set.of());
        Demo.Job job = switch (o.get("job").orElse("trainer")) {
            case "trainer" -> Demo.Job.TRAINER;
            case "synthetic" -> Demo.Job.SYNTHETIC;
            default -> throw new UsageException("--job " + o.get("job").orElseThrow()
                    + ": must be trainer or synthetic");
        };
        Map<String, String> trainer = new HashMap<>();
        Map<String, String> rest = new HashMap<>();
        o.overrides().forEach((k, v) -> (k.startsWith("trainer.") ? trainer : rest).put(k, v));
        Duration stragglerAfter = Duration.ofSeconds(o.getInt("straggler-after", 30, 0));
        Settings settings = Settings.load(o.path("config").orElse(null), rest);
        String straggler = job == Demo.Job.TRAINER ? "w3" : "w5";
        try (Demo demo = Demo.start(settings, job, stragglerAfter, trainer, Clock.systemUTC())) {
            System.out.println();
            System.out.println("  Coxswain demo running. Dashboard: " + demo.dashboard());
            System.out.println("  Kafka " + demo.bootstrapServers() + ", agent intake " + demo.intake() + ".");
            System.out.println("  Job " + demo.jobId() + ": worker " + straggler + " straggles after "
                    + stragglerAfter.toSeconds() + " s. Ctrl-C stops everything.");
            System.out.println("  Stragglers: " + demo.dashboard().resolve("/api/stragglers") + " and topic "
                    + settings.kafka().topics().detections() + ".");
            System.out.println();
            demo.services().awaitShutdown();
        }
        return 0;
    }
}
