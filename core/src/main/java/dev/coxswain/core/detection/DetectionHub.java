package dev.coxswain.core.detection;

import dev.coxswain.core.hub.Hub;

import java.util.function.Consumer;

/**
 * A {@link DetectionSource} that the live detector's thread {@link #publish publishes} to. A listener that throws is
 * logged and does not stop the others.
 */
public final class DetectionHub implements DetectionSource {
    private final Hub<StragglerBoard> hub;

    /** @param initial the board before the first publication: an empty board that names the detector */
    public DetectionHub(StragglerBoard initial) {
        hub = new Hub<>("straggler boards", initial);
    }

    @Override
    public StragglerBoard latest() {
        return hub.latest();
    }

    @Override
    public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
        return hub.subscribe(listener);
    }

    public void publish(StragglerBoard board) {
        hub.publish(board);
    }
}
