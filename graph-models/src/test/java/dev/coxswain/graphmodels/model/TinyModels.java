package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.synth.SynthConfig;
import dev.coxswain.graphmodels.synth.SyntheticJobGenerator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small models for tests, trained in a second on a few synthetic jobs. {@link #main} rewrites the golden model
 * file under src/test/resources (run it only when the model format or the feature schema changes on purpose).
 */
final class TinyModels {

    static final Instant TRAINED_AT = Instant.parse("2026-01-01T00:00:00Z");
    static final long SEED = 7;

    private TinyModels() {
    }

    static StragglerModels train() {
        // Pinned, not the defaults: the golden file and its recorded data hash must not move with the defaults.
        DetectorConfig config = new DetectorConfig(5, 0.25, 1.10, 3.0, 3, 5, 0);
        List<TrainingRow> rows = TrainingData.standard(config).rows(
                new SyntheticJobGenerator(new SynthConfig(12, 80, 8, 12, 3, 0.25, 0.01, false), new Random(SEED))
                        .generate("tiny"));
        return new ModelTrainer(new ModelTrainer.Settings(5, 0.5, 3, 1, 1, 1, 1), SEED,
                Clock.fixed(TRAINED_AT, ZoneOffset.UTC))
                .train(rows, config, "synthetic tiny: 12 jobs, seed 7", Map.of("synth.jobs", "12"), "test");
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0]
                : "graph-models/src/test/resources/dev/coxswain/graphmodels/model/golden-v1.model");
        StragglerModels m = train();
        ModelFile.save(m, out);
        System.out.println("wrote " + out + " " + m.provenance());
        System.out.println("probabilities " + m.causeProbabilities(ModelFileTest.PROBE));
        System.out.println("slowdown " + m.expectedSlowdown(ModelFileTest.PROBE));
    }
}
