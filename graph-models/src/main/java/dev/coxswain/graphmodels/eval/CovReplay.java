package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Turns a job's per-iteration CoV series into step times of ten workers with exactly that spread at every
 * iteration (sample CoV with n - 1 in the variance, as the trace computes it) and no persistent straggler. The
 * job's typical spread, its median CoV (capped at {@link #DIFFUSE_CAP}), is diffuse noise: lognormal draws for all
 * workers. An iteration whose CoV exceeds it gets the excess as one slow worker: the largest draw is stretched
 * until the CoV matches (a CoV near 3 means one worker far slower than nine equal peers; the lognormal alone would
 * instead spread all ten over orders of magnitude). Which worker gets which draw is independent from one
 * iteration to the next, so any alarm on a replay is a false alarm; the replay keeps the real size and the real
 * bursts of each job's spread. (The CoV does not say which worker was slow, so a persistent straggler of the
 * original job becomes random single-iteration outliers here: the replay is the healthy null.)
 */
public final class CovReplay {

    /** Above this the spread of an iteration is taken to be a slow worker, not diffuse noise. */
    public static final double DIFFUSE_CAP = 0.3;

    private final int workers;

    public CovReplay(int workers) {
        if (workers < 2) {
            throw new IllegalArgumentException("workers must be at least 2");
        }
        this.workers = workers;
    }

    public JobWindow replay(CovData.CovJob job, Random random) {
        List<List<WorkerSample>> samples = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            samples.add(new ArrayList<>(job.cov().length));
        }
        double[] sorted = job.cov().clone();
        Arrays.sort(sorted);
        double diffuse = sorted.length == 0 ? 0 : Math.min(DIFFUSE_CAP, sorted[sorted.length / 2]);
        double[] g = new double[workers];
        for (int t = 0; t < job.cov().length; t++) {
            for (int w = 0; w < workers; w++) {
                g[w] = random.nextGaussian();
            }
            double[] x = withCov(g, Math.min(job.cov()[t], diffuse));
            x = withOutlier(x, job.cov()[t]);
            for (int w = 0; w < workers; w++) {
                samples.get(w).add(WorkerSample.of(t, x[w]));
            }
        }
        List<WorkerSeries> ws = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            ws.add(new WorkerSeries("w" + w, WorkerLocation.unknown(), samples.get(w)));
        }
        return new JobWindow(job.id(), ws);
    }

    /** exp(s * g) with s found by bisection so that the sample CoV is {@code cov}; mean scaled to 1. */
    static double[] withCov(double[] g, double cov) {
        double maxCov = Math.sqrt(g.length) * 0.999;
        double target = Math.min(cov, maxCov);
        double lo = 0;
        double hi = 1;
        while (sampleCov(g, hi) < target && hi < 1e4) {
            hi *= 2;
        }
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (sampleCov(g, mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double s = (lo + hi) / 2;
        double[] x = new double[g.length];
        double max = 0;
        for (double v : g) {
            max = Math.max(max, v);
        }
        double mean = 0;
        for (int i = 0; i < g.length; i++) {
            x[i] = Math.exp(s * (g[i] - max));
            mean += x[i];
        }
        mean /= g.length;
        for (int i = 0; i < g.length; i++) {
            x[i] = Math.max(x[i] / mean, 1e-9);
        }
        return x;
    }

    /** Stretches the largest value until the sample CoV reaches {@code cov} (no change when it already does). */
    static double[] withOutlier(double[] x, double cov) {
        int max = 0;
        for (int i = 1; i < x.length; i++) {
            max = x[i] > x[max] ? i : max;
        }
        double target = Math.min(cov, Math.sqrt(x.length) * 0.999);
        if (cov(x) >= target) {
            return x;
        }
        double base = x[max];
        double lo = 1;
        double hi = 2;
        double[] y = x.clone();
        while (covWith(y, max, base * hi) < target && hi < 1e9) {
            hi *= 2;
        }
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (covWith(y, max, base * mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        y[max] = base * (lo + hi) / 2;
        return y;
    }

    private static double covWith(double[] y, int i, double value) {
        y[i] = value;
        return cov(y);
    }

    static double cov(double[] x) {
        double sum = 0;
        double sq = 0;
        for (double v : x) {
            sum += v;
            sq += v * v;
        }
        int n = x.length;
        double mean = sum / n;
        return Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1))) / mean;
    }

    static double sampleCov(double[] g, double s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : g) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double sq = 0;
        for (double v : g) {
            double x = Math.exp(s * (v - max));
            sum += x;
            sq += x * x;
        }
        int n = g.length;
        double mean = sum / n;
        double var = (sq - n * mean * mean) / (n - 1);
        return Math.sqrt(Math.max(0, var)) / mean;
    }
}
