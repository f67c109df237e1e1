package dev.coxswain.transport;

import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ControlHistory;
import dev.coxswain.core.control.ControlRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the controller's audit log (the actions topic) from the beginning to its current end: for {@code coxswain
 * actions}, and for a controller that takes over a job and must know what was done to it ({@link ControlHistory}).
 * Records that do not decode are described, never thrown.
 */
public final class ActionLogReader implements ControlHistory {
    private static final int TAKEOVER_READ_S = 10;

    /** What was read: the records in topic order per partition, and what could not be decoded. */
    public record Read(List<ControlRecord> records, List<String> rejected) {
        public Read {
            records = List.copyOf(records);
            rejected = List.copyOf(rejected);
        }
    }

    private final KafkaSettings settings;

    public ActionLogReader(KafkaSettings settings) {
        this.settings = settings;
    }

    /**
     * Every record of the log, or only those keyed by {@code job}, up to the end offsets at the time of the call.
     *
     * @param timeout how long to keep reading before giving up with what was read
     */
    public Read read(Optional<String> job, Duration timeout) {
        List<ControlRecord> records = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        KeyedLog.read(settings, settings.topics().actions(), job.map(Set::of), timeout, r -> {
            switch (ControlCodec.decode(r.value())) {
                case ControlCodec.Decoding.Decoded d -> records.add(d.record());
                case ControlCodec.Decoding.Rejected x -> rejected.add(KeyedLog.where(r) + ": " + x.detail());
            }
        });
        return new Read(records, rejected);
    }

    /** The job's records, read for at most {@value #TAKEOVER_READ_S} s. */
    @Override
    public List<ControlRecord> recent(String job) {
        return read(Optional.of(job), Duration.ofSeconds(TAKEOVER_READ_S)).records();
    }
}
