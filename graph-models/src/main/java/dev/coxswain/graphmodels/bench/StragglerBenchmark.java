package dev.coxswain.graphmodels.bench;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.eval.CauseEvaluation;
import dev.coxswain.graphmodels.eval.CovData;
import dev.coxswain.graphmodels.eval.DetectionScorer;
import dev.coxswain.graphmodels.eval.DetectionScores;
import dev.coxswain.graphmodels.eval.DetectorRun;
import dev.coxswain.graphmodels.eval.NoiseCalibration;
import dev.coxswain.graphmodels.eval.OracleLabels;
import dev.coxswain.graphmodels.eval.PaiMinibatch;
import dev.coxswain.graphmodels.eval.PeerMedianBaseline;
import dev.coxswain.graphmodels.eval.SpikeInjection;
import dev.coxswain.graphmodels.io.LabelledSteps;
import dev.coxswain.graphmodels.model.StragglerModels;
import dev.coxswain.graphmodels.model.TrainingData;
import dev.coxswain.graphmodels.model.TrainingRow;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.SynthConfig;
import dev.coxswain.graphmodels.synth.SyntheticJobGenerator;
import dev.coxswain.graphmodels.window.JobWindow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * What {@code coxswain models eval} measures, in one run: detection on the real PAI jobs against the oracle labels,
 * for the detector and the peer-median baseline, with single-spike injection; the false-alarm rate on the CoV
 * replays at the model's noise multiplier; cause attribution, the slowdown regressor and the classifier's own
 * straggler verdict on held-out synthetic jobs (another seed than training); and cause attribution and the slowdown
 * regressor on held-out recordings of the reference trainer's injections (real telemetry, labelled by the trainer's
 * own injection events).
 */
public final class StragglerBenchmark {

    /** The PAI files evaluated, as (data set name, file). */
    static final List<String[]> PAI_JOBS = List.of(new String[]{"pai-job-1", "job_1_norm.csv"},
            new String[]{"pai-job-2", "job_2_norm.csv"});

    /**
     * @param paiDir   the folder with the PAI mini-batch files and the CoV data
     * @param testJobs held-out synthetic jobs
     * @param seed     seed of the held-out jobs, the spike injection and the CoV replays
     * @param recorded held-out labelled steps files recorded from the trainer's injections; may be empty
     */
    public record Request(Path paiDir, StragglerModels models, int testJobs, long seed, List<Path> recorded) {
        public Request {
            Objects.requireNonNull(paiDir, "paiDir");
            Objects.requireNonNull(models, "models");
            recorded = List.copyOf(recorded);
        }
    }

    /**
     * Causes and slowdowns on one recording of the trainer's injections; the causes again with the recording's
     * step split taken out ({@link LabelledJob#withoutBreakdown()}).
     */
    public record RecordedResult(String name, CauseEvaluation.Result modelCauses, CauseEvaluation.Result ruleCauses,
                                 CauseEvaluation.SlowdownError slowdown,
                                 CauseEvaluation.Result telemetryOnlyModelCauses,
                                 CauseEvaluation.Result telemetryOnlyRuleCauses) {
    }

    /**
     * Detection on one real data set: by the detector (with the model's settings and decision delay), by the same
     * deciding at once ({@link DetectorConfig#immediate()} with the model's noise multiplier), by the baseline.
     */
    public record PaiResult(String name, int samples, int duplicatesDropped, double band,
                            DetectionScores detector, DetectionScores immediate, DetectionScores baseline,
                            SpikeInjection.Result detectorSpikes, SpikeInjection.Result immediateSpikes,
                            SpikeInjection.Result baselineSpikes) {
    }

    /** Everything measured. */
    public record Report(List<PaiResult> pai, DetectionScores pooled, DetectionScores pooledImmediate,
                         DetectionScores pooledBaseline, SpikeInjection.Result spikes,
                         SpikeInjection.Result immediateSpikes, SpikeInjection.Result baselineSpikes,
                         NoiseCalibration.Result falseAlarms, NoiseCalibration.Result immediateFalseAlarms,
                         long detectorSamples, Duration detectorTime,
                         CauseEvaluation.Result modelCauses, CauseEvaluation.Result ruleCauses,
                         CauseEvaluation.Result telemetryOnlyModelCauses,
                         CauseEvaluation.Result telemetryOnlyRuleCauses,
                         CauseEvaluation.SlowdownError slowdown, CauseEvaluation.ModelStraggler modelStraggler,
                         int testJobs, long testSeed, List<RecordedResult> recorded, int decisionDelay) {
        public Report {
            pai = List.copyOf(pai);
            recorded = List.copyOf(recorded);
        }

        /** Worker-samples per second through the detector on the CoV replays. */
        public double detectorSamplesPerSecond() {
            return detectorSamples / Math.max(1e-9, detectorTime.toNanos() / 1e9);
        }
    }

    private final Clock clock;

