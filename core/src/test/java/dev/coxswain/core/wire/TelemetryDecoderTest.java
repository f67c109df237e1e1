package dev.coxswain.core.wire;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryDecoderTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00.123456Z");

    /** A decoder whose tiny table has already seen every kind of record, so lookups hit, miss and collide. */
    private static TelemetryDecoder warmDecoder() {
        TelemetryDecoder decoder = new TelemetryDecoder(2);
        for (Telemetry t : TelemetryCodecTest.oneOfEach()) {
            decoder.decode(TelemetryCodec.encode(t));
        }
        return decoder;
    }

    @Test
    void decodesEveryRecordTypeAsTheStatelessCodecDoes() {
        TelemetryDecoder decoder = new TelemetryDecoder();
        for (int round = 0; round < 2; round++) {
            for (Telemetry t : TelemetryCodecTest.oneOfEach()) {
                byte[] bytes = TelemetryCodec.encode(t);
                assertThat(decoder.decode(bytes)).isEqualTo(TelemetryCodec.decode(bytes))
                        .isEqualTo(new DecodeResult.Decoded(t));
            }
        }
    }

    @Test
    void repeatedIdsComeBackAsTheSameString() {
        TelemetryDecoder decoder = new TelemetryDecoder();
        StepReport a = decoded(decoder, TelemetryCodecTest.step("job-1", "w0", 1, 80, false));
        StepReport b = decoded(decoder, TelemetryCodecTest.step("job-1", "w0", 2, 80, true));
        assertThat(b.jobId()).isSameAs(a.jobId());
        assertThat(b.workerId()).isSameAs(a.workerId());
    }

    @Test
    void idsThatShareASlotStayDistinct() {
        TelemetryDecoder decoder = new TelemetryDecoder(1);
        for (int i = 0; i < 50; i++) {
            String job = "job-" + (i % 3);
            String worker = "w" + (i % 5);
            StepReport r = decoded(decoder, TelemetryCodecTest.step(job, worker, i, 80, false));
            assertThat(r.jobId()).isEqualTo(job);
            assertThat(r.workerId()).isEqualTo(worker);
        }
    }

    @Property(tries = 300)
    void nonAsciiAndLongNamesDecodeExactly(@ForAll @StringLength(max = 128) String anyName,
                                           @ForAll @IntRange(min = 0, max = 3) int repeats) {
        // a name shows as it is, so it has no control characters (the record refuses them)
        String name = anyName.chars().mapToObj(c -> Character.isISOControl(c) ? "?" : String.valueOf((char) c))
                .collect(java.util.stream.Collectors.joining());
        TelemetryDecoder decoder = warmDecoder();
        GpuSample gpu = new GpuSample("node-1", T, 0, "GPU-" + name.length(), name, OptionalDouble.of(50), 1, 2,
                OptionalDouble.of(1000), OptionalDouble.empty(), OptionalDouble.of(100), OptionalDouble.empty(),
                OptionalDouble.of(40), 0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
        byte[] bytes = TelemetryCodec.encode(gpu);
        for (int i = 0; i <= repeats; i++) {
            assertThat(decoder.decode(bytes)).isEqualTo(new DecodeResult.Decoded(gpu));
        }
    }

    @Property(tries = 1000)
    void rejectsArbitraryBytesExactlyAsTheStatelessCodec(@ForAll @Size(max = 200) byte[] bytes) {
        assertThat(warmDecoder().decode(bytes)).isEqualTo(TelemetryCodec.decode(bytes));
    }

    @Property(tries = 500)
    void corruptedRecordsGetTheSameOutcomeAsFromTheStatelessCodec(@ForAll @IntRange(max = 10_000) int position,
                                                                  @ForAll byte value) {
        TelemetryDecoder decoder = warmDecoder();
        for (Telemetry t : TelemetryCodecTest.oneOfEach()) {
            byte[] bytes = TelemetryCodec.encode(t);
            bytes[position % bytes.length] = value;
            assertThat(decoder.decode(bytes)).isEqualTo(TelemetryCodec.decode(bytes));
        }
    }

    /**
     * The step path without a record accepts exactly the step reports {@link TelemetryDecoder#decode} makes, with
     * their values, and nothing else: every record type, intact and with one byte corrupted.
     */
    @Property(tries = 1000)
    void decodeStepAcceptsExactlyTheStepReportsDecodeMakes(@ForAll @IntRange(max = 10_000) int position,
                                                          @ForAll byte value, @ForAll boolean corrupt) {
        TelemetryDecoder decoder = warmDecoder();
        StepFields fields = new StepFields();
        for (Telemetry t : TelemetryCodecTest.oneOfEach()) {
            byte[] bytes = TelemetryCodec.encode(t);
            if (corrupt) {
                bytes[position % bytes.length] = value;
            }
            boolean read = decoder.decodeStep(bytes, fields);
            if (decoder.decode(bytes) instanceof DecodeResult.Decoded d && d.record() instanceof StepReport r) {
                assertThat(read).as("a valid step report").isTrue();
                assertThat(fields.jobId()).isEqualTo(r.jobId());
                assertThat(fields.workerId()).isEqualTo(r.workerId());
                assertThat(fields.step()).isEqualTo(r.step());
                assertThat(Instant.ofEpochSecond(fields.epochSecond(), fields.nano())).isEqualTo(r.timestamp());
                assertThat(fields.stepTimeMs()).isEqualTo(r.stepTimeMs());
                assertThat(fields.computeMs()).isEqualTo(r.computeMs());
                assertThat(fields.commMs()).isEqualTo(r.commMs());
                assertThat(fields.waitMs()).isEqualTo(r.waitMs());
                assertThat(fields.batchSize()).isEqualTo(r.batchSize());
                assertThat(fields.inputMs()).isEqualTo(r.inputMs());
            } else {
                assertThat(read).as("not a valid step report: " + t.getClass().getSimpleName()).isFalse();
            }
        }
    }

    @Test
    void stringsLongerThanAnIdAreNotRemembered() {
        IdTable table = new IdTable(4);
        byte[] longName = "x".repeat(IdTable.MAX_BYTES + 1).getBytes(StandardCharsets.UTF_8);
        String first = table.get(longName, 0, longName.length);
        assertThat(table.get(longName, 0, longName.length)).isEqualTo(first).isNotSameAs(first);
        byte[] id = "job-7".getBytes(StandardCharsets.UTF_8);
        assertThat(table.get(id, 0, id.length)).isSameAs(table.get(id.clone(), 0, id.length));
    }

    private static StepReport decoded(TelemetryDecoder decoder, StepReport r) {
        return (StepReport) ((DecodeResult.Decoded) decoder.decode(TelemetryCodec.encode(r))).record();
    }
}
