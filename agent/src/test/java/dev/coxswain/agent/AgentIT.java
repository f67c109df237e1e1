package dev.coxswain.agent;

import dev.coxswain.agent.publish.FakeSink;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.testkit.Await;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
}
