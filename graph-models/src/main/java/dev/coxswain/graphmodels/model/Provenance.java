package dev.coxswain.graphmodels.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a saved model came from: enough to reproduce it and to refuse it where it does not belong.
 *
 * @param featureSchema   the {@link dev.coxswain.graphmodels.features.FeatureVector#SCHEMA_VERSION} it was trained on
 * @param dataHash        SHA-256 (hex) of the training rows, features and labels in a canonical binary form
 * @param dataDescription what the training data was (generator, seed, size, calibration data)
 * @param seed            the seed of the data generator and of the trainers
 * @param hyperParameters the trainers' settings by name
 * @param codeVersion     the graph-models version and, when known, the git commit
 * @param trainedAt       when training finished (from the injected clock)
 * @param trainingRows    number of training rows
 */
public record Provenance(int featureSchema, String dataHash, String dataDescription, long seed,
                         Map<String, String> hyperParameters, String codeVersion, Instant trainedAt,
                         int trainingRows) {
    public Provenance {
        Objects.requireNonNull(dataHash, "dataHash");
        Objects.requireNonNull(dataDescription, "dataDescription");
        Objects.requireNonNull(codeVersion, "codeVersion");
        Objects.requireNonNull(trainedAt, "trainedAt");
        if (!dataHash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("dataHash must be 64 hex digits, got " + dataHash);
        }
        if (trainingRows < 1) {
            throw new IllegalArgumentException("trainingRows must be positive, got " + trainingRows);
        }
        hyperParameters = Map.copyOf(new TreeMap<>(hyperParameters));
        for (String text : new String[]{dataDescription, codeVersion}) {
            if (text.contains("\n")) {
                throw new IllegalArgumentException("provenance text must be one line: " + text);
            }
        }
    }

    /** The hyper-parameters sorted by name. */
    public TreeMap<String, String> sortedHyperParameters() {
        return new TreeMap<>(hyperParameters);
    }
}
