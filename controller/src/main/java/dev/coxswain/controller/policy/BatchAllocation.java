package dev.coxswain.controller.policy;

/**
 * Splits a global batch over workers in proportion to their speeds, each within its own [low, high], the parts
 * summing to the total exactly: water-filling (workers whose proportional share falls outside their range are fixed
 * at the edge and the rest is shared again among the others), then largest-remainder rounding. O(n^2) for n
 * workers.
 */
final class BatchAllocation {
    private BatchAllocation() {
    }

    /**
     * @return the integer batches, or null when the ranges cannot hold the total
     */
    static int[] split(int total, double[] speed, int[] low, int[] high) {
        int n = speed.length;
        long lowSum = 0;
        long highSum = 0;
        for (int i = 0; i < n; i++) {
            lowSum += low[i];
            highSum += high[i];
        }
        if (total < lowSum || total > highSum) {
            return null;
        }
        double[] share = new double[n];
        boolean[] fixed = new boolean[n];
        for (int round = 0; round <= n; round++) {
            double left = total;
            double weight = 0;
            for (int i = 0; i < n; i++) {
                if (fixed[i]) {
                    left -= share[i];
                } else {
                    weight += speed[i];
                }
            }
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (!fixed[i]) {
                    share[i] = weight > 0 ? left * speed[i] / weight : 0;
                }
            }
            for (int i = 0; i < n; i++) {
                if (!fixed[i] && (share[i] < low[i] || share[i] > high[i])) {
                    share[i] = share[i] < low[i] ? low[i] : high[i];
                    fixed[i] = true;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        int[] out = new int[n];
        int assigned = 0;
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.floor(share[i]);
            assigned += out[i];
        }
        while (assigned < total) {
            int pick = -1;
            for (int i = 0; i < n; i++) {
                if (out[i] < high[i] && (pick < 0 || share[i] - out[i] > share[pick] - out[pick])) {
                    pick = i;
                }
            }
            out[pick]++;
            assigned++;
        }
        return out;
    }
}
