package dev.coxswain.transport;

import dev.coxswain.core.detection.EpisodeCodec;
import dev.coxswain.core.detection.EpisodeEvent;
import dev.coxswain.core.detection.EpisodeHistory;
import dev.coxswain.core.detection.StragglerEpisode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the episode log (the detections topic) of some jobs back, for a detector taking them over
 * ({@link EpisodeHistory}). A record that does not decode is skipped with one log line for the read that met it.
 */
public final class EpisodeLogReader implements EpisodeHistory {
    private static final Logger log = LoggerFactory.getLogger(EpisodeLogReader.class);
    private static final Duration TAKEOVER_READ = Duration.ofSeconds(10);

    private final KafkaSettings settings;

    public EpisodeLogReader(KafkaSettings settings) {
        this.settings = settings;
    }

    /** Every event of {@code jobs} on the log, in order per job, up to its end at the time of the call. */
    public List<EpisodeEvent> events(Collection<String> jobs, Duration timeout) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<EpisodeEvent> events = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        KeyedLog.read(settings, settings.topics().detections(), Optional.of(Set.copyOf(jobs)), timeout, r -> {
            switch (EpisodeCodec.decode(r.value())) {
                case EpisodeCodec.Decoding.Decoded d -> events.add(d.event());
                case EpisodeCodec.Decoding.Rejected x -> rejected.add(KeyedLog.where(r) + ": " + x.detail());
            }
        });
        if (!rejected.isEmpty()) {
            log.warn("{} records of the episode log could not be read and were skipped; the first at {}",
                    rejected.size(), rejected.getFirst());
        }
        return events;
    }

    @Override
    public List<StragglerEpisode> open(Collection<String> jobs) {
        Map<String, StragglerEpisode> last = new LinkedHashMap<>();
        events(jobs, TAKEOVER_READ).forEach(e -> last.put(e.episode().id(), e.episode()));
        return last.values().stream().filter(e -> e.end().isEmpty()).toList();
    }
}
