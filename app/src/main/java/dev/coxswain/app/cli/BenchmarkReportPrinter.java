package dev.coxswain.app.cli;

import dev.coxswain.graphmodels.bench.StragglerBenchmark;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.eval.CauseEvaluation;
import dev.coxswain.graphmodels.eval.DetectionScores;
import dev.coxswain.graphmodels.eval.NoiseCalibration;
import dev.coxswain.graphmodels.eval.SpikeInjection;
import dev.coxswain.graphmodels.model.Provenance;
import dev.coxswain.graphmodels.model.StragglerModels;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Prints the straggler benchmark: the tables, then exactly one RESULT line. */
final class BenchmarkReportPrinter {

    private static final List<Cause> CAUSES = List.of(Cause.GPU_COMPUTE, Cause.HOST_CONTENTION, Cause.NETWORK,
            Cause.IMBALANCE);

    private final PrintStream out;

    BenchmarkReportPrinter(PrintStream out) {
        this.out = out;
    }

    void print(Path modelFile, StragglerModels models, StragglerBenchmark.Report r) {
        Provenance p = models.provenance();
        f("model %s: code %s, data %s..., seed %d, %d rows, noiseZ %.1f%n", modelFile, p.codeVersion(),
                p.dataHash().substring(0, 16), p.seed(), p.trainingRows(), models.detectorConfig().noiseZ());
        detection(r);
        falseAlarms(r.falseAlarms());
        causes(r);
        recorded(r.recorded());
        f("%nDetector speed: %.0f worker-samples/s (%d worker-samples of the CoV replays in %.1f s, one thread)%n",
                r.detectorSamplesPerSecond(), r.detectorSamples(), r.detectorTime().toMillis() / 1000.0);
        result(r);
    }

    private void detection(StragglerBenchmark.Report r) {
        f("%nDetection on real PAI jobs. Label: a worker is a straggler while its rolling level (median of 9 samples"
                + " centred on the step) is >= 1.10 x the job's fast-group level.%n");
        String detector = String.format(Locale.ROOT, "detector (online, deciding %d samples late)", r.decisionDelay());
        f("%-10s %7s | %-58s | %-40s%n", "", "", detector, "baseline: >1.1 x peer median, 3 in a row");
        f("%-10s %7s | %6s %6s %6s %7s %7s %9s %5s %5s | %6s %6s %6s %5s %5s%n", "data set", "samples", "prec",
                "recall", "f1", "b.prec", "b.rec", "episodes", "lat", "spike", "prec", "recall", "f1", "lat",
                "spike");
        for (StragglerBenchmark.PaiResult p : r.pai()) {
            row(p.name(), p.samples(), p.detector(), p.baseline(), p.detectorSpikes(), p.baselineSpikes());
        }
        int samples = r.pai().stream().mapToInt(StragglerBenchmark.PaiResult::samples).sum();
        row("pooled", samples, r.pooled(), r.pooledBaseline(), r.spikes(), r.baselineSpikes());
        for (StragglerBenchmark.PaiResult p : r.pai()) {
            f("  %s: ambiguity band +-%.4f around 1.10; %d duplicate rows dropped; alarms %d, false alarms %d"
                            + " (baseline %d, %d)%n", p.name(), p.band(), p.duplicatesDropped(), p.detector().alarms(),
                    p.detector().falseAlarms(), p.baseline().alarms(), p.baseline().falseAlarms());
        }
        f("  b.prec/b.rec: leaving out samples whose oracle ratio is inside the ambiguity band (2 standard errors).%n"
                + "  episodes: detected/all; lat: median samples from onset to the decision of the first flag; spike:"
                + " spikes that alarmed"
                + " their worker / injected (collateral flags on other workers: %d detector, %d baseline)%n",
                r.spikes().collateral(), r.baselineSpikes().collateral());
        f("%nThe same detector deciding at once (a trailing window of 5 samples, no decision delay):%n");
        f("%-10s %7s | %6s %6s %6s %7s %7s %9s %5s %5s%n", "data set", "samples", "prec", "recall", "f1", "b.prec",
                "b.rec", "episodes", "lat", "spike");
        for (StragglerBenchmark.PaiResult p : r.pai()) {
            immediateRow(p.name(), p.samples(), p.immediate(), p.immediateSpikes());
        }
        immediateRow("pooled", samples, r.pooledImmediate(), r.immediateSpikes());
        f("  false alarms %d of %d alarms; spikes' collateral flags on other workers: %d%n",
                r.pooledImmediate().falseAlarms(), r.pooledImmediate().alarms(), r.immediateSpikes().collateral());
        NoiseCalibration.Result fa = r.immediateFalseAlarms();
        f("  CoV replays at noiseZ %.1f: %.5f of the held-out healthy worker-samples flagged, %.5f of the calibration"
                + " ones; unhealthy jobs, stress: %.5f%n", fa.z(), fa.heldOutRate(), fa.calibrationRate(),
                fa.unhealthyRate());
    }

