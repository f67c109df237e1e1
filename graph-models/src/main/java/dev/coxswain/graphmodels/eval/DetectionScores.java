package dev.coxswain.graphmodels.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Detection quality against oracle labels. Sample level: each worker-step is a positive (labelled straggler) or
 * not, and flagged or not. "Banded": the same, leaving out the samples whose oracle ratio lies within the
 * ambiguity band around the threshold. Episode level: an episode is a maximal run of labelled samples of one
 * worker; it is detected when some sample in it is flagged, with latency = samples from its onset to the first
 * flagged sample in it. An alarm is a maximal run of flagged samples; it is false when it overlaps no episode.
 *
 * @param latencies detection latency of each detected episode, in samples
 */
public record DetectionScores(long tp, long fp, long fn, long bandedTp, long bandedFp, long bandedFn,
                              int episodes, List<Integer> latencies, int alarms, int falseAlarms) {

    public DetectionScores {
        latencies = List.copyOf(latencies);
    }

    public static DetectionScores zero() {
        return new DetectionScores(0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0);
    }

    /** Pooled counts of two data sets. */
    public DetectionScores plus(DetectionScores o) {
        List<Integer> l = new ArrayList<>(latencies);
        l.addAll(o.latencies);
        return new DetectionScores(tp + o.tp, fp + o.fp, fn + o.fn, bandedTp + o.bandedTp, bandedFp + o.bandedFp,
                bandedFn + o.bandedFn, episodes + o.episodes, l, alarms + o.alarms, falseAlarms + o.falseAlarms);
    }

    public double precision() {
        return ratio(tp, tp + fp);
    }

    public double recall() {
        return ratio(tp, tp + fn);
    }

    public double f1() {
        return f1(precision(), recall());
    }

    public double bandedPrecision() {
        return ratio(bandedTp, bandedTp + bandedFp);
    }

    public double bandedRecall() {
        return ratio(bandedTp, bandedTp + bandedFn);
    }

    /** Detected episodes over all episodes. */
    public double episodeRecall() {
        return ratio(latencies.size(), episodes);
    }

    /** Alarms that overlap an episode, over all alarms. */
    public double alarmPrecision() {
        return ratio(alarms - falseAlarms, alarms);
    }

    /** The median latency of detected episodes in samples, NaN when none was detected. */
    public double medianLatency() {
        if (latencies.isEmpty()) {
            return Double.NaN;
        }
        List<Integer> sorted = latencies.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    static double f1(double p, double r) {
        return (p + r) == 0 || Double.isNaN(p) || Double.isNaN(r) ? Double.NaN : 2 * p * r / (p + r);
    }
}
