package dev.coxswain.bench;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.app.Services;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.collector.ingest.CollectorSettings;
import dev.coxswain.controller.ControllerSettings;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.transport.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.EpisodeLogReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code coxswain bench faults}: the reliability drills, as a user would stage them, with the real broker, the real
 * agent and the real collector; every count is of step reports a training process posted and the agent answered
 * {@code 202} to.
 *
 * <ul>
 *   <li><b>Agent restart.</b> {@code coxswain agent} runs as a child process while Kafka is down, takes
 *   {@code --records} step reports, and is killed with SIGKILL. The broker starts, a second agent starts on the
 *   same state directory (its spool), and the telemetry topic is read back: how many acknowledged reports are
 *   missing, and how many arrived twice.</li>
 *   <li><b>Broker outage.</b> An agent and a collector run against the embedded broker while a load posts
 *   {@code --rate} step reports a second to the agent; after 10 s the broker stops for {@code --outage}, starts
 *   again on the same log, and the load goes on for 20 s. Then the collector's applied reports are compared with
 *   the acknowledged ones: lost, duplicated, and how long the collector took to apply the backlog.</li>
 *   <li><b>Collector failover.</b> Three {@code coxswain collector} processes (each with its detector and its
 *   controller, advising) share {@code --jobs} jobs, one with a straggler; the one holding that job is killed with
 *   SIGKILL. The others take its partitions over: how long that takes, whether the straggler's episode goes on
 *   under its id (not lost, not announced again), and whether an action is issued twice.</li>
 * </ul>
 */
public final class FaultsBenchmark {
    private static final String RESTART_JOB = "drill-restart";
    private static final String OUTAGE_JOB = "drill-outage";
    private static final String FAILOVER_JOB = "drill-failover-";
    private static final int BATCH = 100;

    private final PrintStream out;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public FaultsBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** Counts of one drill, over the step reports the agent acknowledged. */
    record Delivery(long acknowledged, long distinct, long copies) {
        long lost() {
            return acknowledged - distinct;
        }

        long duplicated() {
            return copies - distinct;
        }
    }

    public void run(int records, Duration outage, int ratePerSec, int jobs) throws Exception {
        Path work = Files.createTempDirectory("coxswain-bench-faults");
        out.printf(Locale.ROOT, "agent restart: %d step reports to an agent while Kafka is down, then kill -9%n",
                records);
        Delivery restart = agentRestart(work.resolve("restart"), records);
        out.printf(Locale.ROOT, "  acknowledged %d, in Kafka after the restart %d distinct (%d copies): lost %d,"
                + " duplicated %d%n", restart.acknowledged(), restart.distinct(), restart.copies(), restart.lost(),
                restart.duplicated());

        out.printf(Locale.ROOT, "broker outage: %d step reports/s to an agent, the broker down for %d s after 10 s,"
                + " 20 s more after it is back%n", ratePerSec, outage.toSeconds());
        Outage o = brokerOutage(work.resolve("outage"), outage, ratePerSec);
        out.printf(Locale.ROOT, "  acknowledged %d, applied by the collector %d distinct, %d copies in Kafka: lost %d,"
                        + " duplicated %d; broker down %.1f s; most buffered at the agent %d, dropped %d;"
                        + " all applied %.1f s after the load ended; %d applied again after the group's"
                        + " rebalance (windows rebuilt from the topic)%n", o.delivery().acknowledged(),
                o.delivery().distinct(), o.delivery().copies(), o.delivery().lost(), o.delivery().duplicated(),
                o.downSec(), o.maxBuffered(), o.dropped(), o.drainSec(), o.reapplied());
        out.printf(Locale.ROOT, "collector failover: three collectors in one group (detector, controller in advise),"
                + " %d jobs streaming, one with a straggler; kill -9 the one holding it%n", jobs);
        Failover f = collectorFailover(work.resolve("failover"), jobs);
        out.printf(Locale.ROOT, "  the killed collector held %d of the %d jobs; the two left held all again %.1f s"
                + " after the kill; straggler episodes lost %d, announced again %d; %d actions on its job, %d"
                + " duplicated%n", f.victimJobs(), jobs, f.takeoverSec(), f.episodesLost(), f.episodesRepeated(),
                f.actions(), f.actionsDuplicated());
        out.printf(Locale.ROOT, "RESULT records_sent=%d records_applied=%d lost=%d duplicated=%d takeover_s=%.1f"
                        + " broker_outage_s=%.1f agent_restart_lost=%d agent_restart_duplicated=%d episodes_lost=%d"
                        + " episodes_repeated=%d actions_duplicated=%d%n",
                o.delivery().acknowledged(), o.delivery().distinct(), o.delivery().lost(), o.delivery().duplicated(),
                f.takeoverSec(), o.downSec(), restart.lost(), restart.duplicated(), f.episodesLost(),
                f.episodesRepeated(), f.actionsDuplicated());
    }

