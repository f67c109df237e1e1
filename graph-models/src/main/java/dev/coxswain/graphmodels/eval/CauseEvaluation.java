package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobTracker;
import dev.coxswain.graphmodels.detect.TickAssessment;
import dev.coxswain.graphmodels.detect.Ticks;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.model.StragglerModels;
import dev.coxswain.graphmodels.model.TrainingRow;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.Truth;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cause attribution and detection on labelled (synthetic) jobs. The detector runs with the given attributor; every
 * worker-step it confirms as a straggler whose truth is a real cause is scored: cause accuracy is the share whose
 * attributed cause is the true one. Detection counts compare the detector's flags with the truth (not NONE).
 */
public final class CauseEvaluation {

    private CauseEvaluation() {
    }

    /**
     * Confusion of true cause (rows) by attributed cause, and the detection counts on the same jobs.
     *
     * @param episodes        true straggler episodes (a worker's run of steps with one true cause) that the detector
     *                        confirmed at least once
     * @param episodesCorrect those whose cause named most often over their confirmed steps is the true one
     */
    public record Result(Map<Cause, Map<Cause, Integer>> confusion, long tp, long fp, long fn, long episodes,
                         long episodesCorrect) {
        public Result {
            Map<Cause, Map<Cause, Integer>> copy = new EnumMap<>(Cause.class);
            confusion.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            confusion = Map.copyOf(copy);
        }

        public long attributed() {
            return confusion.values().stream().flatMap(m -> m.values().stream()).mapToLong(Integer::longValue).sum();
        }

        public long correct() {
            return confusion.entrySet().stream()
                    .mapToLong(e -> e.getValue().getOrDefault(e.getKey(), 0)).sum();
        }

        public double accuracy() {
            return attributed() == 0 ? Double.NaN : (double) correct() / attributed();
        }

        /** Recall of one true cause: the share of its straggler samples attributed to it. */
        public double recall(Cause cause) {
            Map<Cause, Integer> row = confusion.getOrDefault(cause, Map.of());
            int total = row.values().stream().mapToInt(Integer::intValue).sum();
            return total == 0 ? Double.NaN : (double) row.getOrDefault(cause, 0) / total;
        }

        public double precision() {
            return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        }

        /** Share of the confirmed episodes whose most named cause is the true one; NaN without episodes. */
        public double episodeAccuracy() {
            return episodes == 0 ? Double.NaN : (double) episodesCorrect / episodes;
        }

        public double detectionRecall() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }
    }

    public static Result run(List<LabelledJob> jobs, DetectorConfig config, CauseAttributor attributor) {
        Map<Cause, Map<Cause, Integer>> confusion = new EnumMap<>(Cause.class);
        long tp = 0, fp = 0, fn = 0;
        Episodes episodes = new Episodes();
        for (LabelledJob job : jobs) {
            JobTracker tracker = new JobTracker(job.window().jobId(), config, attributor, false);
            for (TickAssessment tick : Ticks.replay(job.window(), tracker).values()) {
                for (WorkerVerdict v : tick.verdicts()) {
                    Truth t = job.truthAt(v.workerId(), v.step());
                    boolean slow = t.cause() != Cause.NONE;
                    tp += slow && v.straggler() ? 1 : 0;
                    fp += !slow && v.straggler() ? 1 : 0;
                    fn += slow && !v.straggler() ? 1 : 0;
                    episodes.see(job.window().jobId() + "/" + v.workerId(), t.cause(),
                            slow && v.straggler() ? v.cause() : null);
                    if (slow && v.straggler()) {
                        confusion.computeIfAbsent(t.cause(), k -> new EnumMap<>(Cause.class))
                                .merge(v.cause(), 1, Integer::sum);
                    }
                }
            }
        }
        episodes.closeAll();
        return new Result(confusion, tp, fp, fn, episodes.confirmed, episodes.correct);
    }

    /** Each worker's runs of steps with one true cause, and the causes named over each run's confirmed steps. */
    private static final class Episodes {
        private record Run(Cause truth, Map<Cause, Integer> named) {
        }

        private final Map<String, Run> open = new HashMap<>();
        private long confirmed;
        private long correct;

        /** A worker's step in order: its true cause, and the cause named when it was confirmed (else null). */
        void see(String worker, Cause truth, Cause named) {
            Run run = open.get(worker);
            if (run != null && run.truth() != truth) {
                close(open.remove(worker));
                run = null;
            }
            if (truth == Cause.NONE) {
                return;
            }
            if (run == null) {
                run = new Run(truth, new EnumMap<>(Cause.class));
                open.put(worker, run);
            }
            if (named != null) {
                run.named().merge(named, 1, Integer::sum);
            }
        }

        void closeAll() {
            open.values().forEach(this::close);
            open.clear();
        }

        private void close(Run run) {
            if (run.named().isEmpty()) {
                return;
            }
            confirmed++;
            Cause most = run.named().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            correct += most == run.truth() ? 1 : 0;
        }
    }

    /** The slowdown regressor's and the naive estimate's (the measured ratio) mean absolute error. */
    public record SlowdownError(double modelMae, double naiveMae, int rows) {
    }

    public static SlowdownError slowdown(List<TrainingRow> rows, StragglerModels models) {
        double model = 0;
        double naive = 0;
        for (TrainingRow r : rows) {
            model += Math.abs(models.expectedSlowdown(r.features()) - r.slowdown());
            naive += Math.abs(r.features().get(Feature.STEP_RATIO) - r.slowdown());
        }
        return new SlowdownError(model / rows.size(), naive / rows.size(), rows.size());
    }

    /** The classifier's own straggler verdict (its most probable class is not NONE) on candidate rows. */
    public record ModelStraggler(long tp, long fp, long fn, long tn) {
        public double precision() {
            return tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
        }

        public double recall() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }
    }

    public static ModelStraggler modelStraggler(List<TrainingRow> rows, StragglerModels models) {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (TrainingRow r : rows) {
            boolean truth = r.cause() != Cause.NONE;
            boolean said = models.predictedCause(r.features()) != Cause.NONE;
            tp += truth && said ? 1 : 0;
            fp += !truth && said ? 1 : 0;
            fn += truth && !said ? 1 : 0;
            tn += !truth && !said ? 1 : 0;
        }
        return new ModelStraggler(tp, fp, fn, tn);
    }
}
