package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link TelemetrySink} a test switches between behaviours: deliver, fail retriably (Kafka unreachable), refuse
 * for good, or hold completions until {@link #releaseHeld()} (records in flight).
 */
public final class FakeSink implements TelemetrySink {
    public enum Mode { UP, DOWN, REFUSE, HOLD }

    private volatile Mode mode = Mode.UP;
    private final List<Telemetry> delivered = Collections.synchronizedList(new ArrayList<>());
    private final List<Runnable> held = Collections.synchronizedList(new ArrayList<>());
    private volatile int attempts;

    public void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public void send(Telemetry record, Consumer<SendOutcome> done) {
        attempts++;
        switch (mode) {
            case UP -> {
                delivered.add(record);
                done.accept(SendOutcome.SENT);
            }
            case DOWN -> done.accept(new SendOutcome.Retry("TimeoutException: broker unreachable"));
            case REFUSE -> done.accept(new SendOutcome.Failed("RecordTooLargeException"));
            case HOLD -> held.add(() -> {
                delivered.add(record);
                done.accept(SendOutcome.SENT);
            });
        }
    }

    /** Completes every held send as delivered. */
    public void releaseHeld() {
        List<Runnable> now;
        synchronized (held) {
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }

    public List<Telemetry> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }

    public int attempts() {
        return attempts;
    }
}
