package dev.coxswain.core.detection;

import dev.coxswain.core.detection.StragglerEpisode.End;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import dev.coxswain.core.json.JsonException;
import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.json.JsonWriter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 *  "endStep":null,"endedAt":null,"endReason":null}
 * </pre>
 * Times are ISO-8601 UTC; absent values are {@code null}; {@code gpu} is -1 when unknown. {@code v} is the format
 * version: this class writes {@value #VERSION} and reads only versions it knows. Within a version fields may be added
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
        return JsonWriter.write(json).getBytes(StandardCharsets.UTF_8);
    }

    public static Decoding decode(byte[] bytes) {
        try {
            Fields f = new Fields(JsonParser.parseObject(utf8(bytes)));
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
                    f.time("startedAt"), f.integer("lastStep"), f.time("updatedAt"), end);
            return new Decoding.Decoded(new EpisodeEvent(kind, episode));
        } catch (EpisodeFormatException | JsonException | IllegalArgumentException e) {
            return new Decoding.Rejected(e.getMessage());
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new EpisodeFormatException("not UTF-8: " + e.getMessage());
        }
    }

    /** Typed access to the parsed fields, each failure naming its field. */
    private record Fields(Map<String, Object> values) {

        boolean has(String name) {
            Object v = values.get(name);
            return v != null && v != JsonParser.NULL;
        }

        private Object required(String name) {
            Object v = values.get(name);
            if (!has(name)) {
                throw new EpisodeFormatException("field '" + name + "' is missing or null");
            }
            return v;
        }

        String text(String name) {
            if (required(name) instanceof String s) {
                return s;
            }
            throw new EpisodeFormatException("field '" + name + "': expected a string");
        }

        Optional<String> optionalText(String name) {
            return has(name) ? Optional.of(text(name)) : Optional.empty();
        }

        double number(String name) {
            if (required(name) instanceof Number n) {
                return n.doubleValue();
            }
            throw new EpisodeFormatException("field '" + name + "': expected a number");
        }

        long integer(String name) {
            return switch (required(name)) {
                case Long l -> l;
                case Double d -> throw new EpisodeFormatException("field '" + name + "': expected an integer, got "
                        + d);
                default -> throw new EpisodeFormatException("field '" + name + "': expected an integer");
            };
        }

        Instant time(String name) {
            String t = text(name);
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw new EpisodeFormatException("field '" + name + "': expected an ISO-8601 time, got '" + t + "'");
            }
        }

        Optional<Instant> optionalTime(String name) {
            return has(name) ? Optional.of(time(name)) : Optional.empty();
        }

        <E extends Enum<E>> E enumeration(String name, Class<E> type) {
            String t = text(name);
            try {
                return Enum.valueOf(type, t.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new EpisodeFormatException("field '" + name + "': unknown value '" + t + "'");
            }
        }
    }
}
