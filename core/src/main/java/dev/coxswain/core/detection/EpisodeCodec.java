package dev.coxswain.core.detection;

import dev.coxswain.core.detection.StragglerEpisode.End;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonFields;
import dev.coxswain.core.json.JsonWriter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The encoding of {@link EpisodeEvent}s on the detections topic: one flat JSON object per record, UTF-8 (numbers
 * with an integral value are written without a fraction), e.g.
 * <pre>
 * {"v":1,"event":"start","episode":"demo-job/w5/57","job":"demo-job","worker":"w5","node":"node-b","gpu":1,
 *  "cause":"gpu_compute","detail":"HW_THERMAL_SLOWDOWN, SM clock 1095/1980 MHz","slowdown":1.55,
 *  "confidence":0.9,"score":1,"sinceStep":57,"since":"2025-01-01T00:00:05.700Z",
 *  "startedAt":"2025-01-01T00:00:06.200Z","lastStep":57,"updatedAt":"2025-01-01T00:00:06.200Z",
 *  "endStep":null,"endedAt":null,"endReason":null,"mitigatedBy":null}
 * </pre>
 * Times are ISO-8601 UTC; absent values are {@code null}; {@code gpu} is -1 when unknown. {@code v} is the format
 * version: this class writes {@value #VERSION} and reads only versions it knows. Within a version fields may be added
 * ({@code mitigatedBy}, the controller action that mitigated the episode, was)
 * (readers ignore fields they do not know), never removed or changed in meaning. {@code episode} is derived (job,
 * worker and since-step) and is not read back. The full description is in docs/detection.md.
 *
 * <p>Stateless and thread-safe. {@link #decode} never throws: bad bytes come back as a {@link Decoding.Rejected}
 * whose detail says what was wrong and where.
 */
public final class EpisodeCodec {
    public static final int VERSION = 1;

    private EpisodeCodec() {
    }

    /** The outcome of decoding one record. */
    public sealed interface Decoding {
        record Decoded(EpisodeEvent event) implements Decoding {
        }

        /** @param detail what was wrong and where, e.g. {@code field 'slowdown': expected a number} */
        record Rejected(String detail) implements Decoding {
        }
    }

    public static byte[] encode(EpisodeEvent event) {
        StragglerEpisode e = event.episode();
        Optional<End> end = e.end();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("v", VERSION);
        json.put("event", event.kind().label());
        json.put("episode", e.id());
        json.put("job", e.jobId());
        json.put("worker", e.workerId());
        json.put("node", e.nodeId().orElse(null));
        json.put("gpu", e.gpuIndex());
        json.put("cause", e.cause());
        json.put("detail", e.detail());
        json.put("slowdown", e.slowdown());
        json.put("confidence", e.confidence());
        json.put("score", e.score());
        json.put("sinceStep", e.sinceStep());
        json.put("since", e.since().map(Instant::toString).orElse(null));
        json.put("startedAt", e.startedAt().toString());
        json.put("lastStep", e.lastStep());
        json.put("updatedAt", e.updatedAt().toString());
        json.put("endStep", end.map(End::step).orElse(null));
        json.put("endedAt", end.map(x -> x.at().toString()).orElse(null));
        json.put("endReason", end.map(x -> x.reason().label()).orElse(null));
        json.put("mitigatedBy", e.mitigatedBy().orElse(null));
        return JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
    }

    public static Decoding decode(byte[] bytes) {
        try {
            JsonFields f = JsonFields.parse(bytes);
            long version = f.integer("v");
            if (version != VERSION) {
                return new Decoding.Rejected("format version " + version + "; this build reads version " + VERSION);
            }
            EpisodeEvent.Kind kind = f.enumeration("event", EpisodeEvent.Kind.class);
            Optional<End> end = f.has("endStep") ? Optional.of(new End(f.integer("endStep"), f.time("endedAt"),
                    f.enumeration("endReason", EndReason.class))) : Optional.empty();
            StragglerEpisode episode = new StragglerEpisode(f.text("job"), f.text("worker"), f.optionalText("node"),
                    (int) f.integer("gpu"), f.text("cause"), f.text("detail"), f.number("slowdown"),
                    f.number("confidence"), f.number("score"), f.integer("sinceStep"), f.optionalTime("since"),
                    f.time("startedAt"), f.integer("lastStep"), f.time("updatedAt"), end,
                    f.optionalText("mitigatedBy"));
            return new Decoding.Decoded(new EpisodeEvent(kind, episode));
        } catch (JsonException | IllegalArgumentException e) {
            return new Decoding.Rejected(e.getMessage());
        }
    }
}
