package dev.coxswain.collector.state;

import dev.coxswain.collector.snapshot.StepPoint;

import java.util.ArrayList;
import java.util.List;

/** The most recent steps of one worker in a fixed-size ring. Not thread-safe; owned by the collector thread. */
final class WorkerWindow {
    private final StepPoint[] ring;
    private int next;
    private int size;
    private long lastStep = -1;

    WorkerWindow(int capacity) {
        this.ring = new StepPoint[capacity];
    }

    /** Adds a step; a replay of the worker's latest step (after a rebalance, say) is ignored. */
    boolean add(StepPoint p) {
        if (p.step() == lastStep) {
            return false;
        }
        lastStep = p.step();
        ring[next] = p;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        return true;
    }

    /** Oldest first. */
    List<StepPoint> points() {
        List<StepPoint> out = new ArrayList<>(size);
        int start = (next - size + ring.length) % ring.length;
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }

    /** Mean step time of the newest {@code n} steps, or NaN when empty. */
    double meanStepMs(int n) {
        int k = Math.min(n, size);
        if (k == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += ring[(next - i + ring.length) % ring.length].stepTimeMs();
        }
        return sum / k;
    }
}
