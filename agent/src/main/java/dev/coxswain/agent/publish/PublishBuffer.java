package dev.coxswain.agent.publish;

import dev.coxswain.agent.RateLimitedLog;
import dev.coxswain.core.telemetry.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the producers of records (the intake's event loop, the samplers) and the one
 * {@link Sender} thread. Adding never blocks beyond a short lock (and, with a {@link Spool}, the append to its
 * file): when the buffer is full the oldest records are dropped, counted and logged (at most once every 10 s).
 * Every record goes through the {@link Journal} first, which numbers it; a dropped one is done there. Thread-safe.
 */
public final class PublishBuffer {
    private static final Logger log = LoggerFactory.getLogger(PublishBuffer.class);

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Numbered> queue = new ArrayDeque<>();
    private final Journal journal;
    private final AtomicLong dropped = new AtomicLong();
    private final RateLimitedLog dropLog;
    private boolean wakeUp;

    public PublishBuffer(int capacity, Journal journal, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.journal = journal;
        this.dropLog = new RateLimitedLog(log, Duration.ofSeconds(10), clock);
    }

    /** Appends a record, dropping the oldest when full; returns how many records were dropped (0 or 1). */
    public int offer(Telemetry record) {
        return offerAll(List.of(record));
    }

    /** Appends records in order, dropping the oldest when full; returns how many records were dropped. */
    public int offerAll(Collection<? extends Telemetry> records) {
        int lost;
        lock.lock();
        try {
            long seq = journal.append(List.copyOf(records));
            for (Telemetry r : records) {
                queue.addLast(new Numbered(seq++, r));
            }
            lost = trim();
            work.signal();
        } finally {
            lock.unlock();
        }
        return reportDropped(lost, "buffer full");
    }

    /**
     * Puts records back at the front, in their order, so they go out before newer ones: those whose delivery failed,
     * or those a {@link Spool} read back from the previous run (already journaled). When that overfills the buffer
     * the oldest records, which are these, are dropped.
     */
    public int requeue(List<Numbered> records) {
        int lost;
        lock.lock();
        try {
            for (int i = records.size() - 1; i >= 0; i--) {
                queue.addFirst(records.get(i));
            }
            lost = trim();
            work.signal();
        } finally {
            lock.unlock();
        }
        return reportDropped(lost, "buffer full while Kafka is unreachable");
    }

    private int trim() {
        int lost = 0;
        while (queue.size() > capacity) {
            journal.done(queue.pollFirst().seq());
            lost++;
        }
        return lost;
    }

    /** Takes up to {@code max} records from the front. */
    public List<Numbered> poll(int max) {
        lock.lock();
        try {
            int n = Math.min(max, queue.size());
            List<Numbered> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(queue.pollFirst());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Empties the buffer, returning what it held (used at shutdown). */
    public List<Numbered> clear() {
        return poll(Integer.MAX_VALUE);
    }

    /**
     * Waits until there is something to do: records to take (when {@code wantRecords}), a {@link #wakeUp()}, or
     * the timeout.
     */
    public void await(Duration timeout, boolean wantRecords) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!wakeUp && !(wantRecords && !queue.isEmpty()) && nanos > 0) {
                nanos = work.awaitNanos(nanos);
            }
            wakeUp = false;
        } finally {
            lock.unlock();
        }
    }

    /** Makes the current or next {@link #await} return at once: a delivery completed, or shutdown began. */
    public void wakeUp() {
        lock.lock();
        try {
            wakeUp = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Counts records lost outside the queue (refused by Kafka, abandoned at shutdown) with the drops. */
    public void countDropped(int n, String reason) {
        reportDropped(n, reason);
    }

    private int reportDropped(int n, String reason) {
        if (n > 0) {
            long total = dropped.addAndGet(n);
            dropLog.warn("dropped {} telemetry record(s): {}; {} dropped since start", n, reason, total);
        }
        return n;
    }

    public int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public int capacity() {
        return capacity;
    }

    public Journal journal() {
        return journal;
    }

    /** Records dropped since start, for any reason. */
    public long dropped() {
        return dropped.get();
    }
}