    private void immediateRow(String name, int samples, DetectionScores d, SpikeInjection.Result ds) {
        f("%-10s %7d | %6.3f %6.3f %6.3f %7.3f %7.3f %4d/%-4d %5.1f %2d/%-3d%n", name, samples, d.precision(),
                d.recall(), d.f1(), d.bandedPrecision(), d.bandedRecall(), d.latencies().size(), d.episodes(),
                d.medianLatency(), ds.alarms(), ds.spikes());
    }

    private void row(String name, int samples, DetectionScores d, DetectionScores b, SpikeInjection.Result ds,
                     SpikeInjection.Result bs) {
        f("%-10s %7d | %6.3f %6.3f %6.3f %7.3f %7.3f %4d/%-4d %5.1f %2d/%-3d | %6.3f %6.3f %6.3f %5.1f %2d/%-3d%n",
                name, samples, d.precision(), d.recall(), d.f1(), d.bandedPrecision(), d.bandedRecall(),
                d.latencies().size(), d.episodes(), d.medianLatency(), ds.alarms(), ds.spikes(), b.precision(),
                b.recall(), b.f1(), b.medianLatency(), bs.alarms(), bs.spikes());
    }

    private void falseAlarms(NoiseCalibration.Result fa) {
        f("%nFalse alarms on CoV replays (100 real jobs' per-iteration spread, no straggler; noiseZ %.1f):%n", fa.z());
        f("  held-out healthy jobs: %.5f of %d worker-samples (%d jobs)%n", fa.heldOutRate(), fa.heldOutSamples(),
                fa.heldOutJobs());
        f("  calibration healthy jobs: %.5f (%d jobs); unhealthy jobs, stress: %.5f (%d jobs)%n",
                fa.calibrationRate(), fa.calibrationJobs(), fa.unhealthyRate(), fa.unhealthyJobs());
    }

    private void causes(StragglerBenchmark.Report r) {
        CauseEvaluation.Result m = r.modelCauses();
        CauseEvaluation.Result rules = r.ruleCauses();
        f("%nCauses on held-out SYNTHETIC jobs (%d jobs, seed %d), over confirmed stragglers with a true cause:%n",
                r.testJobs(), r.testSeed());
        causeTable(m, rules);
        f("  detection on these jobs: precision %.3f, recall %.3f (truth: any injected cause)%n", m.precision(),
                m.detectionRecall());
        slowdown(r.slowdown());
        CauseEvaluation.ModelStraggler ms = r.modelStraggler();
        f("  classifier's own straggler verdict on candidates: precision %.3f, recall %.3f%n", ms.precision(),
                ms.recall());
        CauseEvaluation.Result bare = r.telemetryOnlyModelCauses();
        CauseEvaluation.Result bareRules = r.telemetryOnlyRuleCauses();
        f("%nCauses from telemetry and the neighbourhood alone: the same jobs reporting step times without the"
                + " compute / communication / input split (confounders in place: spurious throttle flags, busy CPUs"
                + " and loaded links on healthy hosts):%n");
        causeTable(bare, bareRules);
        f("  %-16s %8.3f %8.3f   (%d confirmed episodes; an episode's cause is the one named most over its"
                + " confirmed steps)%n", "episodes", bare.episodeAccuracy(), bareRules.episodeAccuracy(),
                bare.episodes());
    }

    private void recorded(List<StragglerBenchmark.RecordedResult> recorded) {
        for (StragglerBenchmark.RecordedResult x : recorded) {
            CauseEvaluation.Result m = x.modelCauses();
            CauseEvaluation.Result rules = x.ruleCauses();
            f("%nCauses on a held-out recording of the reference trainer's injections (REAL telemetry, %s), over"
                    + " confirmed stragglers with a true cause:%n", x.name());
            causeTable(m, rules);
            f("  detection: precision %.3f, recall %.3f (truth: the injection in force)%n", m.precision(),
                    m.detectionRecall());
            slowdown(x.slowdown());
            f("  the same recording with its step split taken out (telemetry and neighbourhood alone):%n");
            causeTable(x.telemetryOnlyModelCauses(), x.telemetryOnlyRuleCauses());
            f("  %-16s %8.3f %8.3f   (%d confirmed episodes)%n", "episodes",
                    x.telemetryOnlyModelCauses().episodeAccuracy(), x.telemetryOnlyRuleCauses().episodeAccuracy(),
                    x.telemetryOnlyModelCauses().episodes());
        }
    }

