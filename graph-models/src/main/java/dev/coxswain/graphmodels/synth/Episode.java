package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.cause.Cause;

import java.util.Set;

/**
 * One injected straggler episode: a cause on some workers over steps [from, to).
 *
 * @param severity the slowdown the cause adds to an affected worker's noise-free step time (1.3 = 30% slower)
 * @param hardware    for {@link Cause#IMBALANCE}: a slower device at its own full clock rather than a larger batch
 * @param clockFactor for the slower device: its full clock relative to the job's other devices
 * @param hiddenBatch for uneven batches: the extra work is per sample (longer sequences), so the batch-size column
 *                    does not show it
 */
record Episode(Cause cause, Set<Integer> workers, int from, int to, double severity, boolean hardware,
               double clockFactor, boolean hiddenBatch) {
    Episode {
        workers = Set.copyOf(workers);
    }

    boolean covers(int worker, int step) {
        return step >= from && step < to && workers.contains(worker);
    }

    boolean overlaps(Episode other) {
        return from < other.to && other.from < to && other.workers.stream().anyMatch(workers::contains);
    }
}
