package dev.coxswain.core.detection;

import dev.coxswain.core.detection.EpisodeCodec.Decoding;
import dev.coxswain.core.detection.StragglerEpisode.End;
import dev.coxswain.core.detection.StragglerEpisode.EndReason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EpisodeCodecTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:06.200Z");

    static StragglerEpisode open() {
        return new StragglerEpisode("demo-job", "w5", Optional.of("node-b"), 1, "gpu_compute",
                "HW_THERMAL_SLOWDOWN, SM clock 1095/1980 MHz", 1.55, 0.9, 1.0, 57,
                Optional.of(Instant.parse("2025-01-01T00:00:05.700Z")), T, 57, T, Optional.empty());
    }

    private static Object decoded(byte[] bytes) {
        return switch (EpisodeCodec.decode(bytes)) {
            case Decoding.Decoded d -> d.event();
            case Decoding.Rejected r -> r.detail();
        };
    }

    private static String rejection(String json) {
        Decoding d = EpisodeCodec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isInstanceOf(Decoding.Rejected.class);
        return ((Decoding.Rejected) d).detail();
    }

    @Test
    void writesTheDocumentedJson() {
        String json = new String(EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.START, open())),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"v\":1,\"event\":\"start\",\"episode\":\"demo-job/w5/57\",\"job\":\"demo-job\","
                + "\"worker\":\"w5\",\"node\":\"node-b\",\"gpu\":1,\"cause\":\"gpu_compute\","
                + "\"detail\":\"HW_THERMAL_SLOWDOWN, SM clock 1095/1980 MHz\",\"slowdown\":1.55,\"confidence\":0.9,"
                + "\"score\":1,\"sinceStep\":57,\"since\":\"2025-01-01T00:00:05.700Z\","
                + "\"startedAt\":\"2025-01-01T00:00:06.200Z\",\"lastStep\":57,\"updatedAt\":\"2025-01-01T00:00:06.200Z\","
                + "\"endStep\":null,\"endedAt\":null,\"endReason\":null,\"mitigatedBy\":null}");
    }

    @Test
    void roundTripsAnEndedEpisodeWithoutPlacement() {
        StragglerEpisode e = new StragglerEpisode("j", "w \"quoted\"\n", Optional.empty(), -1, "unknown", "", 1.2,
                0, 0.5, 3, Optional.empty(), T, 9, T.plusSeconds(2), Optional.empty())
                .ended(new End(12, T.plusSeconds(3), EndReason.WORKER_GONE));
        EpisodeEvent event = new EpisodeEvent(EpisodeEvent.Kind.END, e);
        assertThat(decoded(EpisodeCodec.encode(event))).isEqualTo(event);
    }

    @Property(tries = 300)
    void decodesWhatItEncodes(@ForAll("events") EpisodeEvent event) {
        assertThat(decoded(EpisodeCodec.encode(event))).isEqualTo(event);
    }

    @Provide
    Arbitrary<EpisodeEvent> events() {
        Arbitrary<String> ids = Arbitraries.strings().ofMinLength(1).ofMaxLength(20).filter(s -> !s.isBlank());
        Arbitrary<Instant> times = Arbitraries.longs().between(946_684_800_000L, 4_102_444_800_000L)
                .map(Instant::ofEpochMilli);
        Arbitrary<Double> slowdowns = Arbitraries.doubles().between(1e-6, 1e5).ofScale(9);
        Arbitrary<Double> units = Arbitraries.doubles().between(0, 1).ofScale(12);
        Arbitrary<Long> steps = Arbitraries.longs().between(0, Long.MAX_VALUE / 2);
        return Combinators.combine(ids, ids, slowdowns, units, steps, times, Arbitraries.integers().between(-1, 64),
                Arbitraries.of(EndReason.class).injectNull(0.5)).as((job, worker, slowdown, unit, step, at, gpu, end) -> {
                    StragglerEpisode e = new StragglerEpisode(job, worker, gpu < 0 ? Optional.empty()
                            : Optional.of(worker), gpu, "network", job, slowdown, unit, unit, step,
                            gpu % 2 == 0 ? Optional.of(at) : Optional.empty(), at, step + 1, at.plusMillis(5),
                            Optional.empty());
                    return end == null ? new EpisodeEvent(gpu % 3 == 0 ? EpisodeEvent.Kind.START
                            : EpisodeEvent.Kind.UPDATE, e)
                            : new EpisodeEvent(EpisodeEvent.Kind.END, e.ended(new End(step + 2, at.plusSeconds(1), end)));
                });
    }

    @Test
    void ignoresFieldsItDoesNotKnowInTheSameVersion() {
        String json = new String(EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.UPDATE, open())),
                StandardCharsets.UTF_8).replace("{\"v\":1,", "{\"v\":1,\"newField\":[],".replace("[]", "\"x\""));
        assertThat(decoded(json.getBytes(StandardCharsets.UTF_8))).isInstanceOf(EpisodeEvent.class);
    }

    @Test
    void rejectsAnotherVersionAndSaysWhich() {
        assertThat(rejection("{\"v\":2,\"event\":\"start\"}")).isEqualTo("format version 2; this build reads version 1");
    }

    @Test
    void namesTheFieldThatIsWrong() {
        String good = new String(EpisodeCodec.encode(new EpisodeEvent(EpisodeEvent.Kind.START, open())),
                StandardCharsets.UTF_8);
        assertThat(rejection(good.replace("\"slowdown\":1.55", "\"slowdown\":\"fast\"")))
                .isEqualTo("field 'slowdown': expected a number");
        assertThat(rejection(good.replace("\"slowdown\":1.55", "\"slowdown\":-1")))
                .contains("StragglerEpisode.slowdown must be a positive number");
        assertThat(rejection(good.replace("\"event\":\"start\"", "\"event\":\"begin\"")))
                .isEqualTo("field 'event': unknown value 'begin'");
        assertThat(rejection(good.replace(",\"job\":\"demo-job\"", ""))).isEqualTo("field 'job' is missing or null");
        assertThat(rejection(good.replace("\"gpu\":1", "\"gpu\":1.5")))
                .isEqualTo("field 'gpu': expected an integer, got 1.5");
    }

    @Test
    void rejectsMalformedJsonWithThePosition() {
        assertThat(rejection("{\"v\":1,}")).isEqualTo("expected a member name in double quotes at offset 7");
        assertThat(rejection("{\"v\":1} x")).isEqualTo("unexpected text after the JSON value at offset 8");
        assertThat(rejection("{\"v\":{}}")).isEqualTo("field 'v': expected an integer");
        assertThat(rejection("")).isEqualTo("unexpected end of text at offset 0");
        assertThat(EpisodeCodec.decode(new byte[] {(byte) 0xC7, 1, 2})).isInstanceOf(Decoding.Rejected.class);
    }

    @Test
    void anEndEventMustCarryAnEndedEpisode() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EpisodeEvent(EpisodeEvent.Kind.END, open()))
                .hasMessageContaining("a end event needs an episode that is ended");
    }
}
