package dev.coxswain.whatif.sink;

import dev.coxswain.core.telemetry.Telemetry;

/**
 * Where the simulator's telemetry goes: a file now, Kafka when the transport's publisher is available. Called from
 * the simulation thread only, in simulated-time order; implementations need not be thread-safe. {@link #close}
 * flushes; records accepted before it are not lost.
 */
public interface SimOutput extends AutoCloseable {

    void accept(Telemetry record);

    /** Records accepted so far. */
    long count();

    @Override
    void close();
}
