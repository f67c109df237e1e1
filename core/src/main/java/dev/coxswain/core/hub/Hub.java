package dev.coxswain.core.hub;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The latest of a series of immutable values that one thread publishes, for readers on any thread: {@link #latest}
 * never blocks, and each subscriber is called with every value published after it subscribed, on the publishing
 * thread (it must return quickly). A subscriber that throws is logged and does not stop the others. The collector's
 * snapshots, the detector's boards and the controller's boards are each published through one; a typed hub
 * ({@code SnapshotHub}, {@code DetectionHub}) is this class under its source interface.
 */
public class Hub<T> implements Source<T> {
    private static final System.Logger LOG = System.getLogger(Hub.class.getName());

    private final String what;
    private final AtomicReference<T> latest;
    private final List<Consumer<T>> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param what    what the values are, for the log line of a failing subscriber
     * @param initial the value before the first publication
     */
    public Hub(String what, T initial) {
        this.what = Objects.requireNonNull(what, "what");
        this.latest = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    @Override
    public final T latest() {
        return latest.get();
    }

    @Override
    public final AutoCloseable subscribe(Consumer<T> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public final void publish(T value) {
        latest.set(Objects.requireNonNull(value, "value"));
        for (Consumer<T> l : listeners) {
            try {
                l.accept(value);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "a subscriber to the " + what + " failed", e);
            }
        }
    }
}
