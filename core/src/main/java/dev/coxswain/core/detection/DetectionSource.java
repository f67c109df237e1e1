package dev.coxswain.core.detection;

import dev.coxswain.core.hub.Source;

import java.util.function.Consumer;

/**
 * Where readers in the same process (the dashboard) get the live detector's episodes, as {@code SnapshotSource}
 * gives the collector's snapshots. {@link #latest()} never blocks; listeners are called on the detector's thread
 * after each board that changed and must return quickly (hand the work to another thread). Thread-safe.
 */
public interface DetectionSource extends Source<StragglerBoard> {

    /** The most recent board; {@link StragglerBoard#off()} or an empty board before the first. */
    @Override
    StragglerBoard latest();

    /** A source for a process without a detector: always {@link StragglerBoard#off()}, never calls a listener. */
    static DetectionSource none() {
        StragglerBoard off = StragglerBoard.off();
        return new DetectionSource() {
            @Override
            public StragglerBoard latest() {
                return off;
            }

            @Override
            public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
                return () -> { };
            }
        };
    }
}
