package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.KnobUpdate;
import dev.coxswain.sdk.SyncMode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The job's clock keeper and planner: it lets each worker into its next clock under the synchronisation policy, hands
 * it its batch, samples, gradient weight and learning rate, and applies knob changes without a restart.
 *
 * <p>Knobs change the plan at once under SSP and ASP; under BSP they wait for the end of the round in progress, so
 * that every gradient of a round is weighted by the same plan. Either way a change reaches each worker at its next
 * grant, within two of its clocks. A BSP round's samples are fixed when the round is planned (worker by worker, in
 * index order), so BSP runs with equal plans see the same samples however the workers interleave.
 *
 * <p>Thread-safety: every public method may be called from any thread; all state lives on one Vert.x context and
 * replies are delivered on it.
 */
public final class Coordinator {
    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);

    private final Context context;
    private final Clock clock;
    private final CoordinatorListener listener;
    private final FaultSource faults;
    private final CoordinatorSettings settings;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Slot[] slots;
    private final KnobIntake intake;
    private final GradientNoise noise = new GradientNoise(0.1);
    private final TreeMap<Long, Round> rounds = new TreeMap<>();
    private final List<Staged> staged = new ArrayList<>();
    private BatchPlan plan;
    private SyncPolicy policy;
    private LearningRate learningRate;
    private long cursor;
    private long totalEnded;
    private boolean started;
    private String stopReason;
    private boolean finished;

    private static final class Slot {
        final int index;
        final String id;
        long ended = -1;
        Grant inFlight;
        Handler<Turn> waiting;
        boolean leaving;
        boolean stopped;

        Slot(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    private record Round(long clock, BatchPlan plan, long first, float lr) {
        long firstFor(int worker) {
            long f = first;
            for (int w = 0; w < worker; w++) {
                f += plan.local(w);
            }
            return f;
        }
    }

    private record Staged(int worker, KnobEffect effect, long version, Optional<String> action) {
    }

    public Coordinator(Context context, Clock clock, CoordinatorSettings settings, CoordinatorListener listener,
                       FaultSource faults) {
        this.context = context;
        this.clock = clock;
        this.settings = settings;
        this.listener = listener;
        this.faults = faults;
        this.slots = new Slot[settings.workers().size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(i, settings.workers().get(i));
            indexOf.put(slots[i].id, i);
        }
        this.intake = new KnobIntake(slots.length);
        this.plan = settings.plan();
        this.policy = settings.policy();
        this.learningRate = settings.learningRate();
    }

    public CoordinatorSettings settings() {
        return settings;
    }

    /** The index of a worker id; throws {@link IllegalArgumentException} for an id that is not in the job. */
    public int indexOf(String worker) {
        Integer i = indexOf.get(worker);
        if (i == null) {
            throw new IllegalArgumentException("worker '" + worker + "' is not in this job (workers: "
                    + settings.workers() + ")");
        }
        return i;
    }

    /**
     * A worker reports the clock it finished (if any) and asks for its next one; {@code reply} gets the answer once
     * the policy lets it in. A worker back from a crash, with nothing to report, gets its unfinished clock again.
     */
    public void advance(String worker, Completion completed, Handler<Turn> reply) {
        int w = indexOf(worker);
        context.runOnContext(v -> {
            Slot slot = slots[w];
            if (completed != null) {
                try {
                    complete(slot, completed);
                } catch (IllegalStateException e) {
                    LOG.error("protocol error from {}: {}", slot.id, e.getMessage());
                    reply.handle(new Stop("rejected: " + e.getMessage()));
                    return;
                }
            }
            if (slot.waiting != null) {
                slot.waiting.handle(new Stop("superseded by a newer request from " + slot.id));
            }
            slot.waiting = reply;
            pump();
        });
    }

    private void complete(Slot slot, Completion c) {
        if (slot.inFlight == null || c.clock() != slot.inFlight.clock()) {
            if (c.clock() <= slot.ended) {
                return;
            }
            throw new IllegalStateException(slot.id + " completed clock " + c.clock() + " but holds "
                    + (slot.inFlight == null ? "no clock" : "clock " + slot.inFlight.clock()));
        }
        slot.ended = c.clock();
        slot.inFlight = null;
        totalEnded++;
        noise.observe(c.gradSqNorm(), c.gradVariance(), c.batch());
        rounds.headMap(slowestClock(), false).clear();
        listener.onCompletion(slot.id, c);
        if (totalEnded % slots.length == 0 && (totalEnded / slots.length) % settings.evalEverySteps() == 0) {
            listener.onGlobalStep(totalEnded / slots.length, cursor);
            listener.onGradientStats(totalEnded / slots.length, noise.noiseScale(), plan.global(),
                    learningRate.at(plan.global(), noise));
        }
    }

    private long slowestClock() {
        long min = Long.MAX_VALUE;
        for (Slot s : slots) {
            min = Math.min(min, s.ended + 1);
        }
        return min;
    }

    private boolean roundInProgress() {
        for (Slot s : slots) {
            if (s.inFlight != null) {
                return true;
            }
        }
        return false;
    }

    /** Answers every waiting worker that may go now. Runs on the context. */
    private void pump() {
        if (!started && stopReason == null) {
            for (Slot s : slots) {
                if (s.waiting == null) {
                    return;
                }
            }
            started = true;
            listener.onStart(clock.instant());
        }
        if (!roundInProgress()) {
            drainStaged();
        }
        for (Slot s : slots) {
            if (s.waiting != null) {
                tryGrant(s);
            }
        }
        if (!finished && allStopped()) {
            finished = true;
            listener.onFinished(stopReason == null ? "clock budget spent" : stopReason);
        }
    }

    private boolean allStopped() {
        for (Slot s : slots) {
            if (!s.stopped) {
                return false;
            }
        }
        return true;
    }

    private void tryGrant(Slot slot) {
        long next = slot.ended + 1;
        if (stopReason != null || next >= settings.maxClocks()) {
            slot.stopped = true;
            answer(slot, new Stop(stopReason != null ? stopReason
                    : "clock budget of " + settings.maxClocks() + " spent"));
        } else if (slot.leaving) {
            answer(slot, new Stop("moving to another node"));
        } else if (slot.inFlight != null) {
            answer(slot, slot.inFlight);
        } else if (policy.allows(next, slowestClock())) {
            Grant g = grant(slot, next);
            slot.inFlight = g;
            listener.onGrant(slot.id, g, slowestClock(), policy);
            answer(slot, g);
        }
    }

    private void answer(Slot slot, Turn turn) {
        Handler<Turn> reply = slot.waiting;
        slot.waiting = null;
        reply.handle(turn);
    }

    private Grant grant(Slot slot, long t) {
        int w = slot.index;
        Instant now = clock.instant();
        double factor = Math.max(1.0, faults.slowdown(w, now));
        double stallMs = Math.max(0, faults.inputStallMs(w, now));
        if (policy.synchronous()) {
            Round r = rounds.computeIfAbsent(t, c -> {
                Round round = new Round(c, plan, cursor, (float) learningRate.at(plan.global(), noise));
                cursor += plan.global();
                return round;
            });
            return new Grant(t, r.plan.local(w), r.firstFor(w), r.plan.weight(w), r.lr, true, t - 1, factor,
                    stallMs, paceMs(r.plan.local(w)));
        }
        long first = cursor;
        cursor += plan.local(w);
        long readAfter = policy.mode() == SyncMode.ASP ? -1 : t - policy.staleness() - 1;
        return new Grant(t, plan.local(w), first, plan.weight(w), (float) learningRate.at(plan.global(), noise),
                false, Math.max(-1, readAfter), factor, stallMs, paceMs(plan.local(w)));
    }

    private double paceMs(int batch) {
        return settings.deviceSpeed() > 0 ? 1000.0 * batch / settings.deviceSpeed() : 0;
    }

    /** Feeds one worker's merged knobs from its long-poll. */
    public void knobs(String worker, KnobUpdate update) {
        int w = indexOf(worker);
        context.runOnContext(v -> {
            for (KnobEffect effect : intake.diff(w, update.knobs())) {
                if (effect instanceof KnobEffect.Migrate || !policy.synchronous() || !roundInProgress()) {
                    apply(w, effect, update.version(), update.action());
                } else {
                    staged.add(new Staged(w, effect, update.version(), update.action()));
                }
            }
            pump();
        });
    }

    private void drainStaged() {
        for (Staged s : staged) {
            apply(s.worker, s.effect, s.version, s.action);
        }
        staged.clear();
    }

    private void apply(int worker, KnobEffect effect, long version, Optional<String> action) {
        String id = slots[worker].id;
        try {
            switch (effect) {
                case KnobEffect.LocalBatch b -> plan = plan.withLocal(b.worker(), b.batch());
                case KnobEffect.GlobalBatch g -> plan = plan.rescaledTo(g.batch());
                case KnobEffect.BaseLearningRate l -> learningRate = learningRate.withBase(l.lr());
                case KnobEffect.Scaling s -> learningRate = learningRate.withRule(s.rule());
                case KnobEffect.Staleness s -> policy = new SyncPolicy(policy.mode(), s.bound());
                case KnobEffect.Mode m -> policy = new SyncPolicy(m.mode(), policy.staleness());
                case KnobEffect.Migrate m -> listener.onMigrationRequested(slots[m.worker()].id, m.node());
            }
            LOG.info("knob {}={} applied (version {}, from {}): plan {}, policy {}, lr {}", effect.field(),
                    effect.value(), version, id, plan, policy, learningRate);
            listener.onKnobApplied(id, effect, version, action);
        } catch (IllegalArgumentException e) {
            LOG.warn("knob {}={} rejected (version {}, from {}): {}", effect.field(), effect.value(), version, id,
                    e.getMessage());
            listener.onKnobRejected(id, effect, version, action, e.getMessage());
        }
    }

    /** Tells {@code worker} to stop after its current clock so that it can be restarted elsewhere. */
    public void release(String worker) {
        int w = indexOf(worker);
        context.runOnContext(v -> {
            slots[w].leaving = true;
            pump();
        });
    }

    /** A worker process (first, restarted or moved) introduced itself; it may be let in again. */
    public void hello(String worker, String node) {
        int w = indexOf(worker);
        context.runOnContext(v -> {
            slots[w].leaving = false;
            listener.onHello(worker, node, slots[w].ended);
        });
    }

    /** Ends the job: every worker gets {@link Stop} at its next request. */
    public void stop(String reason) {
        context.runOnContext(v -> {
            if (stopReason == null) {
                stopReason = reason;
                LOG.info("stopping: {}", reason);
            }
            pump();
        });
    }

    /**
     * {@code worker}'s process ended while the job stops, and will not be started again: it will ask for no more
     * clocks, so the job finishes without it. Ignored while the job runs (a worker that died then is restarted).
     */
    public void gone(String worker) {
        int w = indexOf(worker);
        context.runOnContext(v -> {
            if (stopReason != null) {
                slots[w].stopped = true;
                pump();
            }
        });
    }

    public Future<CoordinatorStatus> status() {
        Promise<CoordinatorStatus> p = Promise.promise();
        context.runOnContext(v -> {
            long[] ended = new long[slots.length];
            long[] inFlight = new long[slots.length];
            for (Slot s : slots) {
                ended[s.index] = s.ended;
                inFlight[s.index] = s.inFlight == null ? -1 : s.inFlight.clock();
            }
            p.complete(new CoordinatorStatus(settings.workers(), ended, inFlight, plan, policy, learningRate,
                    learningRate.at(plan.global(), noise), cursor, started, stopReason == null ? "" : stopReason,
                    noise.noiseScale()));
        });
        return p.future();
    }
}
