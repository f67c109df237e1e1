package dev.coxswain.agent.publish;

import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.LongStream;

import static dev.coxswain.agent.TestRecords.step;
import static org.assertj.core.api.Assertions.assertThat;

class SenderTest {
    private static final Duration TICK = Duration.ofMillis(1);

    private final MutableClock clock = MutableClock.atFixedStart();
    private final PublishBuffer buffer = new PublishBuffer(100, Journal.none(), clock);
    private final FakeSink sink = new FakeSink();
    private final Sender.Options options = new Sender.Options(10, Duration.ofMillis(100), Duration.ofMillis(800),
            Duration.ofSeconds(5), Duration.ofSeconds(1));
    private final Sender sender = new Sender(buffer, sink, options, clock);

    private void offer(long from, long to) {
        LongStream.range(from, to).forEach(i -> buffer.offer(step("j", "w", i)));
    }

    private void rounds(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            sender.runOnce(TICK);
        }
    }

    @Test
    void deliversEverythingInOrderWhileKafkaAnswers() throws InterruptedException {
        offer(0, 35);
        rounds(10);
        assertThat(sink.delivered()).hasSize(35);
        assertThat(sink.delivered().stream().map(r -> ((StepReport) r).step()).toList()).isSorted();
        assertThat(sender.sent()).isEqualTo(35);
        assertThat(sender.kafkaUp()).isTrue();
    }

    @Test
    void keepsRecordsBufferedAndProbesOneAtATimeWhileKafkaIsUnreachable() throws InterruptedException {
        offer(0, 20);
        sink.mode(FakeSink.Mode.DOWN);
        rounds(5);
        assertThat(sender.kafkaUp()).isFalse();
        assertThat(buffer.size()).isEqualTo(20);
        int attemptsBefore = sink.attempts();
        rounds(5); // the clock stands still: no probe before the back-off has passed
        assertThat(sink.attempts()).isEqualTo(attemptsBefore);
        clock.advance(Duration.ofSeconds(1));
        rounds(1);
        assertThat(sink.attempts()).isEqualTo(attemptsBefore + 1);
        assertThat(buffer.size()).isEqualTo(20);
        assertThat(buffer.dropped()).isZero();
    }

    @Test
    void sendsEverythingBufferedOnceKafkaReturns() throws InterruptedException {
        sink.mode(FakeSink.Mode.DOWN);
        offer(0, 50);
        rounds(3);
        sink.mode(FakeSink.Mode.UP);
        clock.advance(Duration.ofSeconds(10));
        rounds(20);
        assertThat(sink.delivered()).hasSize(50);
        assertThat(buffer.size()).isZero();
        assertThat(sender.kafkaUp()).isTrue();
    }

    @Test
    void backOffDoublesUpToItsMaximum() throws InterruptedException {
        sink.mode(FakeSink.Mode.DOWN);
        offer(0, 5);
        rounds(1); // the first attempt fails at once
        for (int ms : new int[] {100, 200, 400, 800, 800}) {
            int before = sink.attempts();
            clock.advance(Duration.ofMillis(ms - 1));
            rounds(1);
            assertThat(sink.attempts()).as("no probe %d ms early", 1).isEqualTo(before);
            clock.advance(Duration.ofMillis(1));
            rounds(1);
            assertThat(sink.attempts()).as("a probe after %d ms", ms).isEqualTo(before + 1);
        }
    }

    @Test
    void dropsAndCountsRecordsKafkaRefusesForGood() throws InterruptedException {
        sink.mode(FakeSink.Mode.REFUSE);
        offer(0, 3);
        rounds(5);
        assertThat(buffer.dropped()).isEqualTo(3);
        assertThat(sink.delivered()).isEmpty();
    }

    @Test
    void keepsAtMostMaxInFlightRecordsOutstanding() throws InterruptedException {
        offer(0, 1); // the first record finds Kafka up
        rounds(2);
        sink.mode(FakeSink.Mode.HOLD);
        offer(1, 40);
        rounds(5);
        assertThat(sender.inFlight()).isEqualTo(10);
        assertThat(buffer.size()).isEqualTo(29);
        sink.releaseHeld();
        sink.mode(FakeSink.Mode.UP);
        rounds(10);
        assertThat(sink.delivered()).hasSize(40);
    }

    @Test
    void reportsKafkaDownWhenDeliveriesStallBeyondTheLimit() throws InterruptedException {
        offer(0, 1);
        rounds(2);
        sink.mode(FakeSink.Mode.HOLD);
        offer(1, 2);
        rounds(1);
        assertThat(sender.kafkaUp()).isTrue();
        clock.advance(Duration.ofSeconds(6));
        assertThat(sender.kafkaUp()).isFalse();
        sink.releaseHeld();
        rounds(1);
        assertThat(sender.kafkaUp()).isTrue();
    }

    @Test
    void shutdownDeliversWhatIsBufferedThenStops() throws InterruptedException {
        offer(0, 1);
        rounds(2);
        offer(1, 30);
        Thread t = new Thread(sender);
        sender.shutdown();
        t.start();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(sink.delivered()).hasSize(30);
        assertThat(buffer.dropped()).isZero();
    }

    @Test
    void shutdownCountsWhatCouldNotBeDeliveredAsDropped() throws InterruptedException {
        sink.mode(FakeSink.Mode.DOWN);
        offer(0, 7);
        rounds(2);
        Thread t = new Thread(sender);
        sender.shutdown();
        t.start();
        t.join(5_000);
        assertThat(buffer.dropped()).isEqualTo(7);
    }
}
