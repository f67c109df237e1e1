package dev.coxswain.graphmodels.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scores a set of flagged worker-steps against {@link OracleLabels}; see {@link DetectionScores}. */
public final class DetectionScorer {

    private DetectionScorer() {
    }

    public static DetectionScores score(OracleLabels labels, Set<WorkerStep> flagged) {
        return score(labels, flagged, 0);
    }

    /**
     * @param decisionDelay samples after a step that its flag is decided (see {@code DetectorConfig}); added to
     *                      every latency, which counts samples from an episode's onset to the decision of its first
     *                      flag
     */
    public static DetectionScores score(OracleLabels labels, Set<WorkerStep> flagged, int decisionDelay) {
        long tp = 0, fp = 0, fn = 0, btp = 0, bfp = 0, bfn = 0;
        int episodes = 0, alarms = 0, falseAlarms = 0;
        List<Integer> latencies = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : labels.steps().entrySet()) {
            List<Long> steps = e.getValue();
            int n = steps.size();
            boolean[] label = new boolean[n];
            boolean[] flag = new boolean[n];
            for (int i = 0; i < n; i++) {
                WorkerStep ws = new WorkerStep(e.getKey(), steps.get(i));
                label[i] = labels.label(ws);
                flag[i] = flagged.contains(ws);
                boolean ambiguous = Math.abs(labels.ratio(ws) - labels.threshold()) < labels.band();
                tp += label[i] && flag[i] ? 1 : 0;
                fp += !label[i] && flag[i] ? 1 : 0;
                fn += label[i] && !flag[i] ? 1 : 0;
                if (!ambiguous) {
                    btp += label[i] && flag[i] ? 1 : 0;
                    bfp += !label[i] && flag[i] ? 1 : 0;
                    bfn += label[i] && !flag[i] ? 1 : 0;
                }
            }
            for (int[] run : runs(label)) {
                episodes++;
                for (int i = run[0]; i < run[1]; i++) {
                    if (flag[i]) {
                        latencies.add(i - run[0] + decisionDelay);
                        break;
                    }
                }
            }
            for (int[] run : runs(flag)) {
                alarms++;
                boolean overlaps = false;
                for (int i = run[0]; i < run[1] && !overlaps; i++) {
                    overlaps = label[i];
                }
                falseAlarms += overlaps ? 0 : 1;
            }
        }
        return new DetectionScores(tp, fp, fn, btp, bfp, bfn, episodes, latencies, alarms, falseAlarms);
    }

    /** Maximal runs of true values as [start, end) pairs. */
    static List<int[]> runs(boolean[] values) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < values.length) {
            if (values[i]) {
                int j = i;
                while (j < values.length && values[j]) {
                    j++;
                }
                out.add(new int[]{i, j});
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }
}
