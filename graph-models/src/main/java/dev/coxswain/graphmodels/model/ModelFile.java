package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * Saves and loads {@link StragglerModels}. Layout (big-endian): the magic {@code COXSWAIN-STRAGGLER-MODEL}, the
 * format version (int), the feature schema version (int), the provenance and detector settings as UTF-8 properties
 * text (length-prefixed), the classifier and the regressor in Tribuo's protobuf form (length-prefixed), and a CRC-32
 * of everything before it. Loading checks the magic, the format version, the feature schema and the checksum
 * before it deserialises anything, and says which check failed.
 */
public final class ModelFile {

    /** Raise when the layout changes; files of another version are refused. */
    public static final int FORMAT_VERSION = 1;

    private static final byte[] MAGIC = "COXSWAIN-STRAGGLER-MODEL".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SECTION = 512 << 20;

    private ModelFile() {
    }

    public static void save(StragglerModels models, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(models.provenance().featureSchema());
            writeSection(out, properties(models).getBytes(StandardCharsets.UTF_8));
            writeSection(out, tribuoBytes(models.causeModel()));
            writeSection(out, tribuoBytes(models.slowdownModel()));
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(body);
            out.writeInt((int) crc.getValue());
        }
    }

    public static StragglerModels load(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        String name = file.toString();
        if (all.length < MAGIC.length + 12 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new ModelFormatException(name + " is not a Coxswain straggler model file");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new ModelFormatException(name + " has model format version " + version + "; this build reads "
                        + "version " + FORMAT_VERSION + ". Train a new one with 'coxswain models train'.");
            }
            int schema = in.readInt();
            if (schema != FeatureVector.SCHEMA_VERSION) {
                throw new ModelFormatException(name + " was trained on feature schema " + schema
                        + "; this build computes schema " + FeatureVector.SCHEMA_VERSION + ". Retrain the model.");
            }
            checkCrc(all, name);
            Map<String, String> props = parse(new String(readSection(in, name), StandardCharsets.UTF_8));
            Model<Label> cause = tribuo(readSection(in, name), name).castModel(Label.class);
            Model<Regressor> slowdown = tribuo(readSection(in, name), name).castModel(Regressor.class);
            return new StragglerModels(cause, slowdown, detectorConfig(props, name), provenance(props, schema, name));
        } catch (EOFException e) {
            throw new ModelFormatException(name + " is truncated", e);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ModelFormatException(name + " is damaged: " + e.getMessage(), e);
        }
    }

    private static void checkCrc(byte[] all, String name) {
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 4);
        int stored = ((all[all.length - 4] & 0xff) << 24) | ((all[all.length - 3] & 0xff) << 16)
                | ((all[all.length - 2] & 0xff) << 8) | (all[all.length - 1] & 0xff);
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(name + " is damaged: checksum mismatch");
        }
    }

    private static void writeSection(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readSection(DataInputStream in, String name) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_SECTION) {
            throw new ModelFormatException(name + " is damaged: section length " + n);
        }
        return in.readNBytes(n);
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
        Map<String, String> m = new TreeMap<>();
        Provenance p = models.provenance();
        m.put("provenance.dataHash", p.dataHash());
        m.put("provenance.dataDescription", p.dataDescription());
        m.put("provenance.seed", Long.toString(p.seed()));
        m.put("provenance.codeVersion", p.codeVersion());
        m.put("provenance.trainedAt", p.trainedAt().toString());
        m.put("provenance.trainingRows", Integer.toString(p.trainingRows()));
        p.hyperParameters().forEach((k, v) -> m.put("hyper." + k, v));
        DetectorConfig c = models.detectorConfig();
        m.put("detector.windowSamples", Integer.toString(c.windowSamples()));
        m.put("detector.fastGroupFraction", Double.toString(c.fastGroupFraction()));
        m.put("detector.slowdownThreshold", Double.toString(c.slowdownThreshold()));
        m.put("detector.noiseZ", Double.toString(c.noiseZ()));
        m.put("detector.minSamples", Integer.toString(c.minSamples()));
        m.put("detector.staleTicks", Integer.toString(c.staleTicks()));
        m.put("detector.decisionDelay", Integer.toString(c.decisionDelay()));
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(k).append('=').append(escape(v)).append('\n'));
        return b.toString();
    }

    private static String escape(String v) {
        return v.replace("\\", "\\\\");
    }

    private static Map<String, String> parse(String text) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(text));
        Map<String, String> m = new HashMap<>();
        props.forEach((k, v) -> m.put((String) k, (String) v));
        return m;
    }

    private static String need(Map<String, String> props, String key, String name) {
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

    private static Provenance provenance(Map<String, String> p, int schema, String name) {
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
