package dev.coxswain.collector.state;

import dev.coxswain.snapshot.StepPoint;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The most recent steps of one worker, in chunks of {@value #CHUNK} steps held as primitive slots. Not
 * thread-safe; owned by the collector thread.
 *
 * <p>Why not a ring of {@link StepPoint}s: at a million steps a second, two retained objects per step (point and
 * timestamp) kept the young generation full of live objects that every collection traced and copied. A chunk is a
 * {@code long[]} with each step's fields side by side ({@value #SLOT} longs), so a step leaves nothing to trace,
 * and adding one touches one or two cache lines. Only the newest chunk is ever written: a full chunk is frozen,
 * so {@link #points()} shares the full chunks with the snapshot and copies just the newest, partial one.
 */
final class WorkerWindow {
    static final int CHUNK = 64;
    private static final int SLOT = 8;
    private static final int STEP = 0;
    private static final int SECONDS = 1;
    private static final int NANOS_AND_BATCH = 2;
    private static final int STEP_MS = 3;
    private static final int COMPUTE_MS = 4;
    private static final int COMM_MS = 5;
    private static final int WAIT_MS = 6;
    private static final int INPUT_MS = 7;

    private final int capacity;
    /** A circular list of chunks, oldest first; the last one is {@link #current}. */
    private final long[][] chunks;
    private int first;
    private int count;
    private long[] current;
    private int fill;
    private long lastStep = -1;

    WorkerWindow(int capacity) {
        this.capacity = capacity;
        // Chunks are dropped only when a new one starts, so up to two chunks beyond the window are held.
        this.chunks = new long[capacity / CHUNK + 3][];
        startChunk();
    }

    private void startChunk() {
        current = new long[CHUNK * SLOT];
        chunks[(first + count) % chunks.length] = current;
        count++;
        fill = 0;
        while (held() - CHUNK >= capacity) {
            chunks[first] = null;
            first = (first + 1) % chunks.length;
            count--;
        }
    }

    private int held() {
        return (count - 1) * CHUNK + fill;
    }

    private int size() {
        return Math.min(held(), capacity);
    }

    /** Adds a step; a replay of the worker's latest step (after a rebalance, say) is ignored. */
    boolean add(long step, long epochSecond, int nano, double stepTimeMs, double computeMs, double commMs,
                double waitMs, int batchSize, double inputMs) {
        if (step == lastStep) {
            return false;
        }
        lastStep = step;
        if (fill == CHUNK) {
            startChunk();
        }
        int at = fill * SLOT;
        long[] c = current;
        c[at + STEP] = step;
        c[at + SECONDS] = epochSecond;
        c[at + NANOS_AND_BATCH] = ((long) nano << 32) | (batchSize & 0xffffffffL);
        c[at + STEP_MS] = Double.doubleToRawLongBits(stepTimeMs);
        c[at + COMPUTE_MS] = Double.doubleToRawLongBits(computeMs);
        c[at + COMM_MS] = Double.doubleToRawLongBits(commMs);
        c[at + WAIT_MS] = Double.doubleToRawLongBits(waitMs);
        c[at + INPUT_MS] = Double.doubleToRawLongBits(inputMs);
        fill++;
        return true;
    }

    /** Oldest first; immutable and independent of later steps. */
    List<StepPoint> points() {
        long[][] frozen = new long[count][];
        for (int i = 0; i < count - 1; i++) {
            frozen[i] = chunks[(first + i) % chunks.length];
        }
        frozen[count - 1] = Arrays.copyOf(current, fill * SLOT);
        int size = size();
        return new Points(frozen, held() - size, size);
    }

    /** Mean step time of the newest {@code n} steps, or NaN when empty. */
    double meanStepMs(int n) {
        int k = Math.min(n, size());
        if (k == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = held() - k, end = held(); i < end; i++) {
            long[] c = chunks[(first + i / CHUNK) % chunks.length];
            sum += Double.longBitsToDouble(c[i % CHUNK * SLOT + STEP_MS]);
        }
        return sum / k;
    }

    /** A window's points as of a snapshot, oldest first; makes each {@link StepPoint} when asked for it. */
    private static final class Points extends AbstractList<StepPoint> implements RandomAccess {
        private final long[][] chunks;
        private final int offset;
        private final int size;

        Points(long[][] chunks, int offset, int size) {
            this.chunks = chunks;
            this.offset = offset;
            this.size = size;
        }

        @Override
        public StepPoint get(int i) {
            Objects.checkIndex(i, size);
            int index = offset + i;
            long[] c = chunks[index / CHUNK];
            int at = index % CHUNK * SLOT;
            long nanosAndBatch = c[at + NANOS_AND_BATCH];
            return new StepPoint(c[at + STEP], Instant.ofEpochSecond(c[at + SECONDS], nanosAndBatch >>> 32),
                    Double.longBitsToDouble(c[at + STEP_MS]), Double.longBitsToDouble(c[at + COMPUTE_MS]),
                    Double.longBitsToDouble(c[at + COMM_MS]), Double.longBitsToDouble(c[at + WAIT_MS]),
                    (int) nanosAndBatch, Double.longBitsToDouble(c[at + INPUT_MS]));
        }

        @Override
        public int size() {
            return size;
        }
    }
}
