package dev.coxswain.trainer.launch;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.KnobWatch;
import dev.coxswain.trainer.coord.Completion;
import dev.coxswain.trainer.coord.Coordinator;
import dev.coxswain.trainer.coord.CoordinatorListener;
import dev.coxswain.trainer.coord.CoordinatorServer;
import dev.coxswain.trainer.coord.CoordinatorSettings;
import dev.coxswain.trainer.coord.CoordinatorStatus;
import dev.coxswain.trainer.coord.FaultSource;
import dev.coxswain.trainer.coord.Grant;
import dev.coxswain.trainer.coord.KnobEffect;
import dev.coxswain.trainer.coord.LearningRate;
import dev.coxswain.trainer.coord.SyncPolicy;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.eval.AccuracyTracker;
import dev.coxswain.trainer.eval.EvalPoint;
import dev.coxswain.trainer.inject.InjectionRunner;
import dev.coxswain.trainer.ps.ShardLayout;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one training job: the coordinator and its HTTP server here, the shards and workers through a
 * {@link RoleLauncher}, knob changes from the agent through the SDK's long-poll, the fault scenario, and test-set
 * evaluation of periodic snapshots. {@link #start} returns once the shards are up and the workers launched;
 * {@link #await} waits for the end and returns what happened. Works with no agent running: reports and events stay
 * queued and are logged as undeliverable, and training goes on.
 */
public final class TrainerJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerJob.class);

    private final TrainerSpec spec;
    private final RoleLauncher launcher;
    private final AgentClient agent;
    private final Clock clock;
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
    private final Context context = vertx.getOrCreateContext();
    private final JobEvents events;
    private final InjectionRunner injections;
    private final AccuracyTracker tracker;
    private final Coordinator coordinator;
    private final CoordinatorServer server;
    private final List<RunningRole> shards = new ArrayList<>();
    private final List<KnobWatch> watches = new ArrayList<>();
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final LinkProxies proxies;
    private final CoordinatorListener observer;
    private final WorkerSpeeds speeds;
    private WorkerSupervisor supervisor;
    private ShardReader reader;
    private String coordinatorUrl;
    private volatile long startNanos;
    private volatile long endNanos;

    private TrainerJob(TrainerSpec spec, RoleLauncher launcher, AgentClient agent, Dataset test,
                       CoordinatorListener observer, Clock clock) {
        this.spec = spec;
        this.clock = clock;
        this.observer = observer;
        this.speeds = new WorkerSpeeds(spec.workers(), 20);
        this.launcher = launcher;
        this.agent = agent;
        this.events = new JobEvents(agent, spec, clock);
        this.proxies = new LinkProxies(vertx, spec.scenario().linkShapedWorkers());
        this.injections = new InjectionRunner(spec.scenario(), new Target(this));
        this.tracker = new AccuracyTracker(spec.shape(), test, spec.run().targetAccuracy(), this::targetReached);
        List<String> ids = spec.workerIds();
        this.coordinator = new Coordinator(context, clock, new CoordinatorSettings(ids, spec.batches(), spec.policy(),
                new LearningRate(spec.optimizer().learningRate(), spec.batches().global(),
                        spec.optimizer().lrScaling()), spec.run().maxClocks(),
                spec.run().evalEvery(), spec.run().deviceSamplesPerSec()), new Listener(), new FaultSource() {
                    @Override
                    public double slowdown(int worker, Instant now) {
                        String id = ids.get(worker);
                        return spec.scenario().slowdown(id, spec.nodeOf(worker).equals(events.nodeOf(id)),
                                injections.sinceStart());
                    }

                    @Override
                    public double inputStallMs(int worker, Instant now) {
                        return spec.scenario().inputStallMs(ids.get(worker), injections.sinceStart());
                    }
                });
        this.server = new CoordinatorServer(vertx, coordinator, spec.shards(), proxies::routes);
    }

    /**
     * Starts a job: binds the coordinator, starts the shards and waits for them, then starts the workers.
     *
     * @param test the test set the job's accuracy is measured on
     */
    public static TrainerJob start(TrainerSpec spec, RoleLauncher launcher, AgentClient agent, Dataset test) {
        return start(spec, launcher, agent, test, new CoordinatorListener() {
        }, Clock.systemUTC());
    }

    /**
     * As {@link #start(TrainerSpec, RoleLauncher, AgentClient, Dataset)}, with {@code observer} told everything the
     * coordinator reports (on its event loop: it must return quickly), e.g. an invariant checker, and {@code clock}
     * the time of the job's events and of its coordinator.
     */
    public static TrainerJob start(TrainerSpec spec, RoleLauncher launcher, AgentClient agent, Dataset test,
                                   CoordinatorListener observer, Clock clock) {
        TrainerJob job = new TrainerJob(spec, launcher, agent, test, observer, clock);
        try {
            job.launch();
            return job;
        } catch (RuntimeException | IOException | InterruptedException e) {
            job.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof CoxswainException c ? c : new CoxswainException("trainer job failed to start: " + e, e);
        }
    }

    private void launch() throws IOException, InterruptedException {
        coordinatorUrl = "http://127.0.0.1:" + server.start(context, "127.0.0.1", 0);
        Path specFile = TrainerRoles.writeSpec(spec);
        String serverNode = spec.nodes().getFirst();
        for (int s = 0; s < spec.shards(); s++) {
            shards.add(launcher.start(new RoleArgs(specFile, RoleArgs.Role.SHARD, "ps" + s, serverNode,
                    coordinatorUrl), spec));
        }
        awaitShards();
        reader = new ShardReader(vertx, server.shardUrls(),
                new ShardLayout(spec.shape().parameterCount(), spec.shards()));
        proxies.start(server.shardUrls());
        if (spec.steering().watchKnobs()) {
            for (String w : spec.workerIds()) {
                watches.add(agent.watchKnobs(spec.jobId(), w, update -> coordinator.knobs(w, update)));
            }
        }
        Map<String, String> nodes = new LinkedHashMap<>();
        for (int i = 0; i < spec.workers(); i++) {
            nodes.put(spec.workerIds().get(i), spec.nodeOf(i));
        }
        events.placed(spec.workerIds().getFirst(), spec.nodeOf(0), true);
        supervisor = new WorkerSupervisor(nodes, (w, node) -> launcher.start(new RoleArgs(specFile,
                RoleArgs.Role.WORKER, w, node, coordinatorUrl), spec), new SupervisorEvents());
        supervisor.startAll();
        Thread.ofPlatform().daemon().name("coxswain-supervisor").start(supervisor);
        LOG.info("job {}: coordinator {}, {} shards, {} workers, {} , batches {}, lr {} ({}), target {}",
                spec.jobId(), coordinatorUrl, spec.shards(), spec.workers(), spec.policy(), spec.batches(),
                spec.optimizer().learningRate(), spec.optimizer().lrScaling().wireName(), spec.run().targetAccuracy());
    }

    private void awaitShards() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.shardUrls().contains(null)) {
            for (RunningRole s : shards) {
                if (!s.alive()) {
                    throw new CoxswainException("shard " + s.id() + " exited before it was up; see its log in "
                            + spec.processes().workDir().resolve(spec.jobId()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new CoxswainException("shards not up after 60 s; see logs in "
                        + spec.processes().workDir().resolve(spec.jobId()));
            }
            Thread.sleep(20);
        }
    }

    public String coordinatorUrl() {
        return coordinatorUrl;
    }

    public TrainerSpec spec() {
        return spec;
    }

    public CoordinatorStatus status() {
        return coordinator.status().await();
    }

    /**
     * Asks every worker to stop at its next clock. A worker that is or goes down meanwhile is not started again: the
     * job finishes without it.
     */
    public void stop(String reason) {
        coordinator.stop(reason);
        // Only after the stop: the coordinator ignores a worker gone while the job runs, and would wait for it.
        supervisor.stopRestarts();
    }

    /** Evaluations so far. */
    public List<EvalPoint> curve() {
        return tracker.curve();
    }

    private void targetReached(EvalPoint p) {
        events.event(null, "job.target_reached", Map.of("accuracy", String.format("%.4f", p.accuracy()),
                "elapsed_ms", Long.toString(p.elapsed().toMillis()), "global_step", Long.toString(p.globalStep())));
        stop(String.format("test accuracy %.4f reached the target %.2f at step %d", p.accuracy(),
                spec.run().targetAccuracy(), p.globalStep()));
    }

    /**
     * Waits for the job to end (target reached or clock budget spent), or stops it after {@code timeout}; then
     * evaluates the final model, checks every update landed once, and shuts the shards down.
     */
    public JobResult await(Duration timeout) throws InterruptedException {
        String reason;
        try {
            reason = finished.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stop("timed out after " + timeout.toSeconds() + " s");
            reason = awaitFinished();
        } catch (ExecutionException e) {
            throw new CoxswainException("job failed: " + e.getCause(), e.getCause());
        }
        for (RunningRole w : supervisor.roles().values()) {
            if (w.awaitExit(Duration.ofSeconds(20)).isEmpty()) {
                LOG.warn("worker {} did not exit; killing it", w.id());
                w.kill();
            }
        }
        tracker.drain(Duration.ofSeconds(120));
        return summarize(reason);
    }

    private String awaitFinished() throws InterruptedException {
        try {
            return finished.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return "stopped";
        }
    }

    private JobResult summarize(String reason) {
        CoordinatorStatus st = status();
        long elapsedNanos = (endNanos == 0 ? System.nanoTime() : endNanos) - startNanos;
        float[] params = reader.snapshot().await();
        long steps = java.util.Arrays.stream(st.ended()).map(e -> e + 1).sum() / spec.workers();
        EvalPoint last = tracker.evaluateNow(steps, Duration.ofNanos(Math.max(0, elapsedNanos)), st.cursor(), params);
        long[] duplicates = new long[1];
        long[][] applied = reader.applied(duplicates);
        long total = 0;
        long lost = 0;
        for (long[] shard : applied) {
            for (int w = 0; w < shard.length; w++) {
                total += shard[w];
                lost += Math.abs(shard[w] - (st.ended()[w] + 1));
            }
        }
        long[] clocks = java.util.Arrays.stream(st.ended()).map(e -> e + 1).toArray();
        JobResult r = new JobResult(spec.jobId(), tracker.reached(), last, tracker.curve(),
                Duration.ofNanos(Math.max(0, elapsedNanos)), clocks, total, lost, duplicates[0],
                supervisor.restarts(), st.cursor(), speeds.samplesPerSecond(), reason);
        events.event(null, JobEvent.JOB_END, Map.of("reason", reason, "final_accuracy",
                String.format("%.4f", last.accuracy()), "lost_updates", Long.toString(lost)));
        return r;
    }

    @Override
    public void close() {
        watches.forEach(KnobWatch::close);
        injections.close();
        tracker.close();
        if (supervisor != null) {
            supervisor.finish();
            supervisor.roles().values().forEach(RunningRole::kill);
        }
        if (reader != null) {
            reader.shutdown();
        }
        for (RunningRole s : shards) {
            try {
                OptionalInt code = s.awaitExit(Duration.ofSeconds(5));
                if (code.isEmpty()) {
                    s.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.kill();
            }
        }
        proxies.close();
        agent.flush(Duration.ofSeconds(2));
        vertx.close().await();
    }

    /** Reacts to the coordinator, on its event loop: hands real work elsewhere. */
    private final class Listener implements CoordinatorListener {
        @Override
        public void onGrant(String worker, Grant grant, long slowestClock, SyncPolicy policy) {
            observer.onGrant(worker, grant, slowestClock, policy);
        }

        @Override
        public void onCompletion(String worker, Completion completion) {
            observer.onCompletion(worker, completion);
            speeds.add(coordinator.indexOf(worker), completion.clock(), completion.batch(), completion.computeMs());
        }

        @Override
        public void onStart(Instant start) {
            observer.onStart(start);
            startNanos = System.nanoTime();
            injections.start();
            Map<String, String> attributes = new java.util.HashMap<>(Map.of("sync", spec.policy().toString(),
                    "workers", Integer.toString(spec.workers()), "batches", spec.batches().toString(),
                    "lr", Double.toString(spec.optimizer().learningRate())));
            if (!spec.steering().controllerMode().isEmpty()) {
                attributes.put("controller", spec.steering().controllerMode());
            }
            events.event(null, JobEvent.JOB_START, attributes);
        }

        @Override
        public void onGlobalStep(long globalStep, long samples) {
            observer.onGlobalStep(globalStep, samples);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
            reader.snapshot().onSuccess(p -> tracker.submit(globalStep, elapsed, samples, p))
                    .onFailure(e -> LOG.warn("snapshot at step {} failed: {}", globalStep, e.toString()));
        }

        @Override
        public void onGradientStats(long globalStep, double noiseScale, int globalBatch, double learningRate) {
            observer.onGradientStats(globalStep, noiseScale, globalBatch, learningRate);
            if (Double.isFinite(noiseScale)) {
                events.event(null, "job.stats", Map.of("step", Long.toString(globalStep),
                        "grad_noise_scale", Double.toString(noiseScale), "global_batch", Integer.toString(globalBatch),
                        "learning_rate", Double.toString(learningRate)));
            }
        }

        @Override
        public void onHello(String worker, String node, long ended) {
            observer.onHello(worker, node, ended);
            events.placed(worker, node, false);
        }

        @Override
        public void onKnobApplied(String worker, KnobEffect effect, long version, Optional<String> action) {
            observer.onKnobApplied(worker, effect, version, action);
            events.event(effect instanceof KnobEffect.LocalBatch || effect instanceof KnobEffect.Migrate
                    ? worker : null, "knob.applied", knobAttributes(effect, version, action));
        }

        @Override
        public void onKnobRejected(String worker, KnobEffect effect, long version, Optional<String> action,
                                   String reason) {
            observer.onKnobRejected(worker, effect, version, action, reason);
            Map<String, String> attributes = knobAttributes(effect, version, action);
            attributes.put("reason", reason);
            events.event(worker, "knob.rejected", attributes);
        }

        /** The knob, its value, the version and (when a controller sent it) the action id. */
        private static Map<String, String> knobAttributes(KnobEffect effect, long version, Optional<String> action) {
            Map<String, String> a = new java.util.HashMap<>(Map.of("knob", effect.field(), "value", effect.value(),
                    "version", Long.toString(version)));
            action.ifPresent(id -> a.put("action", id));
            return a;
        }

        @Override
        public void onMigrationRequested(String worker, String node) {
            observer.onMigrationRequested(worker, node);
            String from = events.nodeOf(worker);
            if (node.equals(from)) {
                return;
            }
            events.event(worker, "worker.migrate", Map.of("from", from, "to", node));
            supervisor.move(worker, node);
            coordinator.release(worker);
        }

        @Override
        public void onFinished(String reason) {
            observer.onFinished(reason);
            events.event(null, JobEvent.JOB_END, Map.of("reason", reason));
            endNanos = System.nanoTime();
            supervisor.finish();
            finished.complete(reason);
        }
    }

    private final class SupervisorEvents implements WorkerSupervisor.Events {
        @Override
        public void started(String worker, String node, int incarnation, String why) {
            if (incarnation > 0) {
                events.event(worker, "worker.restart", Map.of("node", node, "incarnation",
                        Integer.toString(incarnation), "after", why));
            }
        }

        @Override
        public void died(String worker, int exitCode) {
            if (exitCode != 0) {
                events.event(worker, "worker.died", Map.of("exit_code", Integer.toString(exitCode)));
            }
        }

        @Override
        public void gone(String worker) {
            coordinator.gone(worker);
        }
    }

    /** The fault injector's hands on this job. */
    private record Target(TrainerJob job) implements dev.coxswain.trainer.inject.InjectionTarget {
        public void crash(String worker, Duration restartAfter) {
            job.supervisor.crash(worker, restartAfter);
        }

        public void shapeLink(String worker, dev.coxswain.trainer.inject.LinkShape shape) {
            job.proxies.shape(worker, shape);
        }

        public void record(String worker, String kind, Map<String, String> attributes) {
            job.events.event(worker, kind, attributes);
        }
    }
}