    public StragglerBenchmark(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Report run(Request r) throws IOException {
        DetectorConfig config = r.models().detectorConfig();
        List<PaiResult> pai = new ArrayList<>();
        DetectionScores pooled = DetectionScores.zero();
        DetectionScores pooledImmediate = DetectionScores.zero();
        DetectionScores pooledBaseline = DetectionScores.zero();
        SpikeInjection.Result spikes = new SpikeInjection.Result(0, 0, 0);
        SpikeInjection.Result immediateSpikes = new SpikeInjection.Result(0, 0, 0);
        SpikeInjection.Result baselineSpikes = new SpikeInjection.Result(0, 0, 0);
        for (String[] job : PAI_JOBS) {
            PaiResult p = pai(r.paiDir().resolve(job[1]), job[0], config, r.seed());
            pai.add(p);
            pooled = pooled.plus(p.detector());
            pooledImmediate = pooledImmediate.plus(p.immediate());
            pooledBaseline = pooledBaseline.plus(p.baseline());
            spikes = spikes.plus(p.detectorSpikes());
            immediateSpikes = immediateSpikes.plus(p.immediateSpikes());
            baselineSpikes = baselineSpikes.plus(p.baselineSpikes());
        }
        List<CovData.CovJob> cov = CovData.read(r.paiDir().resolve("coefficient_variation.csv"));
        long faSamples = 10L * cov.stream().mapToLong(j -> j.cov().length).sum();
        Instant t0 = clock.instant();
        NoiseCalibration.Result fa = new NoiseCalibration(config, new double[]{config.noiseZ()}, 0.5, r.seed())
                .at(cov, config.noiseZ());
        Duration faTime = Duration.between(t0, clock.instant());
        DetectorConfig now = immediate(config);
        NoiseCalibration.Result immediateFa = new NoiseCalibration(now, new double[]{now.noiseZ()}, 0.5, r.seed())
                .at(cov, now.noiseZ());
        List<LabelledJob> test = new SyntheticJobGenerator(SynthConfig.standard(r.testJobs()),
                new Random(r.seed())).generate("test");
        CauseEvaluation.Result model = CauseEvaluation.run(test, config, r.models().attributor());
        CauseEvaluation.Result rules = CauseEvaluation.run(test, config, new RuleCauseAttributor());
        List<LabelledJob> bare = telemetryOnlyJobs(r.testJobs(), r.seed());
        CauseEvaluation.Result bareModel = CauseEvaluation.run(bare, config, r.models().attributor());
        CauseEvaluation.Result bareRules = CauseEvaluation.run(bare, config, new RuleCauseAttributor());
        List<TrainingRow> rows = TrainingData.standard(config).rows(test);
        List<RecordedResult> recorded = new ArrayList<>();
        for (Path file : r.recorded()) {
            List<LabelledJob> jobs = LabelledSteps.read(file);
            List<LabelledJob> bareJobs = jobs.stream().map(LabelledJob::withoutBreakdown).toList();
            recorded.add(new RecordedResult(file.getFileName().toString(),
                    CauseEvaluation.run(jobs, config, r.models().attributor()),
                    CauseEvaluation.run(jobs, config, new RuleCauseAttributor()),
                    CauseEvaluation.slowdown(TrainingData.standard(config).rows(jobs), r.models()),
                    CauseEvaluation.run(bareJobs, config, r.models().attributor()),
                    CauseEvaluation.run(bareJobs, config, new RuleCauseAttributor())));
        }
        return new Report(pai, pooled, pooledImmediate, pooledBaseline, spikes, immediateSpikes, baselineSpikes, fa,
                immediateFa, faSamples, faTime, model, rules, bareModel, bareRules,
                CauseEvaluation.slowdown(rows, r.models()),
                CauseEvaluation.modelStraggler(rows, r.models()), r.testJobs(), r.seed(), recorded,
                config.decisionDelay());
    }

    /**
     * The held-out synthetic jobs of {@code seed} reporting step times without the compute / communication / input
     * split (the same jobs as the standard held-out set of that seed, less the split): the cases of
     * {@code cause_telemetry_only_acc}, where a straggler's cause must come from its telemetry and neighbourhood.
     */
    public static List<LabelledJob> telemetryOnlyJobs(int jobs, long seed) {
        return new SyntheticJobGenerator(SynthConfig.telemetryOnly(jobs), new Random(seed)).generate("test");
    }

    /** The detector deciding at once, with {@code config}'s noise multiplier. */
    private static DetectorConfig immediate(DetectorConfig config) {
        return DetectorConfig.immediate().withNoiseZ(config.noiseZ());
    }

    private static PaiResult pai(Path file, String name, DetectorConfig config, long seed) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing PAI data file " + file);
        }
        PaiMinibatch.Loaded loaded = PaiMinibatch.read(file, name);
        JobWindow job = loaded.window();
        OracleLabels labels = OracleLabels.of(job);
        CauseAttributor none = CauseAttributor.unattributed();
        PeerMedianBaseline baseline = PeerMedianBaseline.standard();
        DetectorConfig now = immediate(config);
        DetectionScores det = DetectionScorer.score(labels, DetectorRun.flags(job, config, none),
                config.decisionDelay());
        DetectionScores immediate = DetectionScorer.score(labels, DetectorRun.flags(job, now, none));
        DetectionScores base = DetectionScorer.score(labels, baseline.flags(job));
        SpikeInjection spikes = new SpikeInjection(100, config.windowSamples());
        SpikeInjection.Result detSpikes = spikes.run(job, labels, new Random(seed),
                w -> DetectorRun.flags(w, config, none));
        SpikeInjection.Result immediateSpikes = spikes.run(job, labels, new Random(seed),
                w -> DetectorRun.flags(w, now, none));
        SpikeInjection.Result baseSpikes = spikes.run(job, labels, new Random(seed), baseline::flags);
        int samples = job.workers().stream().mapToInt(w -> w.samples().size()).sum();
        return new PaiResult(name, samples, loaded.duplicatesDropped(), labels.band(), det, immediate, base,
                detSpikes, immediateSpikes, baseSpikes);
    }
}
