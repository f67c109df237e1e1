package dev.coxswain.core.wire;

import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.core.telemetry.TopologyReport;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class TelemetryCodecTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00.123456Z");

    static StepReport step(String job, String worker, long step, double ms, boolean gradient) {
        return new StepReport(job, worker, step, T, ms, ms * 0.5, ms * 0.3, ms * 0.1, 32, 32,
                OptionalDouble.of(0.5), gradient ? Optional.of(new StepReport.GradientStats(1.5, 20))
                : Optional.empty());
    }

    static List<Telemetry> oneOfEach() {
        GpuSample gpu = new GpuSample("node-1", T, 3, "GPU-abc", "NVIDIA H100", OptionalDouble.of(97.5), 1L << 30,
                80L << 30, OptionalDouble.of(1980), OptionalDouble.of(1980), OptionalDouble.of(650.2),
                OptionalDouble.empty(), OptionalDouble.of(61), 0x44, OptionalDouble.empty(), OptionalDouble.of(1e9),
                OptionalDouble.empty(), OptionalDouble.of(3e10));
        HostSample host = new HostSample("node-1", T, 41.5, 0.5, 64L << 30, 32L << 30,
                List.of(new HostSample.NicSample("eth0", 1e6, 2e6, 1, 2, 3, 4)),
                List.of(new HostSample.IbPortSample("mlx5_0", 1, 1e9, 2e9, 0, 1, 2, 3)));
        TopologyReport topo = new TopologyReport("node-1", T,
                List.of(new TopologyReport.GpuInfo(0, "GPU-a", "H100"), new TopologyReport.GpuInfo(1, "GPU-b", "H100")),
                List.of(new TopologyReport.GpuLink(0, 1, TopologyReport.LinkKind.NVLINK, 18)),
                List.of(new TopologyReport.NicInfo("mlx5_0", TopologyReport.NicKind.INFINIBAND, 400e9, List.of(0, 1),
                        Optional.of("tor-1"))));
        JobMembership job = new JobMembership("job-1", T, JobMembership.CommPattern.PARAMETER_SERVER, 431_080,
                List.of(new JobMembership.Member("ps0", "node-1", -1, JobMembership.Role.PARAMETER_SERVER),
                        new JobMembership.Member("w0", "node-1", 0, JobMembership.Role.WORKER)));
        JobEvent event = new JobEvent("job-1", Optional.of("w0"), T, "injection.start",
                Map.of("fault", "slowdown", "factor", "2.0"));
        return List.of(step("job-1", "w0", 7, 80, true), step("job-1", "w1", 8, 80, false), gpu, host, topo, job,
                event);
    }

    @Test
    void roundTripsOneRecordOfEveryType() {
        for (Telemetry t : oneOfEach()) {
            assertThat(TelemetryCodec.decode(TelemetryCodec.encode(t))).isEqualTo(new DecodeResult.Decoded(t));
        }
    }

    @Property
    void roundTripsArbitraryValidStepReports(@ForAll("steps") StepReport report) {
        assertThat(TelemetryCodec.decode(TelemetryCodec.encode(report))).isEqualTo(new DecodeResult.Decoded(report));
    }

    @Provide
    Arbitrary<StepReport> steps() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("._-:")
                .ofMinLength(1).ofMaxLength(40).filter(s -> Character.isLetterOrDigit(s.charAt(0)));
        Arbitrary<Double> ms = Arbitraries.doubles().between(0.01, 1e6);
        return Combinators.combine(ids, ids, Arbitraries.longs().between(0, Long.MAX_VALUE), ms,
                        Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 1 << 20),
                        Arbitraries.doubles().between(-1e6, 1e6).optional(), Arbitraries.of(true, false))
                .as((job, worker, step, stepMs, share, batch, loss, grad) -> new StepReport(job, worker, step, T,
                        stepMs, stepMs * share * 0.5, stepMs * share * 0.3, stepMs * share * 0.2, batch, batch,
                        loss.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
                        grad ? Optional.of(new StepReport.GradientStats(stepMs, share)) : Optional.empty()));
    }

    @Property(tries = 2000)
    void neverThrowsOnArbitraryBytes(@ForAll @Size(max = 200) byte[] bytes) {
        assertThat(TelemetryCodec.decode(bytes)).isInstanceOf(DecodeResult.Rejected.class);
    }

    @Property(tries = 500)
    void rejectsCorruptedValidRecordsWithoutThrowing(@ForAll("positions") int position, @ForAll byte value) {
        for (Telemetry t : oneOfEach()) {
            byte[] bytes = TelemetryCodec.encode(t);
            bytes[position % bytes.length] = value;
            DecodeResult result = TelemetryCodec.decode(bytes);
            if (result instanceof DecodeResult.Rejected r) {
                assertThat(r.detail()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Test
    void everyTruncationIsMalformedAndSaysWhere() {
        for (Telemetry t : oneOfEach()) {
            byte[] bytes = TelemetryCodec.encode(t);
            for (int n = 0; n < bytes.length; n++) {
                DecodeResult r = TelemetryCodec.decode(Arrays.copyOf(bytes, n));
                assertThat(r).as("%s truncated to %d bytes", t.getClass().getSimpleName(), n)
                        .isInstanceOfSatisfying(DecodeResult.Rejected.class, x -> {
                            assertThat(x.reason()).isEqualTo(DecodeResult.Reason.MALFORMED);
                            assertThat(x.detail()).containsAnyOf("truncated", "shorter than its header");
                        });
            }
        }
    }

    @Test
    void readsAVersionOneGpuSampleWhoseReadingsWereAlwaysPresent() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        byte[] v1 = new WireWriter().u8(TelemetryCodec.MAGIC).u8(1).u8(2)
                .string("node-a").instant(t).i32(3).string("GPU-1").string("H100")
                .f64(97).i64(1L << 30).i64(80L << 30).f64(1980).optionalDouble(OptionalDouble.of(1980)).f64(650)
                .optionalDouble(OptionalDouble.empty()).f64(61).i64(0)
                .optionalDouble(OptionalDouble.empty()).optionalDouble(OptionalDouble.empty())
                .optionalDouble(OptionalDouble.empty()).optionalDouble(OptionalDouble.empty()).toByteArray();

        assertThat(TelemetryCodec.decode(v1)).isEqualTo(new DecodeResult.Decoded(new GpuSample("node-a", t, 3,
                "GPU-1", "H100", OptionalDouble.of(97), 1L << 30, 80L << 30, OptionalDouble.of(1980),
                OptionalDouble.of(1980), OptionalDouble.of(650), OptionalDouble.empty(), OptionalDouble.of(61), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty())));
    }

    @Test
    void readsAVersionTwoStepReportWithoutADataLoadingTimeAndRoundTripsOneWithIt() {
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        byte[] v2 = new WireWriter().u8(TelemetryCodec.MAGIC).u8(2).u8(1)
                .string("job").string("w0").i64(7).instant(t).f64(100).f64(60).f64(20).f64(5).i32(32).i32(32)
                .optionalDouble(OptionalDouble.empty()).bool(false).toByteArray();
        StepReport old = new StepReport("job", "w0", 7, t, 100, 60, 20, 5, 32, 32, OptionalDouble.empty(),
                Optional.empty());
        assertThat(TelemetryCodec.decode(v2)).isEqualTo(new DecodeResult.Decoded(old));
        assertThat(old.dataMs()).isEmpty();
        assertThat(old.inputMs()).as("the rest of the step").isEqualTo(15);

        StepReport timed = new StepReport("job", "w0", 7, t, 100, 60, 20, 5, 32, 32, OptionalDouble.empty(),
                Optional.empty(), OptionalDouble.of(12));
        assertThat(TelemetryCodec.decode(TelemetryCodec.encode(timed))).isEqualTo(new DecodeResult.Decoded(timed));
        assertThat(timed.inputMs()).isEqualTo(12);
    }

    @Test
    void aGpuSampleWithoutReadingsRoundTripsWithoutMadeUpZeros() {
        GpuSample mig = new GpuSample("node-a", Instant.parse("2025-01-01T00:00:00Z"), 0, "MIG-1", "A100 MIG",
                OptionalDouble.empty(), 1L << 30, 10L << 30, OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), 0, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        assertThat(TelemetryCodec.decode(TelemetryCodec.encode(mig))).isEqualTo(new DecodeResult.Decoded(mig));
    }

    @Test
    void trailingBytesAreMalformed() {
        byte[] bytes = TelemetryCodec.encode(oneOfEach().get(0));
        DecodeResult r = TelemetryCodec.decode(Arrays.copyOf(bytes, bytes.length + 3));
        assertThat(r).isEqualTo(new DecodeResult.Rejected(DecodeResult.Reason.MALFORMED,
                "3 trailing bytes after byte " + bytes.length));
    }

    @Test
    void unknownVersionAndTypeAreRejectedNotFatal() {
        byte[] bytes = TelemetryCodec.encode(oneOfEach().get(0));
        bytes[1] = 9;
        assertThat(TelemetryCodec.decode(bytes)).isEqualTo(new DecodeResult.Rejected(
                DecodeResult.Reason.UNKNOWN_VERSION, "schema version 9; this reader knows 1 to 3"));
        bytes[1] = 0;
        assertThat(TelemetryCodec.decode(bytes)).isEqualTo(new DecodeResult.Rejected(
                DecodeResult.Reason.UNKNOWN_VERSION, "schema version 0; this reader knows 1 to 3"));
        bytes[1] = 2;
        bytes[2] = 42;
        assertThat(TelemetryCodec.decode(bytes))
                .isEqualTo(new DecodeResult.Rejected(DecodeResult.Reason.UNKNOWN_TYPE, "type tag 42"));
    }

    @Test
    void invalidValuesOnTheWireAreRejectedNamingTheField() {
        byte[] bytes = TelemetryCodec.encode(step("job-1", "w0", 7, 80, false));
        // stepTimeMs follows header(3) + "job-1"(2+5) + "w0"(2+2) + step(8) + timestamp(8).
        int at = 3 + 7 + 4 + 8 + 8;
        long nan = Double.doubleToRawLongBits(Double.NaN);
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = (byte) (nan >>> (56 - 8 * i));
        }
        assertThat(TelemetryCodec.decode(bytes)).isEqualTo(
                new DecodeResult.Rejected(DecodeResult.Reason.INVALID, "StepReport.stepTimeMs: NaN"));
    }

    @Test
    void rejectsBytesThatAreNotACoxswainRecord() {
        assertThat(TelemetryCodec.decode("{\"job\":1}".getBytes()))
                .isInstanceOfSatisfying(DecodeResult.Rejected.class,
                        r -> assertThat(r.detail()).isEqualTo("byte 0 is 0x7B, not the magic 0xC7"));
        assertThat(TelemetryCodec.decode(null)).isInstanceOf(DecodeResult.Rejected.class);
    }
}
