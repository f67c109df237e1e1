package dev.coxswain.collector.state;

import dev.coxswain.snapshot.StepPoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkerWindowTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00.123456789Z");

    private static StepPoint point(long step) {
        return new StepPoint(step, T.plusNanos(step * 1_000_003L), 80.25 + step, 50.5, 20.125, Double.MIN_VALUE,
                (int) (step % 3 == 0 ? (1 << 24) : step + 1));
    }

    private static void add(WorkerWindow w, StepPoint p) {
        w.add(p.step(), p.timestamp().getEpochSecond(), p.timestamp().getNano(), p.stepTimeMs(), p.computeMs(),
                p.commMs(), p.waitMs(), p.batchSize(), p.inputMs());
    }

    @Test
    void keepsEveryFieldOfTheNewestStepsExactlyOldestFirst() {
        int chunk = WorkerWindow.CHUNK;
        for (int capacity : new int[] {1, 4, chunk - 1, chunk, chunk + 1, 3 * chunk}) {
            WorkerWindow w = new WorkerWindow(capacity);
            List<StepPoint> added = new ArrayList<>();
            List<List<StepPoint>> snapshots = new ArrayList<>();
            for (long s = 0; s < 5L * chunk + 3; s++) {
                add(w, point(s));
                added.add(point(s));
                int n = added.size();
                List<StepPoint> expected = added.subList(Math.max(0, n - capacity), n);
                assertThat(w.points()).as("capacity %d after %d steps", capacity, n).isEqualTo(expected);
                assertThat(w.meanStepMs(3)).isEqualTo(expected.subList(Math.max(0, expected.size() - 3),
                        expected.size()).stream().mapToDouble(StepPoint::stepTimeMs).average().orElseThrow());
                snapshots.add(w.points());
            }
            // Earlier snapshots share frozen chunks with the window: later steps must not show through.
            for (int n = 1; n <= snapshots.size(); n++) {
                assertThat(snapshots.get(n - 1)).isEqualTo(added.subList(Math.max(0, n - capacity), n));
            }
        }
    }

    @Test
    void pointsAreAFrozenCopy() {
        WorkerWindow w = new WorkerWindow(3);
        add(w, point(1));
        add(w, point(2));
        List<StepPoint> before = w.points();
        add(w, point(3));
        add(w, point(4));
        assertThat(before).containsExactly(point(1), point(2));
        assertThatThrownBy(() -> before.add(point(5))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> before.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void ignoresAReplayOfTheLatestStepAndAveragesTheNewest() {
        WorkerWindow w = new WorkerWindow(3);
        assertThat(w.meanStepMs(2)).isNaN();
        for (long s = 0; s < 5; s++) {
            add(w, point(s));
        }
        assertThat(w.add(4, T.getEpochSecond(), T.getNano(), 1, 0, 0, 0, 1, 1)).isFalse();
        assertThat(w.points()).extracting(StepPoint::step).containsExactly(2L, 3L, 4L);
        assertThat(w.meanStepMs(2)).isEqualTo((point(3).stepTimeMs() + point(4).stepTimeMs()) / 2);
    }
}
