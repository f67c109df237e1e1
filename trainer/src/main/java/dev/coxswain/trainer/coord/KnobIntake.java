package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.Knobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the merged knob sets that each worker's long-poll delivers into changes. A field counts only when it differs
 * from what that worker's previous set said, so a job-wide {@code global_batch_size} still in force is not re-applied
 * when another field changes; a job-wide field arrives once per worker, so it counts only when it also differs from
 * the value last taken for the job. {@code batch_size} and {@code node} are per worker, the rest job-wide.
 * Not thread-safe: the coordinator's event loop owns it.
 */
final class KnobIntake {
    private final Knobs[] lastSeen;
    private final Map<String, String> jobWide = new HashMap<>();

    KnobIntake(int workers) {
        lastSeen = new Knobs[workers];
        java.util.Arrays.fill(lastSeen, Knobs.none());
    }

    List<KnobEffect> diff(int worker, Knobs merged) {
        Knobs before = lastSeen[worker];
        lastSeen[worker] = merged;
        List<KnobEffect> out = new ArrayList<>();
        if (merged.batchSize().isPresent() && !merged.batchSize().equals(before.batchSize())) {
            out.add(new KnobEffect.LocalBatch(worker, merged.batchSize().getAsInt()));
        }
        if (merged.node().isPresent() && !merged.node().equals(before.node())) {
            out.add(new KnobEffect.Migrate(worker, merged.node().get()));
        }
        if (merged.globalBatchSize().isPresent() && !merged.globalBatchSize().equals(before.globalBatchSize())) {
            jobWide(out, new KnobEffect.GlobalBatch(merged.globalBatchSize().getAsInt()));
        }
        if (merged.learningRate().isPresent() && !merged.learningRate().equals(before.learningRate())) {
            jobWide(out, new KnobEffect.BaseLearningRate(merged.learningRate().getAsDouble()));
        }
        optional(merged.lrScaling(), before.lrScaling()).ifPresent(r -> jobWide(out, new KnobEffect.Scaling(r)));
        if (merged.staleness().isPresent() && !merged.staleness().equals(before.staleness())) {
            jobWide(out, new KnobEffect.Staleness(merged.staleness().getAsInt()));
        }
        optional(merged.syncMode(), before.syncMode()).ifPresent(m -> jobWide(out, new KnobEffect.Mode(m)));
        return out;
    }

    private static <T> Optional<T> optional(Optional<T> now, Optional<T> before) {
        return now.isPresent() && !now.equals(before) ? now : Optional.empty();
    }

    private void jobWide(List<KnobEffect> out, KnobEffect effect) {
        if (!effect.value().equals(jobWide.put(effect.field(), effect.value()))) {
            out.add(effect);
        }
    }
}
