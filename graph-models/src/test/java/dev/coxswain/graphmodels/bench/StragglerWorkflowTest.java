package dev.coxswain.graphmodels.bench;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.model.ModelFile;
import dev.coxswain.graphmodels.model.ModelTrainer;
import dev.coxswain.graphmodels.model.StragglerModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The train and eval workflows end to end, on small inputs: the real job-2 excerpt and a short CoV file. */
class StragglerWorkflowTest {

    @TempDir
    Path dir;

    private Path dataDir() throws Exception {
        Path excerpt = Path.of(getClass().getResource("/pai/job_2_first60.csv").toURI());
        Files.copy(excerpt, dir.resolve("job_1_norm.csv"));
        Files.copy(excerpt, dir.resolve("job_2_norm.csv"));
        StringBuilder cov = new StringBuilder();
        for (int i = 0; i < 120; i++) {
            cov.append(',').append(i);
        }
        cov.append('\n');
        Random random = new Random(3);
        for (int j = 0; j < 4; j++) {
            cov.append(String.format(Locale.ROOT, "job_%02d", j));
            for (int i = 0; i < 120; i++) {
                cov.append(String.format(Locale.ROOT, ",%.4f", j == 3 ? 1.5 : 0.03 + 0.05 * random.nextDouble()));
            }
            cov.append('\n');
        }
        Files.writeString(dir.resolve("coefficient_variation.csv"), cov);
        return dir;
    }

    @Test
    void trainsSavesAndEvaluatesWithProvenance() throws Exception {
        Path data = dataDir();
        Clock clock = Clock.fixed(Instant.parse("2026-02-01T00:00:00Z"), ZoneOffset.UTC);
        Path recording = Path.of(getClass().getResource("/trainer-injection-1-fault.csv").toURI());
        StragglerTraining.Outcome trained = new StragglerTraining(clock).run(new StragglerTraining.Request(6, 5,
                data.resolve("coefficient_variation.csv"), List.of(recording), 0.01,
                new ModelTrainer.Settings(5, 0.5, 3, 1, 1, 1, 1), "test"));
        Path file = dir.resolve("m.model");
        ModelFile.save(trained.models(), file);
        StragglerModels models = ModelFile.load(file);

        assertThat(models.provenance().hyperParameters())
                .containsEntry("calibration.noiseZ", Double.toString(trained.calibration().z()))
                .containsEntry("synth.jobs", "6")
                .containsEntry("training.recordedRows", Integer.toString(trained.recordedRows()));
        assertThat(trained.recordedRows()).as("the recorded slowdown's candidates").isPositive();
        assertThat(models.provenance().dataDescription()).contains("SYNTHETIC").contains("seed 5")
                .contains("trainer-injection-1-fault.csv");
        assertThat(models.detectorConfig().noiseZ()).isEqualTo(trained.calibration().z());

        StragglerBenchmark.Report r = new StragglerBenchmark(clock)
                .run(new StragglerBenchmark.Request(data, models, 4, 6, List.of(recording)));
        assertThat(r.pai()).hasSize(2);
        assertThat(r.pooled().precision()).isGreaterThan(0.98);
        // 60 samples per worker: the first steps, decided before the centred window is full, weigh 5% here.
        assertThat(r.pooled().recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(r.pooledBaseline().recall()).isLessThan(0.2);
        assertThat(r.spikes().spikes()).isPositive();
        assertThat(r.spikes().alarms()).isZero();
        assertThat(r.falseAlarms().unhealthyJobs()).isEqualTo(1);
        assertThat(r.modelCauses().attributed()).isPositive();
        assertThat(r.ruleCauses().accuracy()).isBetween(0.0, 1.0);
        assertThat(r.telemetryOnlyModelCauses().episodes()).as("the same jobs without the split").isPositive();
        assertThat(r.telemetryOnlyModelCauses().episodeAccuracy()).isBetween(0.0, 1.0);
        assertThat(r.telemetryOnlyRuleCauses().attributed()).as("detection reads step times: the same stragglers")
                .isEqualTo(r.ruleCauses().attributed());
        assertThat(r.recorded()).singleElement().satisfies(x -> {
            assertThat(x.name()).isEqualTo("trainer-injection-1-fault.csv");
            assertThat(x.ruleCauses().recall(Cause.IMBALANCE)).as("the 2x compute slowdown, by the rules")
                    .isGreaterThan(0.9);
            assertThat(x.modelCauses().attributed()).isPositive();
            assertThat(x.telemetryOnlyRuleCauses().recall(Cause.IMBALANCE))
                    .as("without the split, one host's shared telemetry does not tell the rules which worker")
                    .isLessThan(x.ruleCauses().recall(Cause.IMBALANCE));
        });
    }
}
