package dev.coxswain.graphmodels.live;

import dev.coxswain.core.config.ConfigException;
import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.model.ModelFile;
import dev.coxswain.graphmodels.model.StragglerModels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The detector settings and cause attributor the live detector runs with: a trained model's when the model file
 * exists, else the built-in settings and the rules.
 *
 * @param description how it runs, in words, for the dashboard and the log: {@code rules} or {@code model <file>}
 */
public record DetectorChoice(DetectorConfig config, CauseAttributor attributor, String description) {
    private static final Logger log = LoggerFactory.getLogger(DetectorChoice.class);

    public DetectorChoice {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(attributor, "attributor");
        Objects.requireNonNull(description, "description");
    }

    /** The built-in settings and the rule-based causes. */
    public static DetectorChoice rules() {
        return new DetectorChoice(DetectorConfig.defaults(), new RuleCauseAttributor(), "rules");
    }

    /**
     * Loads the model file when it exists, and says in one log line which detector runs.
     *
     * @throws ConfigException when the file exists but is not a model this build reads (the message names the key)
     */
    public static DetectorChoice load(Path modelFile) {
        if (!Files.isRegularFile(modelFile)) {
            log.info("straggler detector: no trained model at {} ({}); using the rule-based causes and built-in "
                    + "settings", modelFile, LiveDetectorSettings.MODEL);
            return rules();
        }
        try {
            StragglerModels m = ModelFile.load(modelFile);
            log.info("straggler detector: learned causes from {} (trained {}, commit {})", modelFile,
                    m.provenance().trainedAt(), m.provenance().codeVersion());
            return new DetectorChoice(m.detectorConfig(), m.attributor(), "model " + modelFile);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(LiveDetectorSettings.MODEL + " = " + modelFile + ": cannot load the model ("
                    + e.getMessage() + "); retrain it with 'coxswain models train' or point the key elsewhere");
        }
    }
}
