package dev.coxswain.trainer.data;

import java.util.SplittableRandom;

/**
 * The job's one global stream of training samples: epoch after epoch, each a permutation of the data set drawn from
 * the job's seed and the epoch number. Position {@code g} of the stream is always the same image, whichever worker
 * reads it and however the batches are split, so that a job with uneven batches sees the same samples as one with
 * even batches, and a restarted worker continues where its predecessor stopped.
 *
 * <p>Not thread-safe (it caches the current epoch's permutation); each worker has its own.
 */
public final class SampleOrder {
    private final int size;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] permutation;

    public SampleOrder(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("SampleOrder: size " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    /** The image at stream position {@code position} (>= 0). */
    public int imageAt(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("SampleOrder: position " + position);
        }
        long epoch = position / size;
        if (epoch != cachedEpoch) {
            permutation = permutation(epoch);
            cachedEpoch = epoch;
        }
        return permutation[(int) (position % size)];
    }

    private int[] permutation(long epoch) {
        int[] p = new int[size];
        for (int i = 0; i < size; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
