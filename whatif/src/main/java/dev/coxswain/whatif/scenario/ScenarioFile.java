package dev.coxswain.whatif.scenario;

import dev.coxswain.core.BadInputException;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.eval.PolluxWorkload;
import dev.coxswain.whatif.spec.ClusterFile;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.YamlNode;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a scenario YAML file (format in docs/whatif.md). Paths inside it are relative to the file. Errors name file,
 * line and key.
 */
public final class ScenarioFile {
    private ScenarioFile() {
    }

    public static Scenario read(Path file) {
        YamlNode root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = YamlNode.parse(file.toString(), r);
        } catch (IOException e) {
            throw new BadInputException(file, 0, "file", "cannot be read: " + e.getMessage());
        }
        root.checkKeys(Set.of("name", "cluster", "steps", "seed", "job", "calibration", "questions"));
        Path base = file.toAbsolutePath().getParent();
        String clusterArg = root.get("cluster").asText();
        ClusterSpec cluster = ClusterPresets.exists(clusterArg) ? ClusterPresets.get(clusterArg)
                : ClusterFile.read(base.resolve(clusterArg));
        JobSpec job = JobFile.job(root.get("job"), cluster);
        List<Question> questions = new ArrayList<>();
        for (YamlNode q : root.get("questions").asList()) {
            questions.add(question(q));
        }
        Optional<Scenario.Calibration> cal = Optional.empty();
        if (root.has("calibration")) {
            YamlNode c = root.get("calibration").checkKeys(Set.of("measured", "model", "gradientBytes",
                    "bucketBytes"));
            long grad = c.has("model") ? workload(c.get("model")).gradientBytes()
                    : (long) c.get("gradientBytes").asDouble(1, 1e13);
            long bucket = c.has("bucketBytes") ? (long) c.get("bucketBytes").asDouble(1, 1e13)
                    : PolluxWorkload.DDP_BUCKET_BYTES;
            cal = Optional.of(new Scenario.Calibration(MeasurementCsv.readMeasured(
                    base.resolve(c.get("measured").asText())), grad, bucket));
        }
        return new Scenario(root.getText("name", file.getFileName().toString()), cluster, job, questions,
                root.getInt("steps", 1, 1_000_000, 30), root.getInt("seed", 0, Integer.MAX_VALUE, 1), cal);
    }

    /**
     * Questions written as a scenario file's {@code questions:} list, from text (the dashboard's what-if page):
     * a YAML list of questions, each in the scenario file's syntax. Errors name {@code source}, line and key.
     */
    public static List<Question> questions(String source, String yaml) {
        YamlNode root = YamlNode.parse(source, new StringReader(yaml));
        List<Question> questions = new ArrayList<>();
        for (YamlNode q : root.asList()) {
            questions.add(question(q));
        }
        return questions;
    }

    private static PolluxWorkload workload(YamlNode n) {
        try {
            return PolluxWorkload.named(n.asText());
        } catch (IllegalArgumentException e) {
            throw n.bad(e.getMessage());
        }
    }

    static Question question(YamlNode q) {
        q.checkKeys(Set.of("name", "localBatch", "placement", "staleness", "linkSpeed", "slowGpu", "moveWorker"));
        Optional<String> kind = Optional.empty();
        OptionalDouble factor = OptionalDouble.empty();
        OptionalInt node = OptionalInt.empty();
        if (q.has("linkSpeed")) {
            YamlNode l = q.get("linkSpeed").checkKeys(Set.of("kind", "factor", "node"));
            String k = l.get("kind").asText();
            if (!Set.of("nic", "intra", "switch").contains(k)) {
                throw l.get("kind").bad("'" + k + "' is not nic, intra or switch");
            }
            kind = Optional.of(k);
            factor = OptionalDouble.of(l.get("factor").asDouble(1e-3, 1e3));
            node = l.has("node") ? OptionalInt.of(l.get("node").asInt(0, 1_000_000)) : OptionalInt.empty();
        }
        OptionalInt slowWorker = OptionalInt.empty();
        OptionalDouble slowFactor = OptionalDouble.empty();
        if (q.has("slowGpu")) {
            YamlNode s = q.get("slowGpu").checkKeys(Set.of("worker", "factor"));
            slowWorker = OptionalInt.of(s.get("worker").asInt(0, 1_000_000));
            slowFactor = OptionalDouble.of(s.get("factor").asDouble(1e-3, 1e3));
        }
        OptionalInt moveWorker = OptionalInt.empty();
        Optional<String> moveTo = Optional.empty();
        if (q.has("moveWorker")) {
            YamlNode m = q.get("moveWorker").checkKeys(Set.of("worker", "to"));
            moveWorker = OptionalInt.of(m.get("worker").asInt(0, 1_000_000));
            moveTo = Optional.of(m.get("to").asText());
        }
        return new Question(q.get("name").asText(),
                q.has("localBatch") ? OptionalInt.of(q.get("localBatch").asInt(1, 1 << 24)) : OptionalInt.empty(),
                q.has("placement") ? Optional.of(q.get("placement").asText()) : Optional.empty(),
                q.has("staleness") ? OptionalInt.of(q.get("staleness").asInt(0, 1_000_000)) : OptionalInt.empty(),
                kind, factor, node, slowWorker, slowFactor, moveWorker, moveTo);
    }
}
