package dev.coxswain.sdk;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.sdk.testing.LocalAgent;
import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentClientIT {
    private LocalAgent agent;
    private AgentClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private static StepReport step(long n) {
        return new StepReport("job-1", "w0", n, Instant.now(), 10, 6, 2, 1, 32, 32, OptionalDouble.of(0.5),
                Optional.of(new StepReport.GradientStats(2.0, 11.0)));
    }

    private AgentClient connect(URI uri) {
        return AgentClient.connect(AgentClientOptions.defaults(uri).withFlushInterval(Duration.ofMillis(20))
                .withKnobWait(Duration.ofSeconds(5)).withMaxBackoff(Duration.ofMillis(200)));
    }

    @Test
    void deliversReportsEventsAndMembershipInTheProtocolShape() throws Exception {
        agent = LocalAgent.start();
        client = connect(agent.uri());
        for (int i = 0; i < 250; i++) {
            client.report(step(i));
        }
        client.event(new JobEvent("job-1", Optional.of("w2"), Instant.now(), "injection.start",
                Map.of("fault", "slowdown", "factor", "2.0")));
        client.membership(new JobMembership("job-1", Instant.now(), JobMembership.CommPattern.PARAMETER_SERVER, 4000,
                List.of(new JobMembership.Member("ps0", "node-a", -1, JobMembership.Role.PARAMETER_SERVER),
                        new JobMembership.Member("w0", "node-a", -1, JobMembership.Role.WORKER))));

        assertThat(client.flush(Duration.ofSeconds(5))).isTrue();
        agent.drain();
        assertThat(agent.steps()).hasSize(250);
        assertThat(agent.steps().get(7)).usingRecursiveComparison().ignoringFields("timestamp").isEqualTo(step(7));
        assertThat(agent.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo("injection.start");
            assertThat(e.attributes()).containsEntry("factor", "2.0");
        });
        assertThat(agent.memberships()).singleElement().satisfies(m -> assertThat(m.members()).hasSize(2));
        assertThat(client.stats()).isEqualTo(new DeliveryStats(252, 0, 0, 0, 0));
    }

    @Test
    void reportingNeverWaitsForTheNetwork() throws Exception {
        // An agent that takes connections and never answers: a report that waited for it would wait ten minutes.
        try (ServerSocket blackHole = new ServerSocket(0)) {
            client = AgentClient.connect(new AgentClientOptions(URI.create("http://127.0.0.1:"
                    + blackHole.getLocalPort()), Duration.ofMinutes(10), 20_000, 500, Duration.ofMillis(10),
                    Duration.ofSeconds(5), Duration.ofSeconds(25), java.time.Clock.systemUTC()));
            CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 1000; i++) {
                    client.report(step(i));
                }
            });
            Await.until("1000 reports queued", queued::isDone);
            assertThat(queued).isCompleted();
            assertThat(client.stats().pending()).isEqualTo(1000);
        }
    }

    @Test
    void reportsQueuedWhileTheAgentIsDownGoOutWhenItComes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        client = connect(URI.create("http://127.0.0.1:" + port));
        for (int i = 0; i < 1000; i++) {
            client.report(step(i));
        }
        Await.until("a failed send to the absent agent", () -> client.stats().failedSends() > 0);
        assertThat(client.stats().pending()).isEqualTo(1000);
        assertThat(client.stats().failedSends()).isPositive();

        agent = LocalAgent.start(port);
        assertThat(client.flush(Duration.ofSeconds(30))).isTrue();
        agent.drain();
        // At least once: a request that timed out on a loaded machine may have been taken and is sent again; the
        // collector ignores a worker's replayed step.
        assertThat(agent.steps().stream().map(StepReport::step).distinct().count()).isEqualTo(1000);
    }

    @Test
    void dropsTheOldestReportsBeyondTheQueueCapacity() {
        client = AgentClient.connect(new AgentClientOptions(URI.create("http://127.0.0.1:9"), Duration.ofMillis(200),
                10, 5, Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(1),
                java.time.Clock.systemUTC()));
        for (int i = 0; i < 25; i++) {
            client.report(step(i));
        }
        DeliveryStats stats = client.stats();
        assertThat(stats.pending() + stats.dropped()).isEqualTo(25);
        assertThat(stats.pending()).isLessThanOrEqualTo(10);
    }

    @Test
    void setsKnobsAndTheWatchSeesEachNewVersionQuickly() throws Exception {
        agent = LocalAgent.start();
        client = connect(agent.uri());
        List<KnobUpdate> seen = new CopyOnWriteArrayList<>();
        try (KnobWatch watch = client.watchKnobs("job-1", "w1", seen::add)) {
            awaitSize(seen, 1);
            assertThat(seen.getFirst().knobs()).isEqualTo(Knobs.none());

            long v1 = client.setKnobs("job-1", Optional.empty(), Knobs.none().withStaleness(4));
            long v2 = client.setKnobs("job-1", Optional.of("w1"), Knobs.none().withBatchSize(24));
            assertThat(v2).isEqualTo(v1 + 1);
            // The watch long-polls for minutes: seeing v2 in time means the change woke the poll.
            awaitVersion(seen, v2);
            assertThat(seen.getLast().knobs()).isEqualTo(Knobs.none().withStaleness(4).withBatchSize(24));
            assertThat(watch.latest()).contains(seen.getLast());
        }
    }

    @Test
    void aMalformedKnobChangeIsRejectedWithTheAgentsReasonAndChangesNothing() throws Exception {
        agent = LocalAgent.start();
        client = connect(agent.uri());
        long v = client.setKnobs("job-1", Optional.empty(), Knobs.none().withBatchSize(64));
        assertThatThrownBy(() -> client.setKnobsJson("job-1", "{\"knobs\": {\"batch_size\": -4}}"))
                .isInstanceOf(KnobRejectedException.class).hasMessageContaining("batch_size");
        assertThatThrownBy(() -> client.setKnobsJson("job-1", "{\"knobs\": {\"turbo\": true}}"))
                .isInstanceOf(KnobRejectedException.class).hasMessageContaining("turbo");
        Optional<KnobUpdate> now = client.pollKnobs("job-1", "w0", -1, Duration.ofMillis(100));
        assertThat(now).contains(new KnobUpdate(v, Knobs.none().withBatchSize(64)));
    }

    @Test
    void aLongPollWithNothingNewAnswersEmptyAfterTheWait() throws Exception {
        agent = LocalAgent.start();
        client = connect(agent.uri());
        long t0 = System.nanoTime();
        assertThat(client.pollKnobs("job-1", "w0", 0, Duration.ofMillis(300))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("it waited, as asked").isGreaterThanOrEqualTo(
                Duration.ofMillis(250));
    }

    private static void awaitSize(List<?> list, int n) {
        Await.until(n + " knob updates", () -> list.size() >= n);
    }

    private static void awaitVersion(List<KnobUpdate> list, long v) {
        Await.until("knob version " + v, () -> !list.isEmpty() && list.getLast().version() >= v);
        assertThat(list.getLast().version()).isEqualTo(v);
    }
}