    /** Recall per true cause and accuracy, of the learned causes and of the rules. */
    private void causeTable(CauseEvaluation.Result m, CauseEvaluation.Result rules) {
        f("  %-16s %8s %8s%n", "true cause", "xgboost", "rules");
        for (Cause c : CAUSES) {
            f("  %-16s %8.3f %8.3f%n", c.label(), m.recall(c), rules.recall(c));
        }
        f("  %-16s %8.3f %8.3f   (%d straggler samples)%n", "accuracy", m.accuracy(), rules.accuracy(),
                m.attributed());
    }

    private void slowdown(CauseEvaluation.SlowdownError s) {
        f("  slowdown regressor MAE %.4f vs measured ratio %.4f (%d candidate rows)%n", s.modelMae(), s.naiveMae(),
                s.rows());
    }

    /** Accuracy pooled over the recordings: NaN when there are none. */
    private static double pooledAccuracy(List<StragglerBenchmark.RecordedResult> recorded,
                                         Function<StragglerBenchmark.RecordedResult, CauseEvaluation.Result> which) {
        long correct = recorded.stream().mapToLong(x -> which.apply(x).correct()).sum();
        long attributed = recorded.stream().mapToLong(x -> which.apply(x).attributed()).sum();
        return attributed == 0 ? Double.NaN : (double) correct / attributed;
    }

    private void result(StragglerBenchmark.Report r) {
        DetectionScores d = r.pooled();
        DetectionScores b = r.pooledBaseline();
        f("RESULT precision=%.4f recall=%.4f f1=%.4f median_latency_samples=%.1f cause_accuracy=%.4f"
                        + " baseline_precision=%.4f baseline_recall=%.4f false_alarm_rate=%.5f banded_precision=%.4f"
                        + " banded_recall=%.4f episode_recall=%.4f spike_alarms=%d spikes=%d rule_cause_accuracy=%.4f"
                        + " slowdown_mae=%.4f naive_slowdown_mae=%.4f unhealthy_false_alarm_rate=%.5f noise_z=%.1f"
                        + " detector_samples_per_s=%.0f recorded_cause_accuracy=%.4f"
                        + " recorded_rule_cause_accuracy=%.4f decision_delay=%d immediate_precision=%.4f"
                        + " immediate_recall=%.4f immediate_median_latency_samples=%.1f immediate_spike_alarms=%d"
                        + " immediate_false_alarm_rate=%.5f cause_telemetry_only_acc=%.4f"
                        + " rule_cause_telemetry_only_acc=%.4f recorded_cause_telemetry_only_acc=%.4f%n",
                d.precision(), d.recall(), d.f1(), d.medianLatency(), r.modelCauses().accuracy(), b.precision(),
                b.recall(), r.falseAlarms().heldOutRate(), d.bandedPrecision(), d.bandedRecall(), d.episodeRecall(),
                r.spikes().alarms(), r.spikes().spikes(), r.ruleCauses().accuracy(), r.slowdown().modelMae(),
                r.slowdown().naiveMae(), r.falseAlarms().unhealthyRate(), r.falseAlarms().z(),
                r.detectorSamplesPerSecond(),
                pooledAccuracy(r.recorded(), StragglerBenchmark.RecordedResult::modelCauses),
                pooledAccuracy(r.recorded(), StragglerBenchmark.RecordedResult::ruleCauses),
                r.decisionDelay(), r.pooledImmediate().precision(), r.pooledImmediate().recall(),
                r.pooledImmediate().medianLatency(), r.immediateSpikes().alarms(),
                r.immediateFalseAlarms().heldOutRate(), r.telemetryOnlyModelCauses().episodeAccuracy(),
                r.telemetryOnlyRuleCauses().episodeAccuracy(),
                pooledAccuracy(r.recorded(), StragglerBenchmark.RecordedResult::telemetryOnlyModelCauses));
    }

    private void f(String format, Object... args) {
        out.print(String.format(Locale.ROOT, format, args));
    }
}
