package dev.coxswain.graphmodels.live;

import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.detection.StragglerBoard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A {@link DetectionSource} that the live detector's thread {@link #publish publishes} to. A listener that throws is
 * logged and does not stop the others.
 */
public final class DetectionHub implements DetectionSource {
    private static final Logger log = LoggerFactory.getLogger(DetectionHub.class);

    private final AtomicReference<StragglerBoard> latest;
    private final List<Consumer<StragglerBoard>> listeners = new CopyOnWriteArrayList<>();

    /** @param initial the board before the first publication: an empty board that names the detector */
    public DetectionHub(StragglerBoard initial) {
        latest = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    @Override
    public StragglerBoard latest() {
        return latest.get();
    }

    @Override
    public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(StragglerBoard board) {
        latest.set(Objects.requireNonNull(board, "board"));
        for (Consumer<StragglerBoard> l : listeners) {
            try {
                l.accept(board);
            } catch (RuntimeException e) {
                log.error("detection listener failed on board {}", board.generation(), e);
            }
        }
    }
}
