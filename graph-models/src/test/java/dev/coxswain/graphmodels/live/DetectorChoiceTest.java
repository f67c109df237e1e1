package dev.coxswain.graphmodels.live;

import dev.coxswain.core.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectorChoiceTest {
    @TempDir
    Path dir;

    @Test
    void fallsBackToTheRulesWhenThereIsNoModel() {
        DetectorChoice choice = DetectorChoice.load(dir.resolve("none.model"));

        assertThat(choice.description()).isEqualTo("rules");
        assertThat(choice.attributor().name()).isEqualTo("rules");
    }

    @Test
    void usesTheTrainedModelWhenThereIsOne() throws Exception {
        Path golden = Path.of(getClass().getResource("/dev/coxswain/graphmodels/model/golden-v1.model").toURI());

        DetectorChoice choice = DetectorChoice.load(golden);

        assertThat(choice.description()).isEqualTo("model " + golden);
        assertThat(choice.attributor().name()).isEqualTo("xgboost");
    }

    @Test
    void refusesADamagedModelNamingTheKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.model"), "not a model");

        assertThatThrownBy(() -> DetectorChoice.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("detector.model = " + bad + ": cannot load the model")
                .hasMessageContaining("is not a Coxswain straggler model file");
    }
}
