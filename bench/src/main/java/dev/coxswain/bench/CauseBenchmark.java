package dev.coxswain.bench;

import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.Demo;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.stats.Median;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.eval.Injection;
import dev.coxswain.graphmodels.eval.InjectionLabels;
import dev.coxswain.graphmodels.eval.InjectionOutcome;
import dev.coxswain.graphmodels.io.StepCsvReader;
import dev.coxswain.graphmodels.io.StepRow;
import dev.coxswain.graphmodels.live.LiveDetectorSettings;
import dev.coxswain.transport.KafkaSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * {@code coxswain bench causes}: the live daemon (agent, collector, straggler detector, as {@code coxswain demo}
 * runs them) against the reference trainer's fault injections, one at a time, rotating over the workers and over
 * faults of different causes. The ground truth is what the trainer recorded: its {@code injection.start} and
 * {@code injection.end} job events, read back from the telemetry topic. Each injection is matched with the episodes
 * the detector opened on that worker while it was in force (plus a grace period for the rolling windows to
 * empty); an episode that overlaps no injection is a false one. Cause accuracy is counted per board (the
 * detector publishes one per snapshot that changed it, about every 0.5 s): of the boards that showed a matched
 * episode open, the share that gave it the expected cause, the live analogue of the per-sample cause accuracy of
 * {@code coxswain models eval}.
 * The scoring and the expected cause of each fault are {@link InjectionOutcome} and {@link Injection#expectedCause}.
 */
public final class CauseBenchmark {
    /** From the start of training to the first injection: JIT, first pulls and the detector's warm-up steps. */
    private static final Duration WARM_UP = Duration.ofSeconds(30);
    private static final Duration FAULT = Duration.ofSeconds(25);
    private static final Duration GAP = Duration.ofSeconds(20);
    /** An episode may end this long after its injection: the detector's windows still hold the slow steps. */
    private static final Duration GRACE = Duration.ofSeconds(8);
    private static final int WORKERS = 4;

    /** The trainer's fault lines the scenario rotates over; each kind's expected cause is {@link Injection#expectedCause}. */
    private static final List<String> FAULTS = List.of("slowdown factor=2", "latency ms=40", "input ms=120",
            "bandwidth mbit=20", "slowdown factor=1.5");

    private final PrintStream out;
    private final Clock clock;

    public CauseBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** The scenario: {@code faults} injections, each {@link #FAULT} long, {@link #GAP} apart. */
    static List<String> scenario(int faults) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < faults; i++) {
            long at = WARM_UP.plus(FAULT.plus(GAP).multipliedBy(i)).toSeconds();
            // Workers and kinds advance by one per fault; 4 workers and 5 kinds: every worker meets every kind.
            lines.add(at + "s w" + i % WORKERS + " " + FAULTS.get(i % FAULTS.size()) + " for="
                    + FAULT.toSeconds() + "s");
        }
        return lines;
    }

    /**
     * @param record where to write the detector's input labelled with the injections (see {@link InjectionLabels}),
     *               if anywhere
     */
    public void run(int faults, Map<String, String> overrides, Optional<Path> record) throws Exception {
        List<String> lines = scenario(faults);
        Map<String, String> trainer = new LinkedHashMap<>(overrides);
        trainer.put("trainer.inject", String.join(",", lines));
        Map<String, String> daemon = new HashMap<>(Map.of("dashboard.port", "0", "agent.intake.port", "0"));
        Optional<Path> raw = record.map(f -> f.resolveSibling(f.getFileName() + ".detector-input.csv"));
        raw.ifPresent(f -> daemon.put(LiveDetectorSettings.RECORD, f.toString()));
        Settings settings = Settings.load(null, daemon);
        Duration length = WARM_UP.plus(FAULT.plus(GAP).multipliedBy(faults));
        out.printf("scenario (%d faults, about %d s of training):%n", faults, length.toSeconds());
        lines.forEach(l -> out.println("  " + l));
        EpisodeLog log = new EpisodeLog();
        List<Injection> injections;
        String jobId;
        try (Demo demo = Demo.start(settings, Demo.Job.TRAINER, Duration.ZERO, trainer, clock);
             AutoCloseable ignored = demo.detections().subscribe(log::record)) {
            jobId = demo.jobId();
            out.printf("job %s; waiting for its %d faults to be recorded as ended%n", jobId, faults);
            // Start-up and the trainer's first steps come on top of the scenario's own length.
            injections = awaitInjections(demo.kafka(), jobId, faults, clock.instant().plus(length.multipliedBy(2)));
            log.awaitNoneOpen(jobId, GRACE);
            log.record(demo.detections().latest());
        }
        List<StragglerEpisode> ofJob = log.episodes(jobId);
        report(InjectionOutcome.score(injections, ofJob, GRACE), ofJob, log.causesShown(), faults);
        if (record.isPresent()) {
            writeLabelled(raw.get(), jobId, injections, record.get());
        }
    }

    /** Labels the detector's recorded input of {@code jobId} with the injections and writes it to {@code file}. */
    private void writeLabelled(Path raw, String jobId, List<Injection> injections, Path file) throws IOException {
        List<StepRow> rows;
        try (Reader in = Files.newBufferedReader(raw, StandardCharsets.UTF_8)) {
            rows = new StepCsvReader(raw.toString()).read(in).stream().filter(r -> r.jobId().equals(jobId)).toList();
        }
        InjectionLabels labels = new InjectionLabels(rows, injections);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            labels.write(rows, w);
        }
        Files.delete(raw);
        StringJoiner slowdowns = new StringJoiner(" ");
        labels.injectionTruths().forEach(t -> slowdowns.add(String.format(Locale.ROOT, "%.2f", t.slowdown())));
        out.printf("wrote %d labelled worker-steps to %s: %s; measured slowdown per injection: %s%n", rows.size(),
                file, labels.counts(rows), slowdowns);
    }

    /**
     * Every episode the detector showed, with its latest value, and how many boards showed it open with each cause.
     * Written by the detector's thread, read by the benchmark's.
     */
    private static final class EpisodeLog {
        private final Map<String, StragglerEpisode> episodes = new HashMap<>();
        private final Map<String, Map<String, Integer>> causesShown = new HashMap<>();

        synchronized void record(StragglerBoard board) {
            board.open().forEach(e -> {
                episodes.put(e.id(), e);
                causesShown.computeIfAbsent(e.id(), id -> new HashMap<>()).merge(e.cause(), 1, Integer::sum);
            });
            board.recent().forEach(e -> episodes.put(e.id(), e));
            notifyAll();
        }

        /** Waits until no episode of {@code jobId} is open, at most {@code timeout}. */
        synchronized void awaitNoneOpen(String jobId, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            for (long left = timeout.toNanos(); left > 0 && anyOpen(jobId); left = deadline - System.nanoTime()) {
                NANOSECONDS.timedWait(this, left);
            }
        }

        private boolean anyOpen(String jobId) {
            return episodes.values().stream().anyMatch(e -> e.jobId().equals(jobId) && e.open());
        }

        synchronized List<StragglerEpisode> episodes(String jobId) {
            return episodes.values().stream().filter(e -> e.jobId().equals(jobId))
                    .sorted(Comparator.comparing(StragglerEpisode::startedAt)).toList();
        }

        synchronized Map<String, Map<String, Integer>> causesShown() {
            return Map.copyOf(causesShown);
        }
    }

    /**
     * Reads the trainer's injection events of {@code jobId} from the telemetry topic as they come, until
     * {@code faults} injections have ended or {@code deadline} passed; start and end paired per worker and fault.
     */
    private List<Injection> awaitInjections(KafkaSettings kafka, String jobId, int faults, Instant deadline) {
        List<JobEvent> events = new ArrayList<>();
        long[] ended = new long[1];
        TelemetryTopic.read(kafka, "bench-causes-truth", Duration.between(clock.instant(), deadline), Duration.ZERO,
                () -> ended[0] >= faults, t -> {
                    if (t instanceof JobEvent e && e.jobId().equals(jobId) && e.kind().startsWith("injection.")) {
                        events.add(e);
                        ended[0] += e.kind().equals("injection.end") ? 1 : 0;
                    }
                });
        return Injection.paired(events);
    }

    private void report(List<InjectionOutcome> outcomes, List<StragglerEpisode> episodes,
                        Map<String, Map<String, Integer>> causesShown, int faults) {
        out.printf("%-8s %-10s %-15s %9s  %s%n", "worker", "fault", "expected", "latency",
                "episodes (cause, slowdown)");
        List<Double> latencies = new ArrayList<>();
        Map<Cause, int[]> byCause = new LinkedHashMap<>();
        long matchedEpisodes = 0;
        long correct = 0;
        int boards = 0;
        int boardsRight = 0;
        for (InjectionOutcome o : outcomes) {
            StringJoiner found = new StringJoiner(", ");
            o.episodes().forEach(e -> found.add(String.format(Locale.ROOT, "%s %.2fx", e.cause(), e.slowdown())));
            Optional<Double> latency = o.episodes().stream().map(StragglerEpisode::startedAt).min(Instant::compareTo)
                    .map(t -> Duration.between(o.injection().start(), t).toMillis() / 1000.0);
            latency.ifPresent(latencies::add);
            out.printf(Locale.ROOT, "%-8s %-10s %-15s %9s  %s%n", o.injection().worker(), o.injection().fault(),
                    o.expected().label(), latency.map(l -> String.format(Locale.ROOT, "%.1f s", l)).orElse("missed"),
                    found.length() == 0 ? "-" : found);
            int[] tally = byCause.computeIfAbsent(o.expected(), c -> new int[3]);
            tally[0]++;
            tally[1] += o.detected() ? 1 : 0;
            tally[2] += (int) o.correct();
            matchedEpisodes += o.episodes().size();
            correct += o.correct();
            int[] shown = o.boards(causesShown);
            boards += shown[0];
            boardsRight += shown[1];
        }
        long matchedIds = outcomes.stream().flatMap(o -> o.episodes().stream()).map(StragglerEpisode::id).distinct()
                .count();
        long falseEpisodes = episodes.size() - matchedIds;
        episodes.stream().filter(e -> outcomes.stream().noneMatch(o -> o.episodes().contains(e)))
                .forEach(e -> out.printf(Locale.ROOT, "  false episode: %s %s %.2fx from %s%n", e.workerId(),
                        e.cause(), e.slowdown(), e.startedAt()));
        byCause.forEach((c, t) -> out.printf(Locale.ROOT, "  %-16s %d injections, %d detected, %d episodes with"
                + " this cause%n", c.label(), t[0], t[1], t[2]));
        long detected = outcomes.stream().filter(InjectionOutcome::detected).count();
        double recall = outcomes.isEmpty() ? Double.NaN : (double) detected / outcomes.size();
        double precision = episodes.isEmpty() ? Double.NaN : (double) matchedIds / episodes.size();
        double accuracy = boards == 0 ? Double.NaN : (double) boardsRight / boards;
        double episodeAccuracy = matchedEpisodes == 0 ? Double.NaN : (double) correct / matchedEpisodes;
        double latency = latencies.isEmpty() ? Double.NaN : Median.of(latencies);
        out.printf(Locale.ROOT, "recorded injections %d of %d scheduled; detected %d; episodes %d (%d false);"
                        + " median latency %.1f s%n", outcomes.size(), faults, detected, episodes.size(), falseEpisodes,
                latency);
        out.printf(Locale.ROOT, "cause: right in %d of %d boards that showed a matched episode open (each board a"
                + " snapshot, about 0.5 s); last cause right in %d of %d matched episodes%n", boardsRight, boards,
                correct, matchedEpisodes);
        out.printf(Locale.ROOT, "RESULT cause_accuracy=%.3f episode_cause_accuracy=%.3f injection_recall=%.3f"
                        + " episode_precision=%.3f median_latency_s=%.1f injections=%d false_episodes=%d%n", accuracy,
                episodeAccuracy, recall, precision, latency, outcomes.size(), falseEpisodes);
    }
}
