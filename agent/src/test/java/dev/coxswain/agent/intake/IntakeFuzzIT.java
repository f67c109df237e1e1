package dev.coxswain.agent.intake;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.agent.IntakeClient;
import dev.coxswain.agent.publish.FakeSink;
import dev.coxswain.core.knob.Knob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input drill at the agent's intake: 10,000 malformed requests over every endpoint that takes a body (steps,
 * events, job membership, knobs), made by breaking valid ones: a field dropped, a value of the wrong type, out of
 * range, NaN, an id that is not one, a body cut short or not JSON. Each is refused (400, or 202 with the entry among
 * the rejected) with a message that names what was wrong, each is counted, none is sent on, and the agent answers
 * valid requests after them as before.
 */
class IntakeFuzzIT {
    private static final int REQUESTS = 10_000;
    @TempDir
    Path dir;

    private static final List<String> STEP_FIELDS = List.of("job", "worker", "step", "step_time_ms", "compute_ms",
            "comm_ms", "wait_ms", "samples", "batch_size");

    private static JsonObject validStep(long step) {
        return new JsonObject().put("job", "fuzz-job").put("worker", "w0").put("step", step)
                .put("step_time_ms", 81.5).put("compute_ms", 60.1).put("comm_ms", 15.2).put("wait_ms", 4.0)
                .put("samples", 64).put("batch_size", 64);
    }

    /** One way to break a valid object's field, and the text the refusal must contain. */
    private record Broken(JsonObject body, String field) {
    }

    private static Broken breakStep(SplittableRandom r, long step) {
        JsonObject s = validStep(step);
        String field = STEP_FIELDS.get(r.nextInt(STEP_FIELDS.size()));
        switch (r.nextInt(6)) {
            case 0 -> s.remove(field);
            case 1 -> s.put(field, field.equals("job") || field.equals("worker") ? "has space <script>" : "\"12\"x");
            case 2 -> s.put(field, field.equals("job") || field.equals("worker") ? 42 : -1);
            case 3 -> s.put(field, field.equals("job") || field.equals("worker") ? "" : 1e300);
            case 4 -> s.put(field, field.equals("job") || field.equals("worker") ? "x".repeat(200) : "NaN");
            default -> s.put(field, new JsonArray().add(1));
        }
        return new Broken(s, field);
    }

