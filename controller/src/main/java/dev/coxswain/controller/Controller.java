package dev.coxswain.controller;

import dev.coxswain.controller.audit.ActionHistory;
import dev.coxswain.controller.observe.FreeSlots;
import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Observer;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.controller.plan.JobLedger;
import dev.coxswain.controller.plan.Planner;
import dev.coxswain.controller.policy.GoodputTuning;
import dev.coxswain.controller.policy.Migration;
import dev.coxswain.controller.policy.PlacementScorer;
import dev.coxswain.controller.policy.Policy;
import dev.coxswain.controller.policy.Proposal;
import dev.coxswain.controller.policy.Rung;
import dev.coxswain.controller.policy.StalenessTuning;
import dev.coxswain.controller.policy.StepModelScorer;
import dev.coxswain.controller.policy.StragglerRebalancing;
import dev.coxswain.controller.verify.Verifier;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome.Status;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlHistory;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.core.control.ControlSink;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.SnapshotLoop;
import dev.coxswain.snapshot.SnapshotSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The controller running beside a collector, for the jobs whose partitions that collector owns (the jobs of its
 * snapshots), so exactly one controller acts for a job. Each snapshot, on the controller's own thread: follow the
 * actions in flight ({@link Verifier}: applied, rejected, verified, rolled back), observe each job
 * ({@link Observer}), and let the {@link Planner} choose at most one proposal per job; in {@code advise} mode it is
 * published as a dry run, in {@code act} mode sent to the agents through the {@link ControlSink} and followed.
 * Every action and outcome goes to the audit log (the sink's {@code record}, and a separate SLF4J logger
 * {@code coxswain.audit}), and to the board the dashboard shows.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. The ledgers, verifiers and history are owned by the
 * controller's thread; {@link ControlApi} calls from other threads are queued to it. Meters:
 * {@code coxswain.controller.actions} (tags {@code policy}, {@code outcome}).
 */
