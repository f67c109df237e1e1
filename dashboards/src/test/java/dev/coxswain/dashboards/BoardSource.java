package dev.coxswain.dashboards;

import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.detection.StragglerBoard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** A {@link DetectionSource} a test publishes boards to, as the live detector's hub does. Thread-safe. */
final class BoardSource implements DetectionSource {
    private final AtomicReference<StragglerBoard> latest = new AtomicReference<>(
            new StragglerBoard(0, java.time.Instant.EPOCH, "rules", List.of(), List.of()));
    private final List<Consumer<StragglerBoard>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public StragglerBoard latest() {
        return latest.get();
    }

    @Override
    public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void publish(StragglerBoard board) {
        latest.set(board);
        listeners.forEach(l -> l.accept(board));
    }
}
