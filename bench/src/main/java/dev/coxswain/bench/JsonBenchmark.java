package dev.coxswain.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.stats.Median;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code coxswain bench json}: the project's own JSON code ({@code core.json}) against Jackson (databind 2, which
 * Vert.x already brings) on the paths that use it, each on one thread:
 * <ul>
 *   <li>parse: one controller action's JSON (as on the actions topic) into a map, {@code JsonParser.parseObject}
 *       against {@code ObjectMapper.readValue(bytes, Map)};</li>
 *   <li>write: that map back to bytes, {@code JsonWriter.write} against {@code ObjectMapper.writeValueAsBytes};</li>
 *   <li>codec: the whole {@link ControlCodec} round trip (encode, decode, validate), which uses {@code core.json}.</li>
 * </ul>
 * Rounds of {@code n} operations after a warm-up round; medians of the rounds' rates.
 */
public final class JsonBenchmark {
    private final PrintStream out;

    public JsonBenchmark(PrintStream out) {
        this.out = out;
    }

    static Action sampleAction() {
        Instant t0 = Instant.parse("2026-12-06T10:00:00Z");
        return new Action("controller-vm-1", "demo-job", List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 292),
                KnobSetting.worker("w1", Knob.BATCH_SIZE, 293), KnobSetting.worker("w2", Knob.BATCH_SIZE, 293),
                KnobSetting.worker("w3", Knob.BATCH_SIZE, 146)), "rebalance",
                "w3 computes at 0.50x the median speed (cause imbalance); local batches in proportion to measured"
                        + " speed, global batch 1024 kept",
                Map.of("step_time_ms", 361.1, "w0.samples_per_s", 1497.0, "w3.samples_per_s", 749.0),
                new ExpectedEffect(361.1, 215.1), "controller-vm", false, t0, t0.plusSeconds(30), Optional.empty(),
                Optional.of("w3"), List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 256),
                KnobSetting.worker("w3", Knob.BATCH_SIZE, 256)));
    }

    public void run(int rounds, int n) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        byte[] bytes = ControlCodec.encode(sampleAction());
        String text = new String(bytes, StandardCharsets.UTF_8);
        Map<String, Object> map = JsonParser.parseObject(text);
        Map<String, Object> jacksonMap = mapper.readValue(bytes, new TypeReference<Map<String, Object>>() { });
        out.printf(Locale.ROOT, "json: %d rounds of %d operations on a %d-byte controller action, one thread%n",
                rounds, n, bytes.length);
        List<double[]> rates = new ArrayList<>();
        for (int r = 0; r <= rounds; r++) {
            double[] round = {
                rate(n, () -> JsonParser.parseObject(new String(bytes, StandardCharsets.UTF_8)).size()),
                rate(n, () -> mapper.readValue(bytes, new TypeReference<Map<String, Object>>() { }).size()),
                rate(n, () -> JsonWriter.write(map).getBytes(StandardCharsets.UTF_8).length),
                rate(n, () -> mapper.writeValueAsBytes(jacksonMap).length),
                rate(n, () -> ControlCodec.decode(ControlCodec.encode(sampleAction())).hashCode())
            };
            if (r > 0) {
                rates.add(round);
                out.printf(Locale.ROOT, "  round %d: parse core %.0f/s jackson %.0f/s; write core %.0f/s jackson"
                        + " %.0f/s; codec round trip %.0f/s%n", r, round[0], round[1], round[2], round[3], round[4]);
            }
        }
        double[] m = new double[5];
        for (int k = 0; k < m.length; k++) {
            int col = k;
            m[k] = Median.of(rates.stream().map(x -> x[col]).toList());
        }
        out.printf(Locale.ROOT, "median: parse core %.0f/s, jackson %.0f/s (core/jackson %.2f); write core %.0f/s,"
                + " jackson %.0f/s (core/jackson %.2f); codec round trip %.0f/s%n", m[0], m[1], m[0] / m[1], m[2],
                m[3], m[2] / m[3], m[4]);
        out.printf(Locale.ROOT, "RESULT parse_core_per_s=%.0f parse_jackson_per_s=%.0f parse_ratio=%.2f"
                + " write_core_per_s=%.0f write_jackson_per_s=%.0f write_ratio=%.2f codec_round_trip_per_s=%.0f%n",
                m[0], m[1], m[0] / m[1], m[2], m[3], m[2] / m[3], m[4]);
    }

    @FunctionalInterface
    private interface Op {
        int apply() throws Exception;
    }

    private static double rate(int n, Op op) throws Exception {
        long sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += op.apply();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        if (sink == 42) {
            System.out.print("");
        }
        return n / sec;
    }
}
