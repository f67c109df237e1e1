package dev.coxswain.dashboards.push;

import dev.coxswain.dashboards.ClusterFixture;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.testkit.MutableClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StreamUpdatesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private final ClusterFixture fixture = new ClusterFixture(T0, 1);
    private final MutableClock clock = new MutableClock(T0.plusSeconds(200));
    private final StreamUpdates updates = new StreamUpdates(Duration.ofMinutes(2), clock);

    private static JsonArray points(JsonObject message, String job, String worker) {
        return message.getJsonArray("jobs").stream().map(JsonObject.class::cast)
                .filter(j -> j.getString("id").equals(job)).findFirst().orElseThrow()
                .getJsonObject("points").getJsonArray(worker);
    }

    private static long step(JsonArray compactPoint) {
        return compactPoint.getLong(1);
    }

    @Test
    void sendsOnlyTheChartWindowInAFullMessage() {
        ClusterSnapshot s = fixture.snapshot(1, T0.plusSeconds(200));

        JsonObject full = updates.full(s);

        JsonArray w0 = points(full, ClusterFixture.BIG_JOB, "w0");
        assertThat(full.getString("type")).isEqualTo("full");
        assertThat(full.getLong("generation")).isEqualTo(1);
        assertThat(full.getLong("chartWindowMs")).isEqualTo(120_000);
        assertThat(w0.getJsonArray(0).getLong(0)).isGreaterThanOrEqualTo(T0.plusSeconds(80).toEpochMilli());
        assertThat(step(w0.getJsonArray(w0.size() - 1))).isEqualTo(200_000 / 300);
        assertThat(full.getJsonObject("graph").getJsonArray("links")).isNotEmpty();
    }

    @Test
    void sendsEachWorkerOnlyItsNewStepsInANextMessage() {
        JsonObject first = updates.next(fixture.snapshot(1, T0.plusSeconds(200)));
        JsonObject second = updates.next(fixture.snapshot(2, T0.plusSeconds(201)));

        JsonArray before = points(first, ClusterFixture.BIG_JOB, "w0");
        JsonArray after = points(second, ClusterFixture.BIG_JOB, "w0");
        assertThat(second.getString("type")).isEqualTo("update");
        assertThat(step(after.getJsonArray(0))).isEqualTo(step(before.getJsonArray(before.size() - 1)) + 1);
        assertThat(after).hasSize(4);
        assertThat(updates.lastPushed().generation()).isEqualTo(2);
    }

    @Test
    void sendsAnEmptyListForAWorkerWithoutNewSteps() {
        updates.next(fixture.snapshot(1, T0.plusSeconds(200)));

        JsonObject again = updates.next(fixture.snapshot(2, T0.plusSeconds(200)));

        assertThat(points(again, ClusterFixture.SMALL_JOB, "w1")).isEmpty();
    }

    @Test
    void startsOverAfterAReset() {
        updates.next(fixture.snapshot(1, T0.plusSeconds(200)));
        updates.reset();

        JsonObject next = updates.next(fixture.snapshot(2, T0.plusSeconds(200)));

        assertThat(updates.lastPushed().generation()).isEqualTo(2);
        assertThat(points(next, ClusterFixture.BIG_JOB, "w0")).hasSize(400);
    }

    @Test
    void stampsEachMessageWithTheSnapshotAndServerTimes() {
        JsonObject message = updates.next(fixture.snapshot(1, T0.plusSeconds(199)));

        assertThat(message.getLong("at")).isEqualTo(T0.plusSeconds(199).toEpochMilli());
        assertThat(message.getLong("serverTime")).isEqualTo(T0.plusSeconds(200).toEpochMilli());
    }
}
