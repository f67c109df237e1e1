package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelFileTest {

    /** A throttled-looking straggler with partial telemetry. */
    static final FeatureVector PROBE = FeatureVector.empty().with(Feature.STEP_RATIO, 1.4)
            .with(Feature.COMPUTE_SHARE, 0.95).with(Feature.SM_CLOCK_RATIO, 0.7)
            .with(Feature.THROTTLED_FRACTION, 0.8).with(Feature.JOB_SLOW_FRACTION, 0.1);

    private static final int MAGIC_LENGTH = "COXSWAIN-STRAGGLER-MODEL".length();

    @TempDir
    Path dir;

    private static Path golden() throws URISyntaxException {
        return Path.of(ModelFileTest.class.getResource("golden-v1.model").toURI());
    }

    @Test
    void goldenModelLoadsWithItsProvenanceAndPredictsAsRecorded() throws Exception {
        StragglerModels m = ModelFile.load(golden());

        Provenance p = m.provenance();
        assertThat(p.featureSchema()).isEqualTo(FeatureVector.SCHEMA_VERSION);
        assertThat(p.dataHash()).isEqualTo(GOLDEN_DATA_HASH);
        assertThat(p.seed()).isEqualTo(7);
        assertThat(p.codeVersion()).isEqualTo("test");
        assertThat(p.trainedAt()).isEqualTo(TinyModels.TRAINED_AT);
        assertThat(p.hyperParameters()).containsEntry("xgboost.trees", "5").containsEntry("synth.jobs", "12");
        assertThat(m.detectorConfig().windowSamples()).isEqualTo(5);
        assertThat(m.detectorConfig().noiseZ()).isEqualTo(3.0);
        Map<Cause, Double> probabilities = m.causeProbabilities(PROBE);
        GOLDEN_PROBABILITIES.forEach((cause, expected) ->
                assertThat(probabilities.get(cause)).as(cause.name()).isCloseTo(expected, within(1e-6)));
        assertThat(m.expectedSlowdown(PROBE)).isCloseTo(GOLDEN_SLOWDOWN, within(1e-6));
    }

    @Test
    void refusesAnotherFormatVersionAndSaysWhichItReads() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        ByteBuffer.wrap(bytes).putInt(MAGIC_LENGTH, 2);
        Path other = Files.write(dir.resolve("v2.model"), bytes);

        assertThatThrownBy(() -> ModelFile.load(other)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("format version 2").hasMessageContaining("reads version 1");
    }

    @Test
    void refusesAModelOfAnotherFeatureSchema() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        ByteBuffer.wrap(bytes).putInt(MAGIC_LENGTH + 4, 99);
        Path other = Files.write(dir.resolve("schema.model"), bytes);

        assertThatThrownBy(() -> ModelFile.load(other)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("feature schema 99");
    }

    @Test
    void refusesADamagedOrForeignFile() throws Exception {
        byte[] bytes = Files.readAllBytes(golden());
        bytes[bytes.length / 2] ^= 0x5a;
        Path damaged = Files.write(dir.resolve("damaged.model"), bytes);
        Path foreign = Files.writeString(dir.resolve("foreign.model"), "job,worker,step,step_time\n");

        assertThatThrownBy(() -> ModelFile.load(damaged)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("checksum");
        assertThatThrownBy(() -> ModelFile.load(foreign)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a Coxswain straggler model");
    }

    @Test
    void savedModelsLoadWithTheSameProvenanceAndPredictions() throws IOException {
        StragglerModels trained = TinyModels.train();
        Path file = dir.resolve("m.model");
        ModelFile.save(trained, file);
        StragglerModels loaded = ModelFile.load(file);

        assertThat(loaded.provenance()).isEqualTo(trained.provenance());
        assertThat(loaded.detectorConfig()).isEqualTo(trained.detectorConfig());
        assertThat(loaded.causeProbabilities(PROBE)).isEqualTo(trained.causeProbabilities(PROBE));
        assertThat(loaded.expectedSlowdown(PROBE)).isEqualTo(trained.expectedSlowdown(PROBE));
        assertThat(loaded.attributor().attribute(PROBE).cause()).isNotIn(Cause.NONE);
    }

    @Test
    void trainingIsDeterministicForASeed() {
        assertThat(TinyModels.train().provenance().dataHash()).isEqualTo(GOLDEN_DATA_HASH);
    }

    /** Recorded when golden-v1.model was written by {@link TinyModels#main}. */
    static final String GOLDEN_DATA_HASH = "90de08b8b9cef2deee57f508164dfb5a088ca267476525985656d9217a6340e3";
    static final Map<Cause, Double> GOLDEN_PROBABILITIES = Map.of(
            Cause.NONE, 0.11326402425765991,
            Cause.GPU_COMPUTE, 0.7511849403381348,
            Cause.HOST_CONTENTION, 0.04594692960381508,
            Cause.NETWORK, 0.04486159235239029,
            Cause.IMBALANCE, 0.04474249109625816);
    static final double GOLDEN_SLOWDOWN = 1.0557005405426025;
}
