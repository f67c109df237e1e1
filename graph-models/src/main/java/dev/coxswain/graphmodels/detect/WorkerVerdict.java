package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.Attribution;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.features.FeatureVector;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The detector's conclusion about one worker at one step, from that step's and earlier samples only, or with a
 * decision delay of d samples also from the d samples after it.
 *
 * @param straggler   whether the worker is a confirmed straggler at this step
 * @param ratio       the worker's rolling level over the job's ideal level (its own slowdown)
 * @param score       evidence in [0, 1]: 0 at the ideal level, 0.5 at the threshold, 1 at twice the threshold's
 *                    excess; a worker is a straggler exactly when its score is at least 0.5 and it has enough
 *                    samples
 * @param attribution the cause with its confidence; {@link Cause#NONE} when not a straggler
 * @param sinceStep   the step at which the current straggler episode was confirmed, if a straggler
 * @param since       when that step ended, if the input carried timestamps
 * @param features    the worker's features, when the tracker computed them at this step
 */
public record WorkerVerdict(String workerId, long step, boolean straggler, double ratio, double score,
                            Attribution attribution, OptionalLong sinceStep, Optional<Instant> since,
                            Optional<FeatureVector> features) {
    public WorkerVerdict {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(attribution, "attribution");
        Objects.requireNonNull(sinceStep, "sinceStep");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(features, "features");
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in [0, 1], got " + score);
        }
        if (straggler != (attribution.cause() != Cause.NONE)) {
            throw new IllegalArgumentException("a straggler needs a cause other than NONE and only a straggler has one");
        }
    }

    public Cause cause() {
        return attribution.cause();
    }

    /** The same conclusion about another step. */
    public WorkerVerdict at(long otherStep) {
        return new WorkerVerdict(workerId, otherStep, straggler, ratio, score, attribution, sinceStep, since, features);
    }
}
