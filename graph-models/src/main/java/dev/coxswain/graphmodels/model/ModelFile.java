package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Saves and loads {@link StragglerModels} in the checked layout of {@link CheckedFile}: the magic
 * {@code COXSWAIN-STRAGGLER-MODEL}, then sections of the provenance and detector settings as UTF-8 properties text,
 * and the classifier and the regressor in Tribuo's protobuf form. Loading checks the magic, the format version, the
 * feature schema and the checksum before it deserialises anything, and says which check failed.
 */
public final class ModelFile {

    /** Raise when the layout changes; files of another version are refused. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = "COXSWAIN-STRAGGLER-MODEL".getBytes(StandardCharsets.US_ASCII);

    private ModelFile() {
    }

    public static void save(StragglerModels models, Path file) throws IOException {
        CheckedFile.write(file, MAGIC, FORMAT_VERSION, models.provenance().featureSchema(), List.of(
                properties(models).getBytes(StandardCharsets.UTF_8), tribuoBytes(models.causeModel()),
                tribuoBytes(models.slowdownModel())));
    }

    public static StragglerModels load(Path file) throws IOException {
        String name = file.toString();
        CheckedFile.Reader in = new CheckedFile.Reader(file, MAGIC, "Coxswain straggler model");
        if (in.formatVersion != FORMAT_VERSION) {
            throw new ModelFormatException(name + " has model format version " + in.formatVersion + "; this build"
                    + " reads version " + FORMAT_VERSION + ". Train a new one with 'coxswain models train'.");
        }
        if (in.schema != FeatureVector.SCHEMA_VERSION) {
            throw new ModelFormatException(name + " was trained on feature schema " + in.schema
                    + "; this build computes schema " + FeatureVector.SCHEMA_VERSION + ". Retrain the model.");
        }
        in.checkCrc();
        try {
            Map<String, String> props = parse(new String(in.section(), StandardCharsets.UTF_8));
            Model<Label> cause = tribuo(in.section(), name).castModel(Label.class);
            Model<Regressor> slowdown = tribuo(in.section(), name).castModel(Regressor.class);
            return new StragglerModels(cause, slowdown, detectorConfig(props, name),
                    provenance(props, in.schema, name));
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ModelFormatException(name + " is damaged: " + e.getMessage(), e);
        }
    }

    private static byte[] tribuoBytes(Model<?> model) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        model.serializeToStream(b);
        return b.toByteArray();
    }

    private static Model<?> tribuo(byte[] bytes, String name) throws IOException {
        try {
            return Model.deserializeFromStream(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
            throw new ModelFormatException(name + " holds a model Tribuo cannot read: " + e.getMessage(), e);
        }
    }

    static String properties(StragglerModels models) {
        Map<String, String> m = provenanceProperties(models.provenance());
        DetectorConfig c = models.detectorConfig();
        m.put("detector.windowSamples", Integer.toString(c.windowSamples()));
        m.put("detector.fastGroupFraction", Double.toString(c.fastGroupFraction()));
        m.put("detector.slowdownThreshold", Double.toString(c.slowdownThreshold()));
        m.put("detector.noiseZ", Double.toString(c.noiseZ()));
        m.put("detector.minSamples", Integer.toString(c.minSamples()));
        m.put("detector.staleTicks", Integer.toString(c.staleTicks()));
        m.put("detector.decisionDelay", Integer.toString(c.decisionDelay()));
        return text(m);
    }

    /** A provenance as properties, sorted by key, for a model file's properties section. */
    static Map<String, String> provenanceProperties(Provenance p) {
        Map<String, String> m = new TreeMap<>();
        m.put("provenance.dataHash", p.dataHash());
        m.put("provenance.dataDescription", p.dataDescription());
        m.put("provenance.seed", Long.toString(p.seed()));
        m.put("provenance.codeVersion", p.codeVersion());
        m.put("provenance.trainedAt", p.trainedAt().toString());
        m.put("provenance.trainingRows", Integer.toString(p.trainingRows()));
        p.hyperParameters().forEach((k, v) -> m.put("hyper." + k, v));
        return m;
    }

    /** Properties as the text of a model file's section, one {@code key=value} a line in the map's order. */
    static String text(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(escape(v)).append('\n'));
        return b.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\");
    }

    static Map<String, String> parse(String text) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(text));
        Map<String, String> m = new HashMap<>();
        props.forEach((k, v) -> m.put((String) k, (String) v));
        return m;
    }

    static String need(Map<String, String> props, String key, String name) {
        String v = props.get(key);
        if (v == null) {
            throw new ModelFormatException(name + " lacks '" + key + "'");
        }
        return v;
    }

    private static DetectorConfig detectorConfig(Map<String, String> p, String name) {
        return new DetectorConfig(Integer.parseInt(need(p, "detector.windowSamples", name)),
                Double.parseDouble(need(p, "detector.fastGroupFraction", name)),
                Double.parseDouble(need(p, "detector.slowdownThreshold", name)),
                Double.parseDouble(need(p, "detector.noiseZ", name)),
                Integer.parseInt(need(p, "detector.minSamples", name)),
                Integer.parseInt(need(p, "detector.staleTicks", name)),
                Integer.parseInt(p.getOrDefault("detector.decisionDelay", "0")));
    }

    static Provenance provenance(Map<String, String> p, int schema, String name) {
        Map<String, String> hyper = new HashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("hyper.")) {
                hyper.put(k.substring("hyper.".length()), v);
            }
        });
        return new Provenance(schema, need(p, "provenance.dataHash", name),
                need(p, "provenance.dataDescription", name), Long.parseLong(need(p, "provenance.seed", name)), hyper,
                need(p, "provenance.codeVersion", name), Instant.parse(need(p, "provenance.trainedAt", name)),
                Integer.parseInt(need(p, "provenance.trainingRows", name)));
    }
}
