package dev.coxswain.controller.observe;

import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.detection.StragglerEpisode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the controller knows of one job at one snapshot: its workers over their recent steps, its step time, how
 * it synchronises, and the detector's open straggler episodes for it. Immutable.
 *
 * @param stepTimeMs median over the workers of their median step time
 * @param lastStep   the latest step any worker reported
 * @param lastAt     when the latest step ended
 * @param gradNoiseScale the gradient noise scale {@code tr(Sigma) / |G|^2} in samples, from the job's latest
 *                   {@code job.stats} event; empty when the job does not report it
 * @param requestedMode the controller mode the job asks for with its {@code controller} label ({@code job.start}
 *                   attribute); empty when it has none, or one that is not a mode
 * @param freeSlots  where in the cluster a worker could be moved now
 */
public record JobObservation(String job, Instant at, Map<String, WorkerObservation> workers, double stepTimeMs,
                             long lastStep, Instant lastAt, SyncState sync, List<StragglerEpisode> episodes,
                             OptionalDouble gradNoiseScale, Optional<ControlMode> requestedMode,
                             List<Slot> freeSlots) {
    public JobObservation {
        workers = Map.copyOf(workers);
        episodes = List.copyOf(episodes);
        freeSlots = List.copyOf(freeSlots);
    }

    /** The same observation with only {@code kept} of its episodes. */
    public JobObservation withEpisodes(List<StragglerEpisode> kept) {
        return new JobObservation(job, at, workers, stepTimeMs, lastStep, lastAt, sync, kept, gradNoiseScale,
                requestedMode, freeSlots);
    }

    /** Whether the newest step is older than {@code limit} at the time of the snapshot: the job may be gone. */
    public boolean staleAfter(Duration limit) {
        return Duration.between(lastAt, at).compareTo(limit) > 0;
    }

    /** The sum of the local batches: the global batch. */
    public int globalBatch() {
        return workers.values().stream().mapToInt(WorkerObservation::batch).sum();
    }
}
