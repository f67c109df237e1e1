package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.Telemetry;

import java.util.List;

/**
 * Where the agent's buffer keeps what it accepted until Kafka has it. The buffer numbers records in the order it
 * accepts them ({@link #append}) and says when each is done ({@link #done}): delivered, refused for good, or dropped
 * for room. {@link #none()} keeps nothing (records live in memory only); a {@link Spool} writes them to disk first, so
 * that what an agent accepted survives its crash. Called under the buffer's lock and from the sender thread:
 * implementations are thread-safe.
 */
public interface Journal extends AutoCloseable {

    /** Keeps {@code records}, in order, before they are queued; returns the number of the first (the rest follow). */
    long append(List<? extends Telemetry> records);

    /** Record {@code seq} needs keeping no longer. Unknown or repeated numbers are ignored. */
    void done(long seq);

    /** Makes the progress of {@link #done} durable; the sender calls it about once a second and at shutdown. */
    void checkpoint();

    /** Whether records not yet done outlive this process (then they are not lost at shutdown, only left). */
    boolean durable();

    /** Hands out, once, what a previous run left not done, oldest first: to be sent before anything new. */
    default List<Numbered> takeRecovered() {
        return List.of();
    }

    @Override
    void close();

    /** Keeps nothing: numbers records and forgets them. */
    static Journal none() {
        return new Journal() {
            private long next;

            @Override
            public synchronized long append(List<? extends Telemetry> records) {
                long first = next;
                next += records.size();
                return first;
            }

            @Override
            public void done(long seq) {
            }

            @Override
            public void checkpoint() {
            }

            @Override
            public boolean durable() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }
}
