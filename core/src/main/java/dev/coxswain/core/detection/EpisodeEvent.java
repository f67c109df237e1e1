package dev.coxswain.core.detection;

import java.util.Locale;
import java.util.Objects;

/**
 * A change of a straggler episode, as sent on the detections topic: its start, a notable update (another cause, or a
 * slowdown that moved), or its end. The three carry the same fields, so the kind is an enum rather than three types.
 *
 * @param episode the episode as of this event; ended exactly when {@code kind} is {@link Kind#END}
 */
public record EpisodeEvent(Kind kind, StragglerEpisode episode) {

    public EpisodeEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(episode, "episode");
        if ((kind == Kind.END) == episode.open()) {
            throw new IllegalArgumentException("a " + kind.label() + " event needs an episode that is "
                    + (kind == Kind.END ? "ended" : "open") + ": " + episode.id());
        }
    }

    public enum Kind {
        START, UPDATE, END;

        /** The lower-case name used on the wire. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Kafka key: the job, so that one job's events stay in order on one partition. */
    public String key() {
        return episode.jobId();
    }
}
