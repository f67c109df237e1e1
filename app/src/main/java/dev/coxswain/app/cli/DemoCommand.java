package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;

import dev.coxswain.trainer.data.FashionMnist;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code coxswain demo}: everything on one machine: the embedded broker, an agent, a collector with its straggler
 * detector and dashboard, and a training job with a straggler injected after a while.
 */
public final class DemoCommand implements Command {
    private final PrintStream out;
    private final WhileRunning whileRunning;

    /** What the command does while the demo runs; the demo stops when it returns. */
    interface WhileRunning {
        void accept(Demo demo) throws Exception;
    }

    public DemoCommand() {
        this(System.out, demo -> demo.services().awaitShutdown());
    }

    /** @param whileRunning by default, wait for Ctrl-C */
    DemoCommand(PrintStream out, WhileRunning whileRunning) {
        this.out = out;
        this.whileRunning = whileRunning;
    }

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
                usage: coxswain demo [--job trainer|synthetic|pytorch] [--straggler-after SECONDS] [--config FILE]
                                     [--set key=value ...]
                Starts the embedded Kafka broker, an agent, a collector with the straggler detector, the dashboard,
                and a demo job with a straggler after --straggler-after seconds (default 30); the detector reports
                it in the dashboard's straggler panel and on the <prefix>.detections topic. Ctrl-C stops everything.
                  --job trainer    (default) the reference trainer on Fashion-MNIST: 2 parameter-server shards and
                                   4 workers as child processes of this one; w3 computes 2x slower. trainer.* keys
                                   (see docs/trainer.md) given with --set change it, e.g. --set trainer.workers=6.
                                   Without --job, and without the data set (Debian's dataset-fashion-mnist, which
                                   ./coxswain installs when it can), the demo says so and runs the synthetic job.
                  --job synthetic  a simulated 8-GPU ring all-reduce job on two simulated nodes (no GPU here, so
                                   its GPUs are simulated); the GPU of w5 throttles.
                  --job pytorch    a real PyTorch DistributedDataParallel job (examples/pytorch/): 4 gloo ranks on
                                   CPU under torch.distributed.run, steered through coxswain_torch; rank w3 computes
                                   2x slower. Needs Debian's python3-torch (./coxswain installs it when it can).""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of("config", "straggler-after", "job"), Set.of());
        Map<String, String> trainer = new HashMap<>();
        Map<String, String> rest = new HashMap<>();
        o.overrides().forEach((k, v) -> (k.startsWith("trainer.") ? trainer : rest).put(k, v));
        Demo.Job job = switch (o.get("job").orElse("default")) {
            case "trainer" -> Demo.Job.TRAINER;
            case "synthetic" -> Demo.Job.SYNTHETIC;
            case "pytorch" -> Demo.Job.PYTORCH;
            case "default" -> defaultJob(trainer);
            default -> throw new UsageException("--job " + o.get("job").orElseThrow()
                    + ": must be trainer, synthetic or pytorch");
        };
        Duration stragglerAfter = Duration.ofSeconds(o.getInt("straggler-after", 30, 0));
        Settings settings = Settings.load(o.path("config").orElse(null), rest);
        if (job == Demo.Job.PYTORCH) {
            FashionMnist.missing(FashionMnist.DEFAULT_DIR).ifPresent(why -> {
                throw new UsageException("--job pytorch: " + why);
            });
        }
        String straggler = job == Demo.Job.SYNTHETIC ? "w5" : "w3";
        try (Demo demo = Demo.start(settings, job, stragglerAfter, trainer, Clock.systemUTC())) {
            out.println();
            out.println("  Coxswain demo running. Dashboard: " + demo.dashboard());
            out.println("  Kafka " + demo.bootstrapServers() + ", agent intake " + demo.intake() + ".");
            out.println("  Job " + demo.jobId() + " (" + job.name().toLowerCase(Locale.ROOT) + "): worker "
                    + straggler + " straggles after " + stragglerAfter.toSeconds() + " s. Ctrl-C stops everything.");
            out.println("  Stragglers: " + demo.dashboard().resolve("/api/stragglers") + " and topic "
                    + settings.kafka().topics().detections() + ".");
            out.println();
            whileRunning.accept(demo);
        }
        return 0;
    }

    /**
     * The reference trainer when its data set is there; else (a fresh machine where the launcher could not install
     * it) the synthetic job, saying why in one line. A job asked for by name is not replaced.
     */
    private Demo.Job defaultJob(Map<String, String> trainer) {
        Path data = Optional.ofNullable(trainer.get("trainer.data.dir")).map(Path::of).orElse(FashionMnist.DEFAULT_DIR);
        Optional<String> missing = FashionMnist.missing(data);
        missing.ifPresent(why -> out.println("demo: " + why + " Running --job synthetic instead."));
        return missing.isPresent() ? Demo.Job.SYNTHETIC : Demo.Job.TRAINER;
    }
}