    /** A wire field's name as the record checks name it: {@code step_time_ms} is {@code stepTimeMs}. */
    private static String camel(String field) {
        StringBuilder b = new StringBuilder();
        for (String part : field.split("_")) {
            b.append(b.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return b.toString();
    }

    @Test
    void everyMalformedRequestIsRefusedNamingItsFaultCountedAndNotSentOn() throws Exception {
        FakeSink sink = new FakeSink();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AgentSettings settings = AgentSettings.defaults("fuzz-node").withIntakePort(0)
                .withGpuSources("", Optional.empty()).withRoots(dir.resolve("no-proc"), dir.resolve("no-sys"));
        try (Agent agent = new Agent(settings, sink, registry, Clock.systemUTC(), List.of())) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            SplittableRandom random = new SplittableRandom(16);
            long refusals = 0;
            for (int i = 0; i < REQUESTS; i++) {
                switch (i % 5) {
                    case 0, 1 -> {
                        Broken b = breakStep(random, i);
                        IntakeClient.Reply reply = client.post("/v1/steps",
                                new JsonObject().put("reports", new JsonArray().add(b.body())).encode());
                        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
                        JsonObject answer = reply.json();
                        assertThat(answer.getInteger("accepted")).as(b.body().encode()).isZero();
                        String error = answer.getJsonArray("rejected").getJsonObject(0).getString("error");
                        assertThat(error).as(b.body().encode()).containsAnyOf(b.field(), camel(b.field()));
                    }
                    case 2 -> {
                        String valid = new JsonObject().put("reports", new JsonArray().add(validStep(i))).encode();
                        String cut = valid.substring(0, 1 + random.nextInt(valid.length() - 2));
                        IntakeClient.Reply reply = client.post("/v1/steps", cut);
                        assertThat(reply.status()).as(cut).isEqualTo(400);
                        assertThat(reply.json().getString("error")).as(cut).isNotBlank();
                    }
                    case 3 -> {
                        JsonObject event = new JsonObject().put("job", "fuzz-job").put("kind", "injection.start");
                        String field = random.nextBoolean() ? "job" : "kind";
                        event.put(field, random.nextBoolean() ? "" : "bad id with spaces");
                        IntakeClient.Reply reply = client.post("/v1/events",
                                new JsonObject().put("events", new JsonArray().add(event)).encode());
                        assertThat(reply.status()).as(reply.body()).isIn(202, 400);
                        assertThat(reply.body()).as(event.encode()).contains(field);
                    }
                    default -> {
                        String bad = random.nextBoolean() ? "{\"knobs\": {\"batch_size\": -" + i + "}}"
                                : "{\"knobs\": {\"no_such_knob\": 1}}";
                        IntakeClient.Reply reply = client.post("/v1/knobs/fuzz-job", bad);
                        assertThat(reply.status()).as(bad + " -> " + reply.body()).isEqualTo(400);
                        assertThat(reply.body()).as(bad).contains(bad.contains("no_such_knob") ? "no_such_knob"
                                : "batch_size");
                    }
                }
                refusals++;
            }
            assertThat(refusals).isEqualTo(REQUESTS);
            assertThat(agent.rejected()).as("every refusal counted").isEqualTo(REQUESTS);
            IntakeClient.Reply good = client.post("/v1/steps", IntakeClient.steps("fuzz-job", 1_000_000, 3));
            assertThat(good.status()).isEqualTo(202);
            assertThat(good.json().getInteger("accepted")).isEqualTo(3);
            assertThat(client.get("/v1/health").status()).isEqualTo(200);
        }
        assertThat(sink.delivered()).as("only the valid ones went on").hasSize(3);
    }

    /**
     * One malformed knob change and the text its refusal must contain: a knob out of its range or of the wrong type,
     * a knob that does not exist, a field the API does not know, a worker or job that is not an identifier.
     */
    private static Broken breakKnobs(SplittableRandom r, int i) {
        Knob knob = Knob.values()[r.nextInt(Knob.values().length)];
        JsonObject knobs = new JsonObject();
        JsonObject body = new JsonObject().put("knobs", knobs);
        switch (r.nextInt(6)) {
            case 0 -> knobs.put(knob.wireName(), switch (knob.type()) {
                case INT -> r.nextBoolean() ? -1 - r.nextInt(1000) : 1L << 40;
                case NUMBER -> r.nextBoolean() ? -1.5 : 1e300;
                case CHOICE -> "no-such-" + i;
                case ID -> "not an id <b>";
            });
            case 1 -> knobs.put(knob.wireName(), knob.type() == Knob.Type.CHOICE || knob.type() == Knob.Type.ID
                    ? new JsonArray().add(1) : "12x");
            case 2 -> knobs.put("no_such_knob_" + i, 1);
            case 3 -> body.put("unexpected_" + i, true);
            case 4 -> body.put("worker", r.nextBoolean() ? "" : "w 1;rm -rf /");
            default -> body.put("knobs", "not an object");
        }
        String field = switch (body.fieldNames().stream().filter(f -> !f.equals("knobs")).findFirst().orElse("")) {
            case "" -> knobs.isEmpty() ? "knobs" : knobs.fieldNames().iterator().next();
            case String other -> other;
        };
        return new Broken(body, field);
    }

    @Test
    void everyMalformedKnobChangeIsRefusedNamingItsFaultAndCounted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AgentSettings settings = AgentSettings.defaults("fuzz-node").withIntakePort(0)
                .withGpuSources("", Optional.empty()).withRoots(dir.resolve("no-proc"), dir.resolve("no-sys"));
        try (Agent agent = new Agent(settings, new FakeSink(), registry, Clock.systemUTC(), List.of())) {
            agent.start();
            IntakeClient client = new IntakeClient(agent.intakePort());
            SplittableRandom random = new SplittableRandom(17);
            for (int i = 0; i < REQUESTS; i++) {
                Broken b = breakKnobs(random, i);
                IntakeClient.Reply reply = client.post("/v1/knobs/fuzz-job", b.body().encode());
                assertThat(reply.status()).as(b.body().encode() + " -> " + reply.body()).isEqualTo(400);
                assertThat(reply.json().getString("error")).as(b.body().encode()).contains(b.field());
            }
            IntakeClient.Reply badJob = client.post("/v1/knobs/bad%20job%3Cscript%3E",
                    "{\"knobs\": {\"staleness\": 2}}");
            assertThat(badJob.status()).isEqualTo(400);
            assertThat(badJob.json().getString("error")).contains("job");
            assertThat(agent.rejected()).as("every refusal counted").isEqualTo(REQUESTS + 1);
            assertThat(agent.knobs().knows("fuzz-job")).isFalse();
            IntakeClient.Reply good = client.post("/v1/knobs/fuzz-job", "{\"knobs\": {\"staleness\": 2}}");
            assertThat(good.status()).as(good.body()).isEqualTo(200);
            assertThat(agent.knobs().get("fuzz-job", "w0").knobs().get(Knob.STALENESS)).contains(2);
        }
    }
}
