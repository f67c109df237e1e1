package dev.coxswain.whatif.engine;

import java.util.PriorityQueue;

/**
 * The simulator's future events, earliest first; events at the same time leave in the order they were scheduled,
 * so a run is deterministic. Owned by the simulation thread.
 */
final class EventQueue {
    private record Entry(double time, long seq, Event event) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Double.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private long seq;
    private long processed;
    private double now;

    void schedule(double time, Event event) {
        if (time < now) {
            throw new IllegalStateException("event " + event + " at " + time + " is before now " + now);
        }
        heap.add(new Entry(time, seq++, event));
    }

    boolean isEmpty() {
        return heap.isEmpty();
    }

    double peekTime() {
        return heap.peek().time();
    }

    /** Removes the earliest event and advances the clock to it. */
    Event next() {
        Entry e = heap.poll();
        now = e.time();
        processed++;
        return e.event();
    }

    double now() {
        return now;
    }

    long processed() {
        return processed;
    }
}
