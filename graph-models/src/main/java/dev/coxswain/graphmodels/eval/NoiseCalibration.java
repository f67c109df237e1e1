package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.window.JobWindow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Sets the detector's noise multiplier {@link DetectorConfig#noiseZ()} from the CoV data of 100 production jobs and
 * reports the false-alarm rate it gives. The healthy jobs ({@link CovData.CovJob#healthy()}), in id order, are split
 * alternately into a calibration half and a held-out half. Each job is replayed ({@link CovReplay}) as ten workers
 * with its real per-iteration spread and no straggler, so every flagged worker-sample is a false alarm. The chosen
 * z is the smallest on the grid whose false-alarm rate on the calibration half is at most the target (found by
 * bisection: a larger z only raises the threshold, so the rate cannot grow with it; the largest z when none
 * meets the target); the rate is
 * then reported on the held-out half, and, as a stress figure, on the unhealthy jobs' replays (whose bursts of large
 * spread hit random workers). Cost: one detector replay per job and bisection step.
 */
public final class NoiseCalibration {

    private final DetectorConfig base;
    private final double[] zGrid;
    private final double targetRate;
    private final long seed;

    public NoiseCalibration(DetectorConfig base, double[] zGrid, double targetRate, long seed) {
        if (zGrid.length == 0 || !(targetRate > 0 && targetRate < 1)) {
            throw new IllegalArgumentException("a non-empty grid and a target rate in (0, 1) are required");
        }
        this.base = base;
        this.zGrid = zGrid.clone();
        Arrays.sort(this.zGrid);
        this.targetRate = targetRate;
        this.seed = seed;
    }

    /** One grid point. */
    public record Point(double z, double calibrationRate) {
    }

    /** The chosen z and the false-alarm rates (flagged worker-samples over all worker-samples). */
    public record Result(double z, double targetRate, List<Point> curve, double calibrationRate, double heldOutRate,
                         double unhealthyRate, int calibrationJobs, int heldOutJobs, int unhealthyJobs,
                         long heldOutSamples) {
        public Result {
            curve = List.copyOf(curve);
        }
    }

    /** The false-alarm rates at a given z (no search): what {@code models eval} reports for a saved model. */
    public Result at(List<CovData.CovJob> jobs, double z) {
        Split split = split(jobs);
        double calibrationRate = rate(split.calibration, z)[0];
        double[] held = rate(split.heldOut, z);
        return new Result(z, targetRate, List.of(new Point(z, calibrationRate)), calibrationRate, held[0],
                rate(split.unhealthy, z)[0], split.calibration.size(), split.heldOut.size(), split.unhealthy.size(),
                (long) held[1]);
    }

    private record Split(List<JobWindow> calibration, List<JobWindow> heldOut, List<JobWindow> unhealthy) {
    }

    private Split split(List<CovData.CovJob> jobs) {
        List<CovData.CovJob> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparing(CovData.CovJob::id));
        List<JobWindow> calibration = new ArrayList<>();
        List<JobWindow> heldOut = new ArrayList<>();
        List<JobWindow> unhealthy = new ArrayList<>();
        CovReplay replay = new CovReplay(10);
        int healthyIndex = 0;
        for (int i = 0; i < sorted.size(); i++) {
            CovData.CovJob job = sorted.get(i);
            JobWindow w = replay.replay(job, new Random(seed * 1_000_003L + i));
            if (!job.healthy()) {
                unhealthy.add(w);
            } else if (healthyIndex++ % 2 == 0) {
                calibration.add(w);
            } else {
                heldOut.add(w);
            }
        }
        return new Split(calibration, heldOut, unhealthy);
    }

    public Result run(List<CovData.CovJob> jobs) {
        Split split = split(jobs);
        List<JobWindow> calibration = split.calibration;
        List<Point> curve = new ArrayList<>();
        int lo = 0;
        int hi = zGrid.length - 1;
        double hiRate = evaluate(calibration, hi, curve);
        if (hiRate <= targetRate) {
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (evaluate(calibration, mid, curve) <= targetRate) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
        }
        double chosen = zGrid[hi];
        curve.sort(Comparator.comparingDouble(Point::z));
        double calibrationRate = curve.stream().filter(p -> p.z() == chosen).findFirst().orElseThrow()
                .calibrationRate();
        double[] held = rate(split.heldOut, chosen);
        return new Result(chosen, targetRate, curve, calibrationRate, held[0], rate(split.unhealthy, chosen)[0],
                calibration.size(), split.heldOut.size(), split.unhealthy.size(), (long) held[1]);
    }

    private double evaluate(List<JobWindow> calibration, int index, List<Point> curve) {
        double rate = rate(calibration, zGrid[index])[0];
        curve.add(new Point(zGrid[index], rate));
        return rate;
    }

    /** {false-alarm rate, worker-samples}. */
    private double[] rate(List<JobWindow> windows, double z) {
        DetectorConfig config = base.withNoiseZ(z);
        long flagged = 0;
        long samples = 0;
        for (JobWindow w : windows) {
            flagged += DetectorRun.flags(w, config, CauseAttributor.unattributed()).size();
            samples += w.workers().stream().mapToLong(x -> x.samples().size()).sum();
        }
        return new double[]{samples == 0 ? Double.NaN : (double) flagged / samples, samples};
    }
}
