package dev.coxswain.agent;

import dev.coxswain.agent.publish.FakeSink;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.coxswain.agent.publish.SendOutcome;
import dev.coxswain.agent.publish.TelemetrySink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent started on a real loopback port: its intake's records and its samplers' reach the sink. */
class AgentIT {
    @Test
    void publishesIntakeRecordsAndSamplesThroughTheSink() throws Exception {
        FakeSink sink = new FakeSink();
        Sampler one = new Sampler() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public List<? extends Telemetry> sample(Instant now) {
                return List.of(TestRecords.step("sampled", "w", 1));
            }
        };
        AgentSettings settings = AgentSettings.defaults("node-a").withIntakePort(0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Agent agent = new Agent(settings, sink, registry, Clock.systemUTC(), List.of(one))) {
            agent.start();
            String body = "{\"reports\": [{\"job\": \"j\", \"worker\": \"w0\", \"step\": 1, \"step_time_ms\": 10,"
                    + " \"compute_ms\": 5, \"comm_ms\": 3, \"wait_ms\": 1, \"samples\": 8, \"batch_size\": 8}]}";
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + agent.intakePort() + "/v1/steps"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(202);
            Await.until("the step report delivered",
                    () -> sink.delivered().stream().anyMatch(t -> ((StepReport) t).jobId().equals("j")));
            assertThat(sink.delivered()).extracting(t -> ((StepReport) t).jobId()).contains("j", "sampled");
            assertThat(registry.get("coxswain.agent.sent").functionCounter().count()).isGreaterThanOrEqualTo(2);
            assertThat(registry.get("coxswain.agent.buffered").gauge().value()).isZero();
            assertThat(registry.get("coxswain.agent.dropped").functionCounter().count()).isZero();
        }
    }

    /**
     * Kafka's producer blocks its caller, the agent's sender thread, while it has no metadata. The intake must answer
     * training processes all the same: here the sink blocks the sender in {@code send} until the test lets it go, and
     * every report is answered (and buffered) while it is blocked.
     */
    @Test
    void answersEveryReportWhileTheSenderIsBlockedInsideTheSink() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<Telemetry> delivered = new CopyOnWriteArrayList<>();
        TelemetrySink blocking = (record, done) -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.add(record);
            done.accept(new SendOutcome.Sent());
        };
        AgentSettings settings = AgentSettings.defaults("node-a").withIntakePort(0);
        try (Agent agent = new Agent(settings, blocking, new SimpleMeterRegistry(), Clock.systemUTC(), List.of())) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            assertThat(client.post("/v1/steps", IntakeClient.steps("job-b", 0, 1)).status()).isEqualTo(202);
            assertThat(blocked.await(30, TimeUnit.SECONDS)).as("the sender is inside the sink").isTrue();
            for (int batch = 0; batch < 50; batch++) {
                assertThat(client.post("/v1/steps", IntakeClient.steps("job-b", 1 + batch * 20, 20)).status())
                        .as("answered while the sender is blocked").isEqualTo(202);
            }
            assertThat(agent.buffered()).as("all but the one in the sink wait in the buffer").isEqualTo(1000);
            assertThat(delivered).isEmpty();
            release.countDown();
            Await.until("1,001 reports delivered", () -> delivered.size() == 1001);
        }
    }
}