    private Delivery agentRestart(Path dir, int records) throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", EmbeddedKafka.reserve(kafkaDir),
                "agent.node.id", "drill-node", "agent.nvidia-smi.path", "");
        Path home = dir.resolve("agent-home");
        long acknowledged = 0;
        CoxswainProcess first = CoxswainProcess.start(CoxswainProcess.Kind.AGENT, List.of(), settings, home);
        try {
            first.awaitHealthy(Duration.ofSeconds(120));
            for (int from = 0; from < records; from += BATCH) {
                acknowledged += post(first.port(), RESTART_JOB, from, Math.min(BATCH, records - from),
                        clock.millis());
            }
        } finally {
            first.kill();
        }
        try (EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            Topics.ensure(kafka);
            try (CoxswainProcess second = CoxswainProcess.start(CoxswainProcess.Kind.AGENT, List.of(), settings,
                    home)) {
                second.awaitHealthy(Duration.ofSeconds(120));
                return readBack(kafka, RESTART_JOB, acknowledged, Duration.ofMinutes(2));
            }
        }
    }

    /** Posts {@code n} step reports of {@code job} from step {@code from}; returns how many the agent accepted. */
    private long post(int intakePort, String job, long from, int n, long firstMillis) throws Exception {
        StringBuilder b = new StringBuilder("{\"reports\": [");
        for (int i = 0; i < n; i++) {
            // one millisecond apart: each report's time is its identity when the collector counts them
            b.append(i == 0 ? "" : ",").append("{\"job\": \"").append(job).append("\", \"worker\": \"w0\", \"step\": ")
                    .append(from + i).append(", \"timestamp_ms\": ").append(firstMillis + i)
                    .append(", \"step_time_ms\": 81.5, \"compute_ms\": 60.1, \"comm_ms\": 15.2, \"wait_ms\": 4.0,"
                            + " \"samples\": 64, \"batch_size\": 64}");
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intakePort
                        + "/v1/steps")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(b.append("]}").toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new CoxswainException("the agent answered " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body()).getLong("accepted");
    }

    /** Reads the telemetry topic from the start until {@code expected} distinct steps of {@code job} are there. */
    private static Delivery readBack(KafkaSettings kafka, String job, long expected, Duration timeout) {
        Map<Long, Integer> copies = new HashMap<>();
        TelemetryTopic.read(kafka, "bench-faults-read", timeout, Duration.ofSeconds(1), () -> copies.size() >= expected,
                t -> {
                    if (t instanceof StepReport s && s.jobId().equals(job)) {
                        copies.merge(s.step(), 1, Integer::sum);
                    }
                });
        return new Delivery(expected, copies.size(), copies.values().stream().mapToLong(Integer::longValue).sum());
    }

    /**
     * @param delivery  acknowledged reports, those the collector applied (distinct), and the copies in the topic
     * @param drainSec  from the end of the load until the collector had applied every acknowledged report
     * @param reapplied reports the collector applied again: after the broker's return its group rebalanced, and a
     *                  collector rebuilds the windows of the partitions it is given from the topic (by design)
     */
    record Outage(Delivery delivery, double downSec, long maxBuffered, long dropped, double drainSec,
                  long reapplied) {
    }

    private Outage brokerOutage(Path dir, Duration outage, int ratePerSec) throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        Set<Long> applied = ConcurrentHashMap.newKeySet();
        AtomicLong applies = new AtomicLong();
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir);
        try (Services services = new Services(clock)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            Topics.ensure(kafka);
            services.collector(kafka, CollectorSettings.defaults().withGroupId("bench-faults"),
                    new SimpleMeterRegistry(), (key, micros) -> {
                        if (key.equals(OUTAGE_JOB)) {
                            applies.incrementAndGet();
                            applied.add(micros);
                        }
                    });
            TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "bench-faults-agent"));
            AgentSettings settings = AgentSettings.defaults("outage-node").withIntakePort(0)
                    .withGpuSources("", Optional.empty()).withSpool(Optional.of(dir.resolve("spool")), 256L << 20);
            Agent agent = services.add(new Agent(settings, TelemetrySink.kafka(publisher), new SimpleMeterRegistry(),
                    clock, List.of()));
            agent.start();

            int perTick = Math.max(1, ratePerSec / 10);
            long acknowledged = 0;
            long step = 0;
            long maxBuffered = 0;
            long firstMillis = clock.millis() - 3_600_000; // an hour back: a unique time per report, never ahead
            long start = System.nanoTime();
            long stopAt = start + Duration.ofSeconds(10).toNanos();
            long end = stopAt + outage.toNanos() + Duration.ofSeconds(20).toNanos();
            long stoppedAt = -1;
            double downSec = 0;
            for (long tick = 0; System.nanoTime() < end; tick++) {
                long due = start + tick * 100_000_000L;
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                }
                acknowledged += post(agent.intakePort(), OUTAGE_JOB, step, perTick, firstMillis + step);
                step += perTick;
                maxBuffered = Math.max(maxBuffered, agent.buffered());
                if (stoppedAt < 0 && System.nanoTime() >= stopAt) {
                    stoppedAt = System.nanoTime();
                    broker.close();
                    broker = null;
                    out.printf(Locale.ROOT, "  broker stopped after %d acknowledged reports%n", acknowledged);
                } else if (broker == null && System.nanoTime() >= stoppedAt + outage.toNanos()) {
                    broker = EmbeddedKafka.start(kafkaDir);
                    downSec = (System.nanoTime() - stoppedAt) / 1e9;
                    out.printf(Locale.ROOT, "  broker back after %.1f s; %d reports buffered at the agent%n", downSec,
                            agent.buffered());
                }
            }
            long loadEnded = System.nanoTime();
            long all = acknowledged;
            Poll.within(Duration.ofMinutes(3), Duration.ofMillis(100),
                    () -> applied.size() >= all ? Optional.of(true) : Optional.empty());
            double drain = (System.nanoTime() - loadEnded) / 1e9;
            Delivery inKafka = readBack(kafka, OUTAGE_JOB, acknowledged, Duration.ofMinutes(1));
            return new Outage(new Delivery(acknowledged, applied.size(), inKafka.copies()), downSec, maxBuffered,
                    agent.dropped(), drain, applies.get() - applied.size());
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /**
     * @param takeoverSec       from the kill until the collectors left held every job again
     * @param episodesLost      episodes of the straggler announced before the kill that no collector ended and no
     *                          collector left shows open
     * @param episodesRepeated  starts of an episode for the straggler beyond the first: the same slowness announced
     *                          again
     * @param actions           the controller's actions on the straggler's job over the drill
     * @param actionsDuplicated actions issued twice (one id issued again) or within the controller's least interval
     *                          of the one before on the job (a new owner that did not read the audit log back)
     */
    record Failover(int victimJobs, double takeoverSec, int episodesLost, int episodesRepeated, int actions,
                    int actionsDuplicated) {
    }

    /**
     * Three collectors, each with its detector and its controller (advise), share the jobs; worker w3 of the first
     * job is twice as slow as its peers throughout. The collector that holds that job is killed once it has announced
     * the straggler and advised an action; the drill then watches for one action interval and more.
     */
    private Failover collectorFailover(Path dir, int jobs) throws Exception {
        String straggler = FAILOVER_JOB + 0;
        Duration interval = Duration.ofSeconds(30);
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"));
             TelemetryPublisher publisher = new TelemetryPublisher(KafkaSettings.of(broker.bootstrapServers()),
                     "bench-faults-load")) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            Topics.ensure(kafka);
            Map<String, String> settings = Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                    CollectorSettings.GROUP, "drill-collectors", ControllerSettings.INTERVAL,
                    interval.toSeconds() + "s");
            AtomicBoolean loading = new AtomicBoolean(true);
            Thread load = Thread.ofPlatform().name("bench-faults-load").start(() -> {
                for (long step = 0; loading.get(); step++) {
                    for (int j = 0; j < jobs; j++) {
                        for (int w = 0; w < 4; w++) {
                            publisher.send(failoverStep(FAILOVER_JOB + j, w, step, j == 0), null);
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<CoxswainProcess> collectors = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    collectors.add(CoxswainProcess.start(CoxswainProcess.Kind.COLLECTOR, List.of(), settings,
                            dir.resolve("collector-" + i)));
                }
                for (CoxswainProcess c : collectors) {
                    c.awaitHealthy(Duration.ofMinutes(2));
                }
                Map<CoxswainProcess, Set<String>> held = awaitAllHeld(collectors, jobs, true, Duration.ofMinutes(3));
                CoxswainProcess victim = collectors.stream().filter(c -> held.get(c).contains(straggler))
                        .findFirst().orElseThrow();
                String episode = awaitOpenEpisode(List.of(victim), straggler, Duration.ofMinutes(2));
                ActionLogReader audit = new ActionLogReader(kafka);
                Instant firstAction = awaitAction(audit, straggler, Duration.ofMinutes(2));
                out.printf(Locale.ROOT, "  the collector holding %s announced episode %s and advised an action;"
                        + " killing it%n", straggler, episode);
                long killedAt = System.nanoTime();
                victim.kill();
                List<CoxswainProcess> left = collectors.stream().filter(c -> c != victim).toList();
                awaitAllHeld(left, jobs, false, Duration.ofMinutes(3));
                double takeover = (System.nanoTime() - killedAt) / 1e9;
                awaitOpenEpisode(left, straggler, Duration.ofMinutes(2));
                // Watch past the first action's interval: a repeat within it is a duplicate, one after it is not.
                Duration watch = Duration.between(clock.instant(), firstAction.plus(interval).plusSeconds(5));
                if (watch.isPositive()) {
                    Thread.sleep(watch);
                }
                Set<String> openAfter = new HashSet<>();
                for (CoxswainProcess c : left) {
                    openAfter.addAll(openEpisodes(c, straggler));
                }
                List<EpisodeEvent> events = new EpisodeLogReader(kafka).events(List.of(straggler),
                        Duration.ofSeconds(30));
                Map<String, EpisodeEvent> last = new HashMap<>();
                events.forEach(e -> last.put(e.episode().id(), e));
                int lost = (int) last.values().stream().filter(e -> e.kind() != EpisodeEvent.Kind.END)
                        .filter(e -> !openAfter.contains(e.episode().id())).count();
                int starts = (int) events.stream().filter(e -> e.kind() == EpisodeEvent.Kind.START).count();
                List<Action> actions = audit.read(Optional.of(straggler), Duration.ofSeconds(30)).records().stream()
                        .filter(r -> r instanceof Action).map(r -> (Action) r)
                        .sorted(Comparator.comparing(Action::issuedAt)).toList();
                int duplicated = (int) (actions.size() - actions.stream().map(Action::id).distinct().count());
                for (int i = 1; i < actions.size(); i++) {
                    if (Duration.between(actions.get(i - 1).issuedAt(), actions.get(i).issuedAt())
                            .compareTo(interval) < 0) {
                        duplicated++;
                    }
                }
                return new Failover(held.get(victim).size(), takeover, lost, Math.max(0, starts - 1), actions.size(),
                        duplicated);
            } finally {
                loading.set(false);
                load.join();
                for (CoxswainProcess c : collectors) {
                    c.close();
                }
            }
        }
    }

    /**
     * Step {@code step} of worker {@code w}: a synchronous job's, 100 ms a step; in the straggler's job w3 computes
     * 160 ms where its peers compute 60 and wait for it.
     */
    private StepReport failoverStep(String job, int w, long step, boolean stragglerJob) {
        double stepMs = stragglerJob ? 200 : 100;
        double computeMs = stragglerJob && w == 3 ? 160 : 60;
        return new StepReport(job, "w" + w, step, clock.instant(), stepMs, computeMs, 30, stepMs - computeMs - 30,
                32, 32, OptionalDouble.empty(), Optional.empty());
    }

    /** Ids of the open episodes of {@code job} a collector shows ({@code /api/stragglers}). */
    private static Set<String> openEpisodes(CoxswainProcess collector, String job) throws Exception {
        Set<String> ids = new HashSet<>();
        HttpResponse<String> r = collector.get("/api/stragglers");
        if (r.statusCode() == 200) {
            new JsonObject(r.body()).getJsonArray("current").forEach(e -> {
                JsonObject episode = (JsonObject) e;
                if (episode.getString("job").equals(job)) {
                    ids.add(episode.getString("id"));
                }
            });
        }
        return ids;
    }

    /** Polls until one of {@code collectors} shows an open episode of {@code job}; returns its id. */
    private static String awaitOpenEpisode(List<CoxswainProcess> collectors, String job, Duration timeout)
            throws Exception {
        return Poll.until("a collector showing an open straggler episode of " + job, timeout, Duration.ofMillis(200),
                () -> {
                    for (CoxswainProcess c : collectors) {
                        Set<String> ids = openEpisodes(c, job);
                        if (!ids.isEmpty()) {
                            return Optional.of(ids.iterator().next());
                        }
                    }
                    return Optional.empty();
                }, () -> "see the logs under " + logsOf(collectors));
    }

    /** Polls the audit log until it holds an action on {@code job}; returns when the first was issued. */
    private static Instant awaitAction(ActionLogReader audit, String job, Duration timeout) throws Exception {
        return Poll.until("the controller advising an action on " + job, timeout, Duration.ofMillis(500),
                () -> audit.read(Optional.of(job), Duration.ofSeconds(10)).records().stream()
                        .filter(r -> r instanceof Action).map(r -> ((Action) r).issuedAt())
                        .min(Comparator.naturalOrder()),
                () -> "the audit log of " + job + " holds none");
    }

    private static Path logsOf(List<CoxswainProcess> collectors) {
        return collectors.getFirst().log().getParent().getParent();
    }

    /**
     * Polls the collectors' {@code /api/jobs} until, together, they hold all {@code jobs}, each once (a collector that
     * lost a partition in a rebalance has let its jobs go), and, when {@code spread}, each holds some (the group has
     * given each its partitions); returns who held what.
     */
    private Map<CoxswainProcess, Set<String>> awaitAllHeld(List<CoxswainProcess> collectors, int jobs,
                                                           boolean spread, Duration timeout) throws Exception {
        Map<CoxswainProcess, Set<String>> lastHeld = new HashMap<>();
        return Poll.until("the collectors holding all " + jobs + " jobs, each once", timeout, Duration.ofMillis(100),
                () -> {
                    lastHeld.clear();
                    for (CoxswainProcess c : collectors) {
                        Set<String> ids = new HashSet<>();
                        HttpResponse<String> r = c.get("/api/jobs");
                        if (r.statusCode() == 200) {
                            new JsonObject(r.body()).getJsonArray("jobs").forEach(j -> {
                                String id = ((JsonObject) j).getString("id");
                                if (id.startsWith(FAILOVER_JOB)) {
                                    ids.add(id);
                                }
                            });
                        }
                        lastHeld.put(c, ids);
                    }
                    Set<String> all = new HashSet<>();
                    lastHeld.values().forEach(all::addAll);
                    boolean settled = lastHeld.values().stream().mapToInt(Set::size).sum() == jobs;
                    boolean held = all.size() == jobs && settled
                            && (!spread || lastHeld.values().stream().noneMatch(Set::isEmpty));
                    return held ? Optional.of(Map.copyOf(lastHeld)) : Optional.empty();
                }, () -> "they held " + lastHeld.values().stream().mapToInt(Set::size).sum()
                        + " (with repeats); see their logs under " + logsOf(collectors));
    }
}
