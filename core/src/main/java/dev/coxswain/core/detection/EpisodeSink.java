package dev.coxswain.core.detection;

/**
 * Where the live detector sends episode events (the detections topic). Called on the detector's thread, in the
 * order of the events; an implementation must not block for long (a Kafka producer's buffered send is fine) and
 * reports its own delivery failures, which never reach the detector.
 */
public interface EpisodeSink {

    void publish(EpisodeEvent event);

    /** A sink that drops everything, for a process that does not publish detections. */
    static EpisodeSink discard() {
        return event -> { };
    }
}
