package dev.coxswain.transport;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlCodec;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.control.KnobSignature;
import dev.coxswain.core.knob.Knob;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The knob intake's checks on single records. The dead-letter producer is Kafka's own MockProducer; the whole path
 * through a real broker is in ControllerIT.
 */
class KnobCommandsTest {
    static final String SECRET = "knob-commands-test-secret";
    final MockProducer<String, byte[]> deadLetterProducer = new MockProducer<>(true, null, new StringSerializer(),
            new ByteArraySerializer());
    final List<Action> handled = new ArrayList<>();
    final KnobCommands intake = new KnobCommands(KafkaSettings.of("127.0.0.1:1"), new KnobSignature(SECRET),
            new DeadLetters(deadLetterProducer, "dl"), "test", handled::add);
    long offset;

    static Action action(boolean dryRun) {
        Instant t = Instant.parse("2026-12-06T10:00:00Z");
        return new Action("a-1", "j", List.of(KnobSetting.job(Knob.STALENESS, 2)), "staleness", "w1 is slow",
                Map.of(), new ExpectedEffect(100, 80), "c1", dryRun, t, t.plusSeconds(30), Optional.empty(),
                Optional.empty(), List.of());
    }

    ConsumerRecord<String, byte[]> record(byte[] value, String signature) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("coxswain.knobs", 0, offset++, "j", value);
        if (signature != null) {
            r.headers().add(KnobSignature.HEADER, signature.getBytes(StandardCharsets.US_ASCII));
        }
        return r;
    }

    ConsumerRecord<String, byte[]> signed(byte[] value) {
        return record(value, new KnobSignature(SECRET).sign(value));
    }

    List<String> deadLetterReasons() {
        return deadLetterProducer.history().stream().map(r -> new String(r.headers()
                .lastHeader(DeadLetters.REASON_HEADER).value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void handsOnASignedAction() {
        intake.handle(signed(ControlCodec.encode(action(false))));
        assertThat(handled).containsExactly(action(false));
        assertThat(intake.accepted()).isEqualTo(1);
        assertThat(deadLetterProducer.history()).isEmpty();
    }

    @Test
    void refusesWhatIsUnsignedForgedMalformedOrNotAnAction() {
        byte[] good = ControlCodec.encode(action(false));
        intake.handle(record(good, null));
        intake.handle(record(good, new KnobSignature("another-secret-xyz").sign(good)));
        intake.handle(record(good, "not hex"));
        byte[] tampered = new String(good, StandardCharsets.UTF_8).replace("\"value\":2", "\"value\":900")
                .getBytes(StandardCharsets.UTF_8);
        intake.handle(record(tampered, new KnobSignature(SECRET).sign(good)));
        intake.handle(signed("{\"v\":1,\"type\":\"action\"}".getBytes(StandardCharsets.UTF_8)));
        intake.handle(signed(ControlCodec.encode(action(true))));
        intake.handle(signed(ControlCodec.encode(ActionOutcome.of(action(false), ActionOutcome.Status.VERIFIED,
                Instant.parse("2026-12-06T10:00:05Z"), "ok"))));
        intake.handle(record(null, new KnobSignature(SECRET).sign(new byte[0])));

        assertThat(handled).isEmpty();
        assertThat(intake.refused()).isEqualTo(Map.of("unsigned", 1L, "bad_signature", 3L, "malformed", 2L,
                "dry_run", 1L, "not_an_action", 1L));
        assertThat(deadLetterReasons()).containsExactly("knobs.unsigned", "knobs.bad_signature",
                "knobs.bad_signature", "knobs.bad_signature", "knobs.malformed", "knobs.dry_run",
                "knobs.not_an_action", "knobs.malformed");
    }

    /**
     * The bad-input drill at the knobs topic: 10,000 records made from a valid signed action by flipping a byte, cutting
     * it short, or signing a broken one (a knob out of range, a field of the wrong type, not JSON). Each is refused
     * with a reason, counted and dead-lettered; none is handed on, and a valid action afterwards still is.
     */
    @Test
    void tenThousandBrokenRecordsAreRefusedAndDeadLetteredAndNoneIsHandedOn() {
        byte[] good = ControlCodec.encode(action(false));
        String json = new String(good, StandardCharsets.UTF_8);
        java.util.SplittableRandom random = new java.util.SplittableRandom(16);
        for (int i = 0; i < 10_000; i++) {
            switch (i % 4) {
                case 0 -> {
                    byte[] flipped = good.clone();
                    flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
                    intake.handle(record(flipped, new KnobSignature(SECRET).sign(good)));
                }
                case 1 -> intake.handle(signed(java.util.Arrays.copyOf(good, random.nextInt(good.length))));
                case 2 -> intake.handle(signed(json.replace("\"value\":2", "\"value\":" + (-1 - random.nextInt(1000)))
                        .getBytes(StandardCharsets.UTF_8)));
                default -> intake.handle(signed(json.replace("\"job\":\"j\"", "\"job\":" + random.nextInt())
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(handled).isEmpty();
        assertThat(intake.refused().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_000);
        assertThat(intake.refused().keySet()).containsOnly("bad_signature", "malformed");
        assertThat(deadLetterReasons()).hasSize(10_000);
        intake.handle(signed(good));
        assertThat(handled).containsExactly(action(false));
    }
}
