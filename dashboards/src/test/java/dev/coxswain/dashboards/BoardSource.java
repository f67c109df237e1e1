package dev.coxswain.dashboards;

import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.detection.StragglerBoard;
import dev.coxswain.core.hub.Hub;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** A {@link DetectionSource} a test publishes boards to, as the live detector's hub does. Thread-safe. */
final class BoardSource implements DetectionSource {
    private final Hub<StragglerBoard> hub = new Hub<>("test boards",
            new StragglerBoard(0, Instant.EPOCH, "rules", List.of(), List.of()));

    @Override
    public StragglerBoard latest() {
        return hub.latest();
    }

    @Override
    public AutoCloseable subscribe(Consumer<StragglerBoard> listener) {
        return hub.subscribe(listener);
    }

    void publish(StragglerBoard board) {
        hub.publish(board);
    }
}
