package dev.coxswain.graphmodels.bench;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.eval.CovData;
import dev.coxswain.graphmodels.eval.NoiseCalibration;
import dev.coxswain.graphmodels.io.LabelledSteps;
import dev.coxswain.graphmodels.model.ModelTrainer;
import dev.coxswain.graphmodels.model.StragglerModels;
import dev.coxswain.graphmodels.model.TrainingData;
import dev.coxswain.graphmodels.model.TrainingRow;
import dev.coxswain.graphmodels.synth.LabelledJob;
import dev.coxswain.graphmodels.synth.SynthConfig;
import dev.coxswain.graphmodels.synth.SyntheticJobGenerator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * What {@code coxswain models train} does: calibrate the detector's noise multiplier on the CoV data (real), generate
 * labelled jobs (synthetic, seeded), read the labelled recordings of the reference trainer's injections (real
 * telemetry, see {@link LabelledSteps}), turn both into training rows with the calibrated detector, and train the
 * models. Everything that shaped the result goes into the provenance.
 */
public final class StragglerTraining {

    /** The grid searched for the noise multiplier. */
    static final double[] Z_GRID = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    /**
     * @param jobs        synthetic training jobs
     * @param seed        seed of the generator, the CoV replays and the trainers
     * @param covFile     the CoV data ({@code coefficient_variation.csv})
     * @param recorded    labelled steps files recorded from the trainer's injections; may be empty
     * @param targetRate  the false-alarm rate the calibration aims at (flagged share of healthy worker-samples)
     * @param settings    XGBoost settings
     * @param codeVersion recorded in the provenance
     */
    public record Request(int jobs, long seed, Path covFile, List<Path> recorded, double targetRate,
                          ModelTrainer.Settings settings, String codeVersion) {
        public Request {
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be positive, got " + jobs);
            }
            Objects.requireNonNull(covFile, "covFile");
            recorded = List.copyOf(recorded);
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(codeVersion, "codeVersion");
        }
    }

    /**
     * The models with how they were made.
     *
     * @param recordedRows how many of {@code rows} came from the recordings (they follow the synthetic ones)
     */
    public record Outcome(StragglerModels models, NoiseCalibration.Result calibration, List<TrainingRow> rows,
                          int recordedRows, Duration calibrationTime, Duration dataTime, Duration trainingTime) {
    }

    private final Clock clock;

    public StragglerTraining(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Outcome run(Request request) throws IOException {
        Instant t0 = clock.instant();
        List<CovData.CovJob> cov = CovData.read(request.covFile());
        NoiseCalibration.Result calibration = new NoiseCalibration(DetectorConfig.defaults(), Z_GRID,
                request.targetRate(), request.seed()).run(cov);
        DetectorConfig config = DetectorConfig.defaults().withNoiseZ(calibration.z());
        Instant t1 = clock.instant();
        SynthConfig synth = SynthConfig.standard(request.jobs());
        List<LabelledJob> jobs = new SyntheticJobGenerator(synth, new Random(request.seed())).generate("train");
        TrainingData data = TrainingData.standard(config);
        List<TrainingRow> rows = new ArrayList<>(data.rows(jobs));
        int synthetic = rows.size();
        for (Path file : request.recorded()) {
            rows.addAll(data.rows(LabelledSteps.read(file)));
        }
        Instant t2 = clock.instant();
        String description = String.format(Locale.ROOT, "SYNTHETIC labelled jobs from SyntheticJobGenerator "
                        + "(%d jobs x %d steps, seed %d)%s; candidates at ratio >= 1.05 every 2nd step; noiseZ "
                        + "calibrated on %s", synth.jobs(), synth.steps(), request.seed(),
                request.recorded().isEmpty() ? "" : " and the reference trainer's recorded injections ("
                        + request.recorded().stream().map(p -> p.getFileName().toString())
                        .collect(Collectors.joining(", ")) + ")", request.covFile().getFileName());
        Map<String, String> hyper = extraHyperParameters(synth, calibration);
        hyper.put("training.recordedFiles", Integer.toString(request.recorded().size()));
        hyper.put("training.recordedRows", Integer.toString(rows.size() - synthetic));
        StragglerModels models = new ModelTrainer(request.settings(), request.seed(), clock)
                .train(rows, config, description, hyper, request.codeVersion());
        Instant t3 = clock.instant();
        return new Outcome(models, calibration, rows, rows.size() - synthetic, Duration.between(t0, t1),
                Duration.between(t1, t2), Duration.between(t2, t3));
    }

    private static Map<String, String> extraHyperParameters(SynthConfig synth, NoiseCalibration.Result c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("synth.jobs", Integer.toString(synth.jobs()));
        m.put("synth.steps", Integer.toString(synth.steps()));
        m.put("synth.workers", synth.minWorkers() + ".." + synth.maxWorkers());
        m.put("synth.maxEpisodes", Integer.toString(synth.maxEpisodes()));
        m.put("synth.telemetryDropout", Double.toString(synth.telemetryDropout()));
        m.put("synth.spikeRate", Double.toString(synth.spikeRate()));
        m.put("calibration.targetFalseAlarmRate", Double.toString(c.targetRate()));
        m.put("calibration.noiseZ", Double.toString(c.z()));
        m.put("training.candidateRatio", "1.05");
        m.put("training.stride", "2");
        return m;
    }
}
