package dev.coxswain.trainer.ps;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's parameters and optimiser state: momentum SGD on a slice, fed by workers' gradient pushes. Each push
 * carries its weight (the worker's share of the global batch) and the learning rate the coordinator set for it.
 *
 * <p>A push of weight {@code w} is a fractional optimiser step (see {@link #step}): with {@code w = 1} plain momentum
 * SGD; a round of pushes whose weights sum to 1 decays the momentum by {@code mu} and moves the parameters as far as
 * one BSP step would (in steady state), so SSP and ASP keep the learning rate's meaning. Immediate pushes (SSP, ASP)
 * are applied on arrival.
 * Synchronous pushes (BSP) of clock {@code c} are held until every worker has pushed clock {@code c} or later, then
 * summed in worker order and applied as one step, so a BSP run is deterministic for a given seed and batch plan.
 *
 * <p>The shard also keeps an exponential moving average of its parameters (decay {@code ema} per global step,
 * {@code ema^w} per push of weight {@code w}): the averaged model is the one evaluated and delivered, as is common
 * practice (Polyak averaging); it follows the same updates with less of their noise.
 *
 * <p>Exactly once: a worker's push for a clock it has already pushed is a {@link PushOutcome#DUPLICATE}, so a worker
 * restarted after a crash can redo its last clock without an update being applied twice or lost.
 *
 * <p>Not thread-safe: the shard's event loop owns it.
 */
public final class ShardState {
    private final float[] params;
    private final float[] velocity;
    private final float[] average;
    private final float momentum;
    private final float ema;
    private final long[] pushedClock;
    private final long[] applied;
    private final Map<Long, Pending> pending = new TreeMap<>();
    private long duplicates;
    private long steps;

    private static final class Pending {
        final float[][] grads;
        final float[] weights;
        float lr;

        Pending(int workers) {
            grads = new float[workers][];
            weights = new float[workers];
        }
    }

    /** A snapshot of counters for tests and the job summary. */
    public record Stats(long[] appliedPerWorker, long duplicates, long optimizerSteps, int pendingClocks) {
        public Stats {
            appliedPerWorker = appliedPerWorker.clone();
        }

        public long applied() {
            return Arrays.stream(appliedPerWorker).sum();
        }
    }

    /** @param ema the averaged model's decay per global step, in [0, 1); 0 makes it the plain parameters */
    public ShardState(float[] initial, int workers, float momentum, float ema) {
        if (workers < 1 || !(momentum >= 0 && momentum < 1) || !(ema >= 0 && ema < 1)) {
            throw new IllegalArgumentException("ShardState: " + workers + " workers, momentum " + momentum
                    + ", ema " + ema);
        }
        this.params = initial.clone();
        this.velocity = new float[initial.length];
        this.average = initial.clone();
        this.momentum = momentum;
        this.ema = ema;
        this.pushedClock = new long[workers];
        Arrays.fill(pushedClock, -1);
        this.applied = new long[workers];
    }

    public int length() {
        return params.length;
    }

    public float[] parameters() {
        return params;
    }

    /** The moving average of the parameters: the model to evaluate. */
    public float[] averagedParameters() {
        return average;
    }

    /**
     * Takes worker {@code worker}'s gradient for {@code clock}.
     *
     * @param weight      the worker's share of the global batch, in (0, 1]
     * @param synchronous whether to hold it for the BSP sum of its clock
     */
    public PushOutcome push(int worker, long clock, float weight, float lr, boolean synchronous, float[] grad) {
        if (worker < 0 || worker >= pushedClock.length || clock < 0 || grad.length != params.length
                || !(weight > 0 && weight <= 1) || !(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("ShardState.push: worker " + worker + ", clock " + clock + ", weight "
                    + weight + ", lr " + lr + ", " + grad.length + " values for a slice of " + params.length);
        }
        if (clock <= pushedClock[worker]) {
            duplicates++;
            return PushOutcome.DUPLICATE;
        }
        pushedClock[worker] = clock;
        if (!synchronous) {
            step(grad, weight, lr);
            applied[worker]++;
            applyCompleteRounds();
            return PushOutcome.APPLIED;
        }
        Pending p = pending.computeIfAbsent(clock, c -> new Pending(pushedClock.length));
        p.grads[worker] = grad;
        p.weights[worker] = weight;
        p.lr = lr;
        applyCompleteRounds();
        return PushOutcome.BUFFERED;
    }

    /** Applies, in clock order, every held BSP round that all workers have pushed past. */
    private void applyCompleteRounds() {
        long minPushed = Arrays.stream(pushedClock).min().orElse(-1);
        while (!pending.isEmpty()) {
            Map.Entry<Long, Pending> first = ((TreeMap<Long, Pending>) pending).firstEntry();
            if (first.getKey() > minPushed) {
                return;
            }
            pending.remove(first.getKey());
            applyRound(first.getValue());
        }
    }

    private void applyRound(Pending p) {
        float[] sum = new float[params.length];
        float total = 0;
        for (int w = 0; w < p.grads.length; w++) {
            float[] g = p.grads[w];
            if (g == null) {
                continue;
            }
            float weight = p.weights[w];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += weight * g[i];
            }
            total += weight;
            applied[w]++;
        }
        float inv = 1f / total;
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        step(sum, total, p.lr);
    }

    /**
     * One fractional step of size {@code w} with the mean gradient {@code grad}:
     * {@code p -= lr (m_w v + w g); v = mu^w v + w g}, with {@code m_w = mu (1 - mu^w) / (1 - mu)}. For
     * {@code w = 1} it is momentum SGD ({@code v' = mu v + g; p -= lr v'}); pushes whose weights sum to 1 decay the
     * velocity by {@code mu} and, with a steady gradient, move the parameters as far as one full step.
     */
    private void step(float[] grad, float w, float lr) {
        float decay = (float) Math.pow(momentum, w);
        float carry = momentum == 0 ? 0f : momentum * (1 - decay) / (1 - momentum);
        float averageDecay = (float) Math.pow(ema, w);
        float keep = 1 - averageDecay;
        for (int i = 0; i < params.length; i++) {
            float g = w * grad[i];
            float v = velocity[i];
            float p = params[i] - lr * (carry * v + g);
            velocity[i] = decay * v + g;
            params[i] = p;
            average[i] = averageDecay * average[i] + keep * p;
        }
        steps++;
    }

    /** Whether a BSP round for {@code clock} is still waiting for some worker's push. */
    public boolean pending(long clock) {
        return pending.containsKey(clock);
    }

    /** The lowest clock that every worker has pushed (-1 before all have pushed once). */
    public long minPushed() {
        return Arrays.stream(pushedClock).min().orElse(-1);
    }

    public Stats stats() {
        return new Stats(applied, duplicates, steps, pending.size());
    }
}
