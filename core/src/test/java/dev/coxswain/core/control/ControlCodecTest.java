package dev.coxswain.core.control;

import dev.coxswain.core.knob.Knob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlCodecTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    static Action rebalance() {
        return new Action("c1-1", "j1", List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 73),
                KnobSetting.worker("w3", Knob.BATCH_SIZE, 37L)), "rebalance", "w3 computes at 0.5x its peers",
                Map.of("w3.samples_per_s", 750.0), new ExpectedEffect(170.6, 97.5), "collector-1", false, T0,
                T0.plusSeconds(30), Optional.empty(), Optional.of("w3"),
                List.of(KnobSetting.worker("w0", Knob.BATCH_SIZE, 64), KnobSetting.worker("w3", Knob.BATCH_SIZE, 64)));
    }

    @Test
    void actionsAndOutcomesRoundTrip() {
        Action a = rebalance();
        assertThat(ControlCodec.decode(ControlCodec.encode(a))).isEqualTo(new ControlCodec.Decoding.Decoded(a));
        Action revert = new Action("c1-2", "j1", List.of(KnobSetting.job(Knob.STALENESS, 0)), "rollback", "worse",
                Map.of(), new ExpectedEffect(120, 100), "collector-1", true, T0, T0.plusSeconds(5),
                Optional.of("c1-1"), Optional.empty(), List.of());
        assertThat(ControlCodec.decode(ControlCodec.encode(revert)))
                .isEqualTo(new ControlCodec.Decoding.Decoded(revert));
        ActionOutcome o = new ActionOutcome("c1-1", "j1", ActionOutcome.Status.VERIFIED, T0.plusSeconds(9),
                "step 99 ms, expected 97.5", OptionalDouble.of(99.1));
        assertThat(ControlCodec.decode(ControlCodec.encode(o))).isEqualTo(new ControlCodec.Decoding.Decoded(o));
        assertThat(ActionOutcome.Status.ROLLED_BACK.label()).isEqualTo("rolled_back");
    }

    @Test
    void badRecordsAreRejectedNamingTheField() {
        String good = new String(ControlCodec.encode(rebalance()), StandardCharsets.UTF_8);
        assertThat(rejected(good.replace("\"value\":37", "\"value\":0")))
                .isEqualTo("settings[1].batch_size: 0 is outside [1, 16777216]");
        assertThat(rejected(good.replace("\"knob\":\"batch_size\"", "\"knob\":\"batchsize\"")))
                .contains("unknown knob 'batchsize'");
        assertThat(rejected(good.replace("\"v\":1", "\"v\":2"))).contains("format version 2");
        assertThat(rejected(good.replace("\"job\":\"j1\"", "\"job\":\"\""))).startsWith("Action.job:");
        assertThat(rejected(good.replace("\"dryRun\":false", "\"dryRun\":\"no\""))).contains("'dryRun'");
        assertThat(rejected(good.replace("\"type\":\"action\"", "\"type\":\"order\""))).contains("'order'");
        assertThat(rejected("{")).isNotBlank();
        assertThat(ControlCodec.decode(new byte[]{(byte) 0xC7, 1, 2})).isInstanceOf(ControlCodec.Decoding.Rejected.class);
    }

    @Test
    void actionsCheckTheirFields() {
        assertThatThrownBy(() -> KnobSetting.worker("w1", Knob.STALENESS, 3))
                .hasMessageContaining("whole job");
        assertThatThrownBy(() -> new Action("c1-1", "j1", List.of(), "rebalance", "x", Map.of(),
                new ExpectedEffect(1, 1), "c", false, T0, T0.plusSeconds(1), Optional.empty(), Optional.empty(), List.of()))
                .hasMessageStartingWith("Action.settings:");
        assertThatThrownBy(() -> new Action("c1-1", "j1", List.of(KnobSetting.job(Knob.STALENESS, 1)), "p", "x",
                Map.of(), new ExpectedEffect(1, 1), "c", false, T0, T0, Optional.empty(), Optional.empty(), List.of()))
                .hasMessageStartingWith("Action.deadline:");
        assertThatThrownBy(() -> new ExpectedEffect(0, 1)).hasMessageStartingWith("expected.stepTimeMsBefore");
    }

    @Test
    void signaturesVerifyOnlyTheSignedBytesWithTheSameSecret() {
        KnobSignature s = new KnobSignature("0123456789abcdef-secret");
        byte[] msg = ControlCodec.encode(rebalance());
        String sig = s.sign(msg);
        assertThat(s.verify(msg, sig)).isTrue();
        byte[] tampered = msg.clone();
        tampered[10] ^= 1;
        assertThat(s.verify(tampered, sig)).isFalse();
        assertThat(new KnobSignature("another-secret-of-16").verify(msg, sig)).isFalse();
        assertThat(s.verify(msg, null)).isFalse();
        assertThat(s.verify(msg, "zz")).isFalse();
        assertThatThrownBy(() -> new KnobSignature("short")).hasMessageContaining("at least 16");
    }

    private static String rejected(String json) {
        ControlCodec.Decoding d = ControlCodec.decode(json.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isInstanceOf(ControlCodec.Decoding.Rejected.class);
        return ((ControlCodec.Decoding.Rejected) d).detail();
    }
}
