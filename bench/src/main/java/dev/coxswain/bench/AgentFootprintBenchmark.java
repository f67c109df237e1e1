package dev.coxswain.bench;

import dev.coxswain.app.Checkout;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.stats.Median;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code coxswain bench agent}: what one node agent costs in memory, as the launcher starts it. Each round starts
 * {@code coxswain agent} as a child JVM on the launcher's own classpath, once with the flags of
 * {@code scripts/agent-jvm-options} and once with the baseline flags it had before (a fixed 256 MB heap), against an
 * embedded broker in this process (so the broker is not counted), and measures the time until its intake answers
 * {@code /v1/health} and its resident memory ({@code VmRSS}) after {@code seconds}. Prints each run, the medians and
 * their ratio.
 */
public final class AgentFootprintBenchmark {
    /** The launcher's agent flags before the heap was sized for an idle agent. */
    static final String BASELINE_FLAGS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m";

    private final PrintStream out;

    public AgentFootprintBenchmark(PrintStream out) {
        this.out = out;
    }

    record Run(String flags, double startupSec, double rssMb) {
    }

    public void run(int rounds, Duration settle) throws Exception {
        Path root = Checkout.root("scripts/agent-jvm-options");
        String flags = Files.readString(root.resolve("scripts/agent-jvm-options")).strip();
        out.printf(Locale.ROOT, "agent footprint: %d rounds, resident memory %d s after start%n", rounds,
                settle.toSeconds());
        out.printf(Locale.ROOT, "  flags:    %s%n  baseline: %s%n", flags, BASELINE_FLAGS);
        List<Run> runs = new ArrayList<>();
        Path brokerDir = Files.createTempDirectory("coxswain-agent-bench-broker");
        try (EmbeddedKafka broker = EmbeddedKafka.start(brokerDir)) {
            for (int r = 0; r < rounds; r++) {
                for (String f : List.of(BASELINE_FLAGS, flags)) {
                    Run run = once(f, settle, broker.bootstrapServers());
                    runs.add(run);
                    out.printf(Locale.ROOT, "  round %d %-8s  ready in %5.2f s   resident %6.1f MB%n", r + 1,
                            f.equals(flags) ? "flags" : "baseline", run.startupSec(), run.rssMb());
                }
            }
        }
        double rss = median(runs, flags, true);
        double rssBase = median(runs, BASELINE_FLAGS, true);
        double start = median(runs, flags, false);
        double startBase = median(runs, BASELINE_FLAGS, false);
        out.printf(Locale.ROOT, "median resident: %.1f MB (baseline %.1f MB, ratio %.2f); median ready: %.2f s"
                + " (baseline %.2f s)%n", rss, rssBase, rss / rssBase, start, startBase);
        out.printf(Locale.ROOT, "RESULT rss_mb=%.1f rss_mb_baseline=%.1f rss_ratio=%.2f startup_s=%.2f"
                + " startup_s_baseline=%.2f%n", rss, rssBase, rss / rssBase, start, startBase);
    }

    private static double median(List<Run> runs, String flags, boolean rss) {
        return Median.of(runs.stream().filter(r -> r.flags().equals(flags))
                .map(r -> rss ? r.rssMb() : r.startupSec()).toList());
    }

    private Run once(String flags, Duration settle, String bootstrap) throws Exception {
        Path home = Files.createTempDirectory("coxswain-agent-bench");
        try (CoxswainProcess agent = CoxswainProcess.start(CoxswainProcess.Kind.AGENT,
                Arrays.asList(flags.split("\\s+")), Map.of("kafka.bootstrap.servers", bootstrap), home)) {
            double ready = agent.awaitHealthy(Duration.ofSeconds(120));
            long settleEnd = System.nanoTime() + settle.toNanos() - (long) (ready * 1e9);
            while (System.nanoTime() < settleEnd && agent.alive()) {
                Thread.sleep(Math.min(500, Math.max(1, (settleEnd - System.nanoTime()) / 1_000_000)));
            }
            if (!agent.alive()) {
                throw new CoxswainException("the agent exited early; see " + agent.log());
            }
            return new Run(flags, ready, agent.residentMb());
        }
    }
}
