package dev.coxswain.collector.state;

import dev.coxswain.collector.snapshot.StepPoint;

import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The most recent steps of one worker in a fixed-size ring of primitive slots. Not thread-safe; owned by the
 * collector thread.
 *
 * <p>Why not a ring of {@link StepPoint}s: at a million steps a second, one retained object per step kept the
 * young generation full of live objects that every collection copied. A ring of {@code long}s holds no
 * references, so a step leaves nothing for the garbage collector to trace; each step's fields sit side by side
 * ({@value #SLOT} longs), so adding one touches one or two cache lines. {@link #points()} copies the ring once
 * per snapshot and makes points on demand.
 */
final class WorkerWindow {
    private static final int SLOT = 7;
    private static final int STEP = 0;
    private static final int SECONDS = 1;
    private static final int NANOS_AND_BATCH = 2;
    private static final int STEP_MS = 3;
    private static final int COMPUTE_MS = 4;
    private static final int COMM_MS = 5;
    private static final int WAIT_MS = 6;

    private final long[] ring;
    private final int capacity;
    private int next;
    private int size;
    private long lastStep = -1;

    WorkerWindow(int capacity) {
        this.capacity = capacity;
        this.ring = new long[capacity * SLOT];
    }

    /** Adds a step; a replay of the worker's latest step (after a rebalance, say) is ignored. */
    boolean add(long step, Instant timestamp, double stepTimeMs, double computeMs, double commMs, double waitMs,
                int batchSize) {
        if (step == lastStep) {
            return false;
        }
        lastStep = step;
        int at = next * SLOT;
        ring[at + STEP] = step;
        ring[at + SECONDS] = timestamp.getEpochSecond();
        ring[at + NANOS_AND_BATCH] = ((long) timestamp.getNano() << 32) | (batchSize & 0xffffffffL);
        ring[at + STEP_MS] = Double.doubleToRawLongBits(stepTimeMs);
        ring[at + COMPUTE_MS] = Double.doubleToRawLongBits(computeMs);
        ring[at + COMM_MS] = Double.doubleToRawLongBits(commMs);
        ring[at + WAIT_MS] = Double.doubleToRawLongBits(waitMs);
        next = next + 1 == capacity ? 0 : next + 1;
        if (size < capacity) {
            size++;
        }
        return true;
    }

    /** Oldest first; an immutable copy, independent of later steps. */
    List<StepPoint> points() {
        long[] copy = new long[size * SLOT];
        int start = (next - size + capacity) % capacity;
        // The valid slots are [start, capacity) and then, once the ring has wrapped, [0, next).
        int first = Math.min(size, capacity - start);
        System.arraycopy(ring, start * SLOT, copy, 0, first * SLOT);
        System.arraycopy(ring, 0, copy, first * SLOT, (size - first) * SLOT);
        return new Points(copy);
    }

    /** Mean step time of the newest {@code n} steps, or NaN when empty. */
    double meanStepMs(int n) {
        int k = Math.min(n, size);
        if (k == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += Double.longBitsToDouble(ring[(next - i + capacity) % capacity * SLOT + STEP_MS]);
        }
        return sum / k;
    }

    /** A frozen copy of a window's slots, oldest first; makes each {@link StepPoint} when asked for it. */
    private static final class Points extends AbstractList<StepPoint> implements RandomAccess {
        private final long[] slots;

        Points(long[] slots) {
            this.slots = slots;
        }

        @Override
        public StepPoint get(int i) {
            Objects.checkIndex(i, size());
            int at = i * SLOT;
            long nanosAndBatch = slots[at + NANOS_AND_BATCH];
            return new StepPoint(slots[at + STEP], Instant.ofEpochSecond(slots[at + SECONDS], nanosAndBatch >>> 32),
                    Double.longBitsToDouble(slots[at + STEP_MS]), Double.longBitsToDouble(slots[at + COMPUTE_MS]),
                    Double.longBitsToDouble(slots[at + COMM_MS]), Double.longBitsToDouble(slots[at + WAIT_MS]),
                    (int) nanosAndBatch);
        }

        @Override
        public int size() {
            return slots.length / SLOT;
        }
    }
}
