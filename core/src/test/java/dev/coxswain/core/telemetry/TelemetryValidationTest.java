package dev.coxswain.core.telemetry;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

class TelemetryValidationTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00Z");

    private static StepReport step(String job, double stepMs, double computeMs, int batch) {
        return new StepReport(job, "w0", 1, T, stepMs, computeMs, 0, 0, batch, Math.max(batch, 1),
                OptionalDouble.empty(), Optional.empty());
    }

    @Test
    void rejectsNanNegativeAndAbsurdStepTimesNamingTheField() {
        assertThatThrownBy(() -> step("j", Double.NaN, 0, 1)).hasMessage("StepReport.stepTimeMs: NaN");
        assertThatThrownBy(() -> step("j", -1, 0, 1)).hasMessage("StepReport.stepTimeMs: -1.0 is negative");
        assertThatThrownBy(() -> step("j", 1e12, 0, 1))
                .hasMessage("StepReport.stepTimeMs: 1.0E12 is above the plausible maximum 8.64E7");
        assertThatThrownBy(() -> step("j", Double.POSITIVE_INFINITY, 0, 1))
                .hasMessage("StepReport.stepTimeMs: infinite");
    }

    @Test
    void freeTextThatPeopleReadCarriesNoControlCharacters() {
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        assertThatThrownBy(() -> new JobEvent("j", java.util.Optional.of("w0"), t, "knob.rejected",
                java.util.Map.of("reason", "bad\u001b[2Jvalue")))
                .hasMessage("JobEvent.attributes.reason: contains the control character U+001B at index 3");
        assertThatThrownBy(() -> new JobEvent("j", java.util.Optional.empty(), t, "note",
                java.util.Map.of("text", "two\nlines"))).hasMessageContaining("U+000A at index 3");
        assertThat(new JobEvent("j", java.util.Optional.empty(), t, "note",
                java.util.Map.of("text", "<b>markup</b> & 'quotes' $(shell)")).attributes().get("text"))
                .as("markup and shell characters are text, shown as such").isEqualTo("<b>markup</b> & 'quotes' $(shell)");
    }

    @Test
    void rejectsPartsThatAddUpToMoreThanTheStep() {
        assertThatThrownBy(() -> step("j", 10, 50, 1)).isInstanceOf(InvalidTelemetryException.class)
                .hasMessageContaining("exceeds stepTimeMs");
    }

    @Test
    void rejectsIdentifiersWithSpacesOrControlCharacters() {
        assertThatThrownBy(() -> step("my job", 10, 1, 1)).hasMessageStartingWith("StepReport.jobId: 'my job'");
        assertThatThrownBy(() -> step("", 10, 1, 1)).hasMessageStartingWith("StepReport.jobId");
        assertThatThrownBy(() -> step("a\u0000b", 10, 1, 1)).hasMessageContaining("'a?b'");
        assertThat(step("job-1.a:b/c@d", 10, 1, 1).jobId()).isEqualTo("job-1.a:b/c@d");
    }

    @Test
    void rejectsTimestampsFromBrokenClocks() {
        assertThatThrownBy(() -> new JobEvent("j", Optional.empty(), Instant.EPOCH, "x", java.util.Map.of()))
                .hasMessageStartingWith("JobEvent.timestamp");
    }

    @Test
    void rejectsGpuUtilisationAboveHundredAndUsedAboveTotalMemory() {
        assertThatThrownBy(() -> new GpuSample("n", T, 0, "u", "g", OptionalDouble.of(101), 0, 1, OptionalDouble.of(1),
                OptionalDouble.empty(), OptionalDouble.of(1), OptionalDouble.empty(), OptionalDouble.of(40), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()))
                .hasMessageStartingWith("GpuSample.utilizationPct");
        assertThatThrownBy(() -> new GpuSample("n", T, 0, "u", "g", OptionalDouble.of(50), 2, 1, OptionalDouble.of(1),
                OptionalDouble.empty(), OptionalDouble.of(1), OptionalDouble.empty(), OptionalDouble.of(40), 0,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()))
                .hasMessageStartingWith("GpuSample.memoryUsedBytes");
    }

    @Test
    void rejectsMembershipInconsistentWithItsPattern() {
        var worker = new JobMembership.Member("w0", "n", 0, JobMembership.Role.WORKER);
        assertThatThrownBy(() -> new JobMembership("j", T, JobMembership.CommPattern.PARAMETER_SERVER, 0,
                List.of(worker))).hasMessage("JobMembership.members: a parameter-server job with no server");
        assertThatThrownBy(() -> new JobMembership("j", T, JobMembership.CommPattern.RING_ALLREDUCE, 0,
                List.of(worker, worker))).hasMessage("JobMembership.members: worker w0 listed twice");
    }

    @Test
    void rejectsTopologyLinksToUnknownGpus() {
        assertThatThrownBy(() -> new TopologyReport("n", T, List.of(new TopologyReport.GpuInfo(0, "u", "g")),
                List.of(new TopologyReport.GpuLink(0, 5, TopologyReport.LinkKind.NVLINK, 4)), List.of()))
                .hasMessageContaining("names a GPU that is not in gpus");
    }

    @Test
    void decodesThrottleReasonBits() {
        GpuSample g = new GpuSample("n", T, 0, "u", "g", OptionalDouble.of(50), 0, 1, OptionalDouble.of(1),
                OptionalDouble.empty(), OptionalDouble.of(1), OptionalDouble.empty(), OptionalDouble.of(40), 0x44,
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
        assertThat(g.activeThrottleReasons()).containsExactlyInAnyOrder(GpuSample.ThrottleReason.SW_POWER_CAP,
                GpuSample.ThrottleReason.HW_THERMAL_SLOWDOWN);
    }
}
