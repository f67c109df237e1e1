package dev.coxswain.whatif.spec;

import java.util.List;

/**
 * One training job to simulate: its model, how it synchronises, which GPU each worker uses, per-worker batch sizes,
 * gradient accumulation, length, and injected stragglers.
 *
 * @param workerGpus        global GPU index of each worker (see {@code Topology}), in rank order
 * @param localBatch        per-worker micro-batch size, one per worker
 * @param accumulationSteps micro-batches per step (gradient accumulation); only the last one synchronises
 * @param startSec          simulated time at which the job starts
 */
public record JobSpec(String name, ModelProfile model, SyncSpec sync, List<Integer> workerGpus,
                      List<Integer> localBatch, int accumulationSteps, long steps, List<Straggler> stragglers,
                      double startSec) {

    /** Worker {@code worker} runs {@code slowdown} times slower from step {@code fromStep} until {@code toStep}. */
    public record Straggler(int worker, double slowdown, long fromStep, long toStep) {
        public Straggler {
            if (worker < 0 || !(slowdown > 0) || fromStep < 0 || toStep < fromStep) {
                throw new IllegalArgumentException("straggler needs worker >= 0, slowdown > 0, 0 <= from <= to");
            }
        }
    }

    public JobSpec {
        workerGpus = List.copyOf(workerGpus);
        localBatch = List.copyOf(localBatch);
        stragglers = List.copyOf(stragglers);
        if (name == null || model == null || sync == null) {
            throw new IllegalArgumentException("job needs a name, a model and a sync spec");
        }
        if (workerGpus.isEmpty() || workerGpus.size() != localBatch.size()) {
            throw new IllegalArgumentException("job " + name + ": one local batch per worker needed");
        }
        if (workerGpus.stream().distinct().count() != workerGpus.size()) {
            throw new IllegalArgumentException("job " + name + ": two workers on one GPU");
        }
        if (accumulationSteps < 1 || steps < 1 || !(startSec >= 0)) {
            throw new IllegalArgumentException("job " + name + ": accumulationSteps >= 1, steps >= 1, start >= 0");
        }
        for (Straggler s : stragglers) {
            if (s.worker() >= workerGpus.size()) {
                throw new IllegalArgumentException("job " + name + ": straggler worker " + s.worker()
                        + " but only " + workerGpus.size() + " workers");
            }
        }
    }

    public int workers() {
        return workerGpus.size();
    }

    /** The same job under another name. */
    public JobSpec named(String newName) {
        return new JobSpec(newName, model, sync, workerGpus, localBatch, accumulationSteps, steps, stragglers,
                startSec);
    }

    /** The same job on other GPUs, as many as it has workers. */
    public JobSpec placedOn(List<Integer> gpus) {
        return new JobSpec(name, model, sync, gpus, localBatch, accumulationSteps, steps, stragglers, startSec);
    }

    /** The same job with no straggler injected. */
    public JobSpec healthy() {
        return new JobSpec(name, model, sync, workerGpus, localBatch, accumulationSteps, steps, List.of(), startSec);
    }
}
