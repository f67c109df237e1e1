package dev.coxswain.trainer.coord;

import java.util.Arrays;

/**
 * Each worker's local batch; the global batch is their sum. Immutable. Uneven plans balance a slow worker: give it a
 * smaller share and the others more, keeping the sum (and so the optimisation) the same.
 */
public record BatchPlan(int[] local) {
    /** The largest local batch a worker may be given. */
    public static final int MAX_LOCAL = 8192;

    public BatchPlan {
        if (local.length < 1) {
            throw new IllegalArgumentException("BatchPlan: no workers");
        }
        for (int i = 0; i < local.length; i++) {
            if (local[i] < 1 || local[i] > MAX_LOCAL) {
                throw new IllegalArgumentException("BatchPlan: worker " + i + " batch " + local[i]
                        + " is outside [1, " + MAX_LOCAL + "]");
            }
        }
        local = local.clone();
    }

    public static BatchPlan even(int workers, int perWorker) {
        int[] b = new int[workers];
        Arrays.fill(b, perWorker);
        return new BatchPlan(b);
    }

    public int workers() {
        return local.length;
    }

    public int local(int worker) {
        return local[worker];
    }

    public int global() {
        return Arrays.stream(local).sum();
    }

    /** The worker's share of the global batch: the weight of its gradient in the sum. */
    public float weight(int worker) {
        return local[worker] / (float) global();
    }

    public BatchPlan withLocal(int worker, int batch) {
        int[] b = local.clone();
        b[worker] = batch;
        return new BatchPlan(b);
    }

    /**
     * The plan scaled to global batch {@code target}, keeping each worker's share (largest-remainder rounding, each
     * worker at least 1).
     */
    public BatchPlan rescaledTo(int target) {
        if (target < local.length || target > MAX_LOCAL * local.length) {
            throw new IllegalArgumentException("global batch " + target + " is outside [" + local.length + ", "
                    + MAX_LOCAL * local.length + "] for " + local.length + " workers");
        }
        int n = local.length;
        double total = global();
        int[] b = new int[n];
        double[] remainder = new double[n];
        int assigned = 0;
        for (int i = 0; i < n; i++) {
            double exact = target * local[i] / total;
            b[i] = Math.max(1, (int) Math.floor(exact));
            remainder[i] = exact - Math.floor(exact);
            assigned += b[i];
        }
        while (assigned != target) {
            int pick = -1;
            for (int i = 0; i < n; i++) {
                boolean eligible = assigned < target || b[i] > 1;
                if (eligible && (pick < 0 || (assigned < target ? remainder[i] > remainder[pick]
                        : remainder[i] < remainder[pick]))) {
                    pick = i;
                }
            }
            b[pick] += assigned < target ? 1 : -1;
            remainder[pick] += assigned < target ? -1 : 1;
            assigned += assigned < target ? 1 : -1;
        }
        return new BatchPlan(b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatchPlan p && Arrays.equals(local, p.local);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(local);
    }

    @Override
    public String toString() {
        return Arrays.toString(local);
    }
}
