package dev.coxswain.core.detection;

import java.util.Collection;
import java.util.List;

/**
 * What the detections topic says is still open for some jobs: read by a live detector that takes jobs over from a
 * collector that died without ending their episodes, so that it continues them (same ids) instead of losing them
 * and announcing the same slowness again. Implementations may block for a few seconds; they never throw for jobs
 * with no history (an empty list).
 */
public interface EpisodeHistory {

    /** The episodes of {@code jobs} whose last event on the topic is not an end, as last announced. */
    List<StragglerEpisode> open(Collection<String> jobs);

    /** No history: every job starts with no episode. */
    static EpisodeHistory none() {
        return jobs -> List.of();
    }
}