public final class Controller implements ControlApi, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    private static final Logger audit = LoggerFactory.getLogger("coxswain.audit");
    /** Recent steps of each worker the observations use. */
    private static final int OBSERVE_STEPS = 8;
    private static final int HISTORY = 200;
    private static final String ROLLBACK = "rollback";
    private static final String MANUAL = "manual";

    private final ControllerSettings settings;
    private final DetectionSource detections;
    private final ControlSink sink;
    private final ControlHistory auditLog;
    private final MeterRegistry registry;
    private final String issuer;
    private final Observer observer;
    private final Planner planner;
    private final Map<String, Rung> rungs;
    private final Map<String, JobLedger> ledgers = new HashMap<>();
    private final Map<String, Verifier> inFlight = new HashMap<>();
    private final Map<String, String> policyOf = new HashMap<>();
    private final ActionHistory history = new ActionHistory(HISTORY);
    private final Map<String, ControlMode> jobModes = new ConcurrentHashMap<>();
    /** The modes jobs ask for with their {@code controller} label; the controller's thread only. */
    private final Map<String, ControlMode> requestedModes = new HashMap<>();
    private final Queue<Consumer<ClusterSnapshot>> commands = new ConcurrentLinkedQueue<>();
    private final Hub<ActionBoard> board;
    private final AtomicLong sequence = new AtomicLong();
    private volatile Set<String> owned = Set.of();
    private long generation;
    private final SnapshotLoop loop;

    /**
     * @param auditLog where a job's past actions are read when this controller first sees the job (it took the
     *                 job's partition over from another collector, or restarted)
     */
    public Controller(ControllerSettings settings, SnapshotSource snapshots, DetectionSource detections,
                      ControlSink sink, ControlHistory auditLog, MeterRegistry registry) {
        this(settings, snapshots, detections, sink, auditLog, registry, new StepModelScorer());
    }

    /** @param scorer how the migration policy ranks the places a worker could move to */
    public Controller(ControllerSettings settings, SnapshotSource snapshots, DetectionSource detections,
                      ControlSink sink, ControlHistory auditLog, MeterRegistry registry, PlacementScorer scorer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.detections = Objects.requireNonNull(detections, "detections");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.issuer = settings.id().isEmpty() ? "controller-" + hostName() : settings.id();
        this.observer = new Observer(OBSERVE_STEPS, settings.warmupSteps());
        List<Policy> policies = policies(settings, Objects.requireNonNull(scorer, "scorer"));
        this.planner = new Planner(settings, policies);
        this.rungs = policies.stream().collect(Collectors.toUnmodifiableMap(Policy::name, Policy::rung));
        this.board = new Hub<>("action boards", history.board(0, Instant.EPOCH, settings.mode(), Map.of()));
        this.loop = new SnapshotLoop("coxswain-controller", snapshots, this::process, () -> { });
        // Every policy and outcome from zero, so that alerts on increase() and rate() see the first action.
        for (String policy : rungs.keySet()) {
            for (Status outcome : Status.values()) {
                actionCounter(policy, outcome);
            }
        }
        for (Status outcome : Status.values()) {
            actionCounter(MANUAL, outcome);
            actionCounter(ROLLBACK, outcome);
        }
    }

    private static List<Policy> policies(ControllerSettings s, PlacementScorer scorer) {
        return List.of(new StragglerRebalancing(s.bounds(), s.minGain(), 0.1),
                new StalenessTuning(s.bounds(), s.restoreAfter().toMillis()),
                new Migration(scorer, s.minGain(), s.migrationCost().toMillis()),
                new GoodputTuning(s.bounds(), s.minGain()));
    }

    private static String hostName() {
        try {
            String h = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return h.isEmpty() ? "local" : h;
        } catch (java.io.IOException e) {
            return "local";
        }
    }

    /** This controller's identity on its actions. */
    public String issuer() {
        return issuer;
    }

    /** Subscribes to the snapshots and starts the controller's thread. */
    public void start() {
        loop.start();
        log.info("controller {} running beside the collector, mode {}, policies {}", issuer,
                settings.mode().label(), settings.policies());
    }

    /** One round over every job of the snapshot; public for tests that drive the controller by hand. */
    public void process(ClusterSnapshot snapshot) {
        Instant now = snapshot.at();
        for (Consumer<ClusterSnapshot> c; (c = commands.poll()) != null; ) {
            c.accept(snapshot);
        }
        List<StragglerEpisode> open = detections.latest().open();
        List<Slot> free = FreeSlots.of(snapshot, settings.spares());
        for (JobView job : snapshot.jobs().values()) {
            try {
                step(job, open, free, now);
            } catch (RuntimeException e) {
                log.error("controller round for job {} failed", job.jobId(), e);
            }
        }
        Set<String> gone = new HashSet<>(ledgers.keySet());
        gone.removeAll(snapshot.jobs().keySet());
        gone.forEach(j -> {
            ledgers.remove(j);
            inFlight.remove(j);
            requestedModes.remove(j);
        });
        owned = Set.copyOf(snapshot.jobs().keySet());
        publishBoard(now);
    }

    /** @param free the cluster's free slots; those that a move in flight is headed for are left out */
    private void step(JobView job, List<StragglerEpisode> open, List<Slot> free, Instant now) {
        JobLedger ledger = ledgers.get(job.jobId());
        if (ledger == null) {
            ledger = new JobLedger();
            ledgers.put(job.jobId(), ledger);
            resume(job.jobId(), ledger);
        }
        Set<String> targeted = inFlight.values().stream().flatMap(v -> v.action().settings().stream())
                .filter(setting -> setting.knob() == Knob.NODE).map(setting -> (String) setting.value())
                .collect(Collectors.toSet());
        Optional<JobObservation> observed = observer.observe(job, open,
                free.stream().filter(slot -> !targeted.contains(slot.node())).toList(), now);
        Verifier verifier = inFlight.get(job.jobId());
        if (verifier != null) {
            for (ActionOutcome o : verifier.update(job, now)) {
                record(o);
                settle(verifier.action(), o, ledger, observed, now);
            }
            if (verifier.done()) {
                inFlight.remove(job.jobId(), verifier);
            }
        }
        if (observed.isEmpty()) {
            return;
        }
        JobObservation obs = observed.get();
        // the latest label seen: the job.start that carried it may leave the job's window of recent events
        obs.requestedMode().ifPresent(m -> requestedModes.put(job.jobId(), m));
        ControlMode mode = modeOf(job.jobId());
        if (mode == ControlMode.OFF) {
            return;
        }
        ledger.observe(obs);
        if (planner.decide(obs, ledger, inFlight.containsKey(job.jobId()), migrationsInFlight(), now)
                instanceof Planner.Decision.Act(Proposal p)) {
            issue(p, obs, ledger, mode, now);
        }
    }

    /**
     * Takes a job over from the audit log: shows its past actions, follows those still in flight (sent, or applied
     * and not yet judged) instead of losing them, and counts their times and failures, so that nothing is repeated.
     */
    private void resume(String job, JobLedger ledger) {
        List<ControlRecord> records;
        try {
            records = auditLog.recent(job);
        } catch (RuntimeException e) {
            log.warn("cannot read the audit log of job {}; starting from what the job shows: {}", job, e.toString());
            return;
        }
        Map<String, Action> actions = new LinkedHashMap<>();
        Map<String, Status> last = new HashMap<>();
        for (ControlRecord r : records) {
            history.add(r);
            switch (r) {
                case Action a -> {
                    actions.put(a.id(), a);
                    policyOf.put(a.id(), a.policy());
                }
                case ActionOutcome o -> last.put(o.actionId(), o.status());
            }
        }
        int following = 0;
        for (Action a : actions.values()) {
            if (a.dryRun()) {
                ledger.advised(a.issuedAt());
                continue;
            }
            Optional<Status> status = Optional.ofNullable(last.get(a.id()));
            ledger.replayed(a, status, rungOf(a), backoff());
            if (status.isEmpty() || status.get() == Status.APPLIED) {
                inFlight.put(job, verifier(a, a.expected().stepTimeMsBefore(), status.isPresent()));
                following++;
            }
        }
        if (!actions.isEmpty()) {
            log.info("took job {} over: {} actions in its audit log, following {} still in flight", job,
                    actions.size(), following);
        }
    }

    private void settle(Action action, ActionOutcome o, JobLedger ledger, Optional<JobObservation> now,
                        Instant at) {
        Optional<Rung> rung = rungOf(action);
        switch (o.status()) {
            case VERIFIED -> {
                rung.ifPresent(ledger::succeeded);
                now.ifPresent(ledger::settled);
            }
            case REJECTED -> rung.ifPresent(r -> ledger.failed(r, action.policy(), at, backoff()));
            case ROLLED_BACK -> {
                rung.ifPresent(r -> ledger.failed(r, action.policy(), at, backoff()));
                revert(action, "the measured effect missed: " + o.detail(), o.measuredStepTimeMs().orElse(
                        action.expected().stepTimeMsBefore()), issuer, at);
            }
            default -> { }
        }
    }

    /** How long a policy backs off on a job after its action there failed: four action intervals. */
    private Duration backoff() {
        return settings.interval().multipliedBy(4);
    }

    /** The rung of the policy that issued an action; none for rollbacks and a person's changes. */
    private Optional<Rung> rungOf(Action action) {
        return Optional.ofNullable(rungs.get(action.policy()));
    }

    private void issue(Proposal p, JobObservation obs, JobLedger ledger, ControlMode mode, Instant now) {
        boolean dryRun = mode == ControlMode.ADVISE;
        List<KnobSetting> previous = p.settings().stream().map(s -> JobLedger.previous(s, obs))
                .flatMap(Optional::stream).toList();
        Action action = new Action(nextId(), obs.job(), p.settings(), p.policy(), p.reason(), p.evidence(),
                p.expected(), issuer, dryRun, now, now.plus(settings.deadline()), Optional.empty(), p.suspect(),
                previous);
        record(action);
        if (dryRun) {
            ledger.advised(now);
            record(ActionOutcome.of(action, Status.ADVISED, now, "dry run (mode advise): not applied"));
            return;
        }
        ledger.acted(action, obs, now);
        send(action, obs.stepTimeMs());
    }

    private void send(Action action, double beforeMs) {
        inFlight.put(action.job(), verifier(action, beforeMs, false));
        sink.send(action);
    }

    /** Follows an action; a person's change is measured but never rolled back automatically. */
    private Verifier verifier(Action action, double beforeMs, boolean applied) {
        double rollbackAbove = action.policy().equals(MANUAL) ? Double.POSITIVE_INFINITY : settings.rollbackAbove();
        return new Verifier(action, beforeMs, settings.verifySteps(), rollbackAbove, applied);
    }

    /** Takes {@code action} back with the values it replaced; returns why not, when it cannot. */
    private Optional<String> revert(Action action, String why, double beforeMs, String by, Instant now) {
        if (action.previous().isEmpty()) {
            return Optional.of("no values recorded to restore for action " + action.id());
        }
        Action back = new Action(nextId(), action.job(), action.previous(), ROLLBACK, "taking back " + action.id()
                + ": " + why, Map.of(), new ExpectedEffect(beforeMs, action.expected().stepTimeMsBefore()), by, false,
                now, now.plus(settings.deadline()), Optional.of(action.id()), Optional.empty(), action.settings());
        record(back);
        send(back, beforeMs);
        return Optional.empty();
    }

    private String nextId() {
        return issuer + "-" + Long.toString(System.currentTimeMillis(), 36) + "-" + sequence.incrementAndGet();
    }

    private void record(ControlRecord r) {
        history.add(r);
        sink.record(r);
        switch (r) {
            case Action a -> {
                policyOf.put(a.id(), a.policy());
                audit.info("action {} job={} policy={} dryRun={} settings={} expected={}->{} ms issuer={} reason={}",
                        a.id(), a.job(), a.policy(), a.dryRun(), a.settings(), a.expected().stepTimeMsBefore(),
                        a.expected().stepTimeMsAfter(), a.issuer(), a.reason());
            }
            case ActionOutcome o -> {
                actionCounter(policyOf.getOrDefault(o.actionId(), "unknown"), o.status()).increment();
                audit.info("outcome {} job={} status={} detail={}", o.actionId(), o.job(), o.status().label(),
                        o.detail());
            }
        }
    }

    /** A job's mode: the one set through the REST API, else the one its label asks for, else the global one. */
    private ControlMode modeOf(String job) {
        return jobModes.getOrDefault(job, requestedModes.getOrDefault(job, settings.mode()));
    }

    private int migrationsInFlight() {
        return (int) inFlight.values().stream().filter(v -> v.action().policy().equals(Migration.NAME)).count();
    }

    /** {@code coxswain_controller_actions_total{policy, outcome}}; one home for its name, tags and description. */
    private Counter actionCounter(String policy, Status outcome) {
        return Counter.builder("coxswain.controller.actions").description("Controller actions by outcome")
                .tag("policy", policy).tag("outcome", outcome.label()).baseUnit("actions").register(registry);
    }

    private void publishBoard(Instant now) {
        Map<String, ControlMode> modes = new HashMap<>(requestedModes);
        modes.putAll(jobModes);
        board.publish(history.board(++generation, now, settings.mode(), modes));
    }

    @Override
    public ActionBoard latest() {
        return board.latest();
    }

    @Override
    public AutoCloseable subscribe(Consumer<ActionBoard> listener) {
        return board.subscribe(listener);
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public void setMode(String job, ControlMode mode, String by) {
        Objects.requireNonNull(mode, "mode");
        jobModes.put(job, mode);
        audit.info("mode job={} mode={} issuer={}", job, mode.label(), by);
    }

    @Override
    public Optional<String> rollback(String actionId, String by) {
        ActionBoard.Entry entry = board.latest().find(actionId).orElse(null);
        if (entry == null) {
            return Optional.of("no recent action " + actionId);
        }
        Status status = entry.latest().map(ActionOutcome::status).orElse(null);
        if (status != Status.APPLIED && status != Status.VERIFIED) {
            return Optional.of("action " + actionId + " is " + (status == null ? "not applied yet"
                    : status.label()) + ": only an applied action can be rolled back");
        }
        if (entry.action().revertOf().isPresent()) {
            return Optional.of("action " + actionId + " is itself a rollback");
        }
        commands.add(snapshot -> {
            if (history.reverted(actionId)) {
                return;
            }
            JobView job = snapshot.jobs().get(entry.action().job());
            double beforeMs = job == null || Double.isNaN(job.meanStepMs()) ? entry.action().expected()
                    .stepTimeMsAfter() : job.meanStepMs();
            revert(entry.action(), "asked by " + by, beforeMs, by, snapshot.at()).ifPresent(why ->
                    log.warn("rollback of {} asked by {} not done: {}", actionId, by, why));
        });
        return Optional.empty();
    }

    @Override
    public Optional<String> manual(String job, List<KnobSetting> changes, String reason, String by) {
        if (!owned.contains(job)) {
            return Optional.of("job " + job + " is not run by this controller (its collector does not own the job's "
                    + "partition, or the job has not reported yet)");
        }
        Optional<String> violation = changes.stream().map(s -> settings.bounds().violation(s))
                .flatMap(Optional::stream).findFirst();
        commands.add(snapshot -> manualAction(snapshot, job, changes, reason, by, violation));
        return violation;
    }

    /** A person's change, on the controller's thread: recorded, then refused or sent and followed. */
    private void manualAction(ClusterSnapshot snapshot, String job, List<KnobSetting> changes, String reason,
                              String by, Optional<String> violation) {
        Instant now = snapshot.at();
        JobView view = snapshot.jobs().get(job);
        Optional<JobObservation> obs = view == null ? Optional.empty()
                : observer.observe(view, detections.latest().open(), List.of(), now);
        double stepMs = obs.map(JobObservation::stepTimeMs).filter(x -> x > 0).orElse(1.0);
        List<KnobSetting> previous = obs.map(o -> changes.stream().map(s -> JobLedger.previous(s, o))
                .flatMap(Optional::stream).toList()).orElse(List.of());
        Action action = new Action(nextId(), job, changes, MANUAL, reason, Map.of(), new ExpectedEffect(stepMs,
                stepMs), by, false, now, now.plus(settings.deadline()), Optional.empty(), Optional.empty(), previous);
        record(action);
        Optional<String> refusal = violation.or(() -> Optional.ofNullable(inFlight.get(job))
                .map(v -> "another action on the job is in flight: " + v.action().id()));
        if (refusal.isPresent()) {
            record(ActionOutcome.of(action, Status.REJECTED, now, refusal.get()));
            return;
        }
        obs.ifPresent(o -> ledgers.computeIfAbsent(job, j -> new JobLedger()).acted(action, o, now));
        send(action, stepMs);
    }

    @Override
    public void close() {
        loop.close();
    }
}
