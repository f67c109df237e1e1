package dev.coxswain.agent.publish;

import dev.coxswain.agent.TestRecords;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The publisher over a spool: what it could not deliver before a stop goes out first after the next start. */
class BufferedPublisherTest {
    private static final Sender.Options FAST = new Sender.Options(100, Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofSeconds(5), Duration.ofMillis(200));
    @TempDir
    Path dir;

    private BufferedPublisher publisher(FakeSink sink) throws Exception {
        return new BufferedPublisher(1000, sink, Spool.open(dir, 8L << 20, Clock.systemUTC()), FAST,
                Clock.systemUTC());
    }

    private static List<Long> steps(List<Telemetry> records) {
        return records.stream().map(r -> ((StepReport) r).step()).toList();
    }

    @Test
    void whatKafkaDidNotTakeBeforeAStopIsKeptAndSentFirstAfterTheNextStart() throws Exception {
        FakeSink down = new FakeSink();
        down.mode(FakeSink.Mode.DOWN);
        try (BufferedPublisher first = publisher(down)) {
            first.start();
            for (int i = 0; i < 5; i++) {
                first.offer(TestRecords.step("job", "w0", i));
            }
        }
        FakeSink up = new FakeSink();
        try (BufferedPublisher second = publisher(up)) {
            assertThat(second.dropped()).as("kept, not dropped").isZero();
            second.offer(TestRecords.step("job", "w0", 5));
            second.start();
            Await.until("six records delivered", () -> up.delivered().size() >= 6);
        }
        assertThat(steps(up.delivered())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        try (BufferedPublisher third = publisher(new FakeSink())) {
            assertThat(third.buffered()).as("everything was done: nothing comes back").isZero();
        }
    }
}
