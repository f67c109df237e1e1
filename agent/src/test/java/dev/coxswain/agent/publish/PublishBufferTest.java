package dev.coxswain.agent.publish;

import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.coxswain.agent.TestRecords.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishBufferTest {
    private final MutableClock clock = MutableClock.atFixedStart();

    @Test
    void dropsTheOldestRecordsWhenFullAndCountsThem() {
        PublishBuffer buffer = new PublishBuffer(3, Journal.none(), clock);
        for (int i = 0; i < 5; i++) {
            buffer.offer(step("j", "w", i));
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.dropped()).isEqualTo(2);
        assertThat(steps(buffer.poll(10))).containsExactly(2L, 3L, 4L);
    }

    @Test
    void requeuedRecordsGoOutBeforeNewerOnesInTheirOrder() {
        PublishBuffer buffer = new PublishBuffer(10, Journal.none(), clock);
        buffer.offerAll(List.of(step("j", "w", 3), step("j", "w", 4)));
        buffer.requeue(List.of(new Numbered(100, step("j", "w", 1)), new Numbered(101, step("j", "w", 2))));
        assertThat(steps(buffer.poll(10))).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void requeueIntoAFullBufferDropsTheRequeuedOldestFirst() {
        PublishBuffer buffer = new PublishBuffer(2, Journal.none(), clock);
        buffer.offerAll(List.of(step("j", "w", 3), step("j", "w", 4)));
        int lost = buffer.requeue(List.of(new Numbered(100, step("j", "w", 1))));
        assertThat(lost).isEqualTo(1);
        assertThat(steps(buffer.poll(10))).containsExactly(3L, 4L);
        assertThat(buffer.dropped()).isEqualTo(1);
    }

    @Test
    void pollTakesAtMostTheAskedNumber() {
        PublishBuffer buffer = new PublishBuffer(10, Journal.none(), clock);
        buffer.offerAll(List.of(step("j", "w", 1), step("j", "w", 2), step("j", "w", 3)));
        assertThat(buffer.poll(2)).hasSize(2);
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void awaitReturnsAtOnceAfterAWakeUpAndWhenRecordsAreWanted() {
        PublishBuffer buffer = new PublishBuffer(10, Journal.none(), clock);
        // Timeouts of a day: had either await waited for its timeout, the future would not complete in time.
        CompletableFuture<Void> both = CompletableFuture.runAsync(() -> {
            try {
                buffer.wakeUp();
                buffer.await(Duration.ofDays(1), false);
                buffer.offer(step("j", "w", 1));
                buffer.await(Duration.ofDays(1), true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("both awaits to return", both::isDone);
        assertThat(both).isCompleted();
    }

    @Test
    void rejectsAZeroCapacity() {
        assertThatThrownBy(() -> new PublishBuffer(0, Journal.none(), clock)).hasMessageContaining("capacity");
    }

    static List<Long> steps(List<Numbered> records) {
        return records.stream().map(r -> ((dev.coxswain.core.telemetry.StepReport) r.record()).step()).toList();
    }
}
