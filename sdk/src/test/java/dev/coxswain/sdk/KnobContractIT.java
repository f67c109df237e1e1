package dev.coxswain.sdk;

import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.knob.InvalidKnobValueException;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.sdk.testing.LocalAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Core's {@link Knob} table is the one definition of the knobs. This test generates boundary, out-of-range and
 * mistyped values for every knob and holds the Java SDK, the real agent (over HTTP) and the Python client to the
 * table: each accepts exactly the values {@link Knob#check} accepts and holds them in the same canonical form. The
 * Python side needs python3 on the PATH; without it the test fails rather than pass unchecked.
 */
class KnobContractIT {
    private static final String PYTHON_VERDICTS = """
            import json, sys
            from coxswain_client import KNOBS, InvalidKnob, check_knob

            def verdict(name, value):
                try:
                    return {"accepted": True, "value": check_knob(name, value)}
                except InvalidKnob as e:
                    return {"accepted": False, "knob": e.knob}

            cases = json.load(sys.stdin)
            table = {name: spec._asdict() for name, spec in KNOBS.items()}
            print(json.dumps({"table": table, "verdicts": [verdict(name, value) for name, value in cases]}))
            """;

    /** One knob with one value as JSON text. */
    record Case(Knob knob, String json) {
        String body() {
            return "{\"" + knob.wireName() + "\": " + json + "}";
        }

        /** The value as the SDK's JSON parser decodes it (JSON null as Java null). */
        Object decoded() {
            Object v = JsonParser.parseObject(body()).get(knob.wireName());
            return v == JsonParser.NULL ? null : v;
        }

        /** Core's verdict: the canonical value, or empty when the table refuses it. */
        Optional<Object> expected() {
            try {
                return Optional.of(knob.check(decoded()));
            } catch (InvalidKnobValueException e) {
                assertThat(e.knob()).isEqualTo(knob.wireName());
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return body();
        }
    }

    private static LocalAgent agent;
    private static AgentClient client;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAgent() {
        agent = LocalAgent.start();
        client = AgentClient.connect(AgentClientOptions.defaults(agent.uri()));
    }

    @AfterAll
    static void stopAgent() {
        client.close();
        agent.close();
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (Knob knob : Knob.values()) {
            List<String> values = switch (knob.type()) {
                case INT -> intValues(knob);
                case NUMBER -> numberValues(knob);
                case CHOICE -> choiceValues(knob);
                case ID -> idValues();
            };
            values.forEach(v -> out.add(new Case(knob, v)));
            for (String wrongType : List.of("true", "false", "[]", "{}", "[1]")) {
                out.add(new Case(knob, wrongType));
            }
        }
        return out;
    }

    private static List<String> intValues(Knob knob) {
        long min = (long) knob.min();
        long max = (long) knob.max();
        return List.of(Long.toString(min), Long.toString(max), Long.toString(min - 1), Long.toString(max + 1),
                Long.toString((min + max) / 2), "0", "-1", min + ".0", max + ".0", (max + 1) + ".0",
                min + ".5", max + "e0", "1e3", "-0.0", "0.0000001", "2147483647", "2147483648", "-2147483649",
                "9223372036854775808", "1e300", "1e400", "\"" + max + "\"");
    }

    private static List<String> numberValues(Knob knob) {
        double max = knob.max();
        return List.of("0", "0.0", "-0.0", "-1", "5e-324", "1e-300", "3e-4", "1", "0.1", Double.toString(max),
                Long.toString((long) max), Long.toString((long) max + 1), Double.toString(Math.nextUp(max)),
                "1e300", "1e400", "-1e400", "\"0.1\"");
    }

    private static List<String> choiceValues(Knob knob) {
        List<String> out = new ArrayList<>();
        knob.choices().forEach(c -> {
            out.add(quote(c));
            out.add(quote(c.toUpperCase(Locale.ROOT)));
            out.add(quote(" " + c));
        });
        for (Knob other : Knob.values()) {
            if (other != knob) {
                other.choices().forEach(c -> out.add(quote(c)));
            }
        }
        out.addAll(List.of(quote(""), quote("cubic"), "0", "1"));
        return out;
    }

    private static List<String> idValues() {
        return List.of(quote("node-7"), quote("a"), quote("7"), quote("a.b_c:d/e@f+g=h-i"), quote("a".repeat(128)),
                quote("a".repeat(129)), quote(""), quote("-x"), quote(".x"), quote("a b"), quote("a\\u00e9"),
                quote("\\u00e9"), quote("a\\n"), quote("a#b"), "7", "7.5");
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    @Test
    void theCasesCoverAcceptedAndRefusedValuesOfEveryKnob() {
        for (Knob knob : Knob.values()) {
            List<Case> mine = cases().stream().filter(c -> c.knob() == knob).toList();
            assertThat(mine).as(knob.wireName()).anyMatch(c -> c.expected().isPresent());
            assertThat(mine).as(knob.wireName()).anyMatch(c -> c.expected().isEmpty());
        }
    }

    @Test
    void theSdkParsesExactlyWhatTheTableAcceptsInItsCanonicalForm() {
        for (Case c : cases()) {
            Optional<Object> expected = c.expected();
            Optional<Object> sdk;
            try {
                sdk = Optional.of(Knobs.fromJson(JsonParser.parseObject(c.body())).toJson().get(c.knob().wireName()));
            } catch (InvalidKnobException e) {
                assertThat(e.field()).as(c.toString()).isEqualTo(c.knob().wireName());
                sdk = Optional.empty();
            }
            assertThat(sdk).as(c.toString()).isEqualTo(expected);
        }
    }

    @Test
    void theSdkConstructorRefusesExactlyWhatTheTableRefuses() {
        for (Case c : cases()) {
            Object v = c.decoded();
            Optional<Runnable> build = switch (c.knob()) {
                case BATCH_SIZE, GLOBAL_BATCH_SIZE, STALENESS -> v instanceof Long n && n == n.intValue()
                        ? Optional.of(() -> withInt(c.knob(), n.intValue())) : Optional.empty();
                case LEARNING_RATE -> v instanceof Number n
                        ? Optional.of(() -> Knobs.none().withLearningRate(n.doubleValue())) : Optional.empty();
                case NODE -> v instanceof String s ? Optional.of(() -> Knobs.none().withNode(s)) : Optional.empty();
                case LR_SCALING, SYNC_MODE -> Optional.empty(); // enums: only table words exist (see below)
            };
            build.ifPresent(b -> {
                boolean accepted;
                try {
                    b.run();
                    accepted = true;
                } catch (InvalidKnobException e) {
                    assertThat(e.field()).as(c.toString()).isEqualTo(c.knob().wireName());
                    accepted = false;
                }
                assertThat(accepted).as(c.toString()).isEqualTo(c.expected().isPresent());
            });
        }
    }

    private static void withInt(Knob knob, int value) {
        switch (knob) {
            case BATCH_SIZE -> Knobs.none().withBatchSize(value);
            case GLOBAL_BATCH_SIZE -> Knobs.none().withGlobalBatchSize(value);
            case STALENESS -> Knobs.none().withStaleness(value);
            default -> throw new IllegalArgumentException(knob.wireName());
        }
    }

    @Test
    void theSdkEnumsSpellTheTableChoices() {
        assertThat(Arrays.stream(LrScaling.values()).map(LrScaling::wireName))
                .containsExactlyElementsOf(Knob.LR_SCALING.choices());
        assertThat(Arrays.stream(SyncMode.values()).map(SyncMode::wireName))
                .containsExactlyElementsOf(Knob.SYNC_MODE.choices());
    }

    /** Each case in a job of its own, so a refused change leaves nothing behind to read. */
    @Test
    void theAgentAcceptsExactlyWhatTheTableAcceptsAndTheSdkReadsBackWhatItStored() throws Exception {
        List<Case> cases = cases();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String job = "contract-" + i;
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(agent.uri() + "/v1/knobs/" + job))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"worker\": \"w0\", \"knobs\": " + c.body()
                                    + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Optional<Object> expected = c.expected();
            if (expected.isEmpty()) {
                assertThat(reply.statusCode()).as(c + " -> " + reply.body()).isEqualTo(400);
                assertThat(reply.body()).as(c.toString()).contains("knobs." + c.knob().wireName() + ": ");
                continue;
            }
            assertThat(reply.statusCode()).as(c + " -> " + reply.body()).isEqualTo(200);
            Knobs held = client.pollKnobs(job, "w0", -1, Duration.ZERO).orElseThrow().knobs();
            assertThat(held.toJson()).as(c.toString()).containsExactly(Map.entry(c.knob().wireName(),
                    expected.get()));
        }
    }

    @Test
    void thePythonClientHasTheSameTableAndVerdicts() throws Exception {
        List<Case> cases = cases();
        StringBuilder input = new StringBuilder("[");
        for (Case c : cases) {
            input.append(input.length() > 1 ? ", " : "").append("[\"").append(c.knob().wireName()).append("\", ")
                    .append(c.json()).append(']');
        }
        Map<String, Object> answer = JsonParser.parseObject(runPython(input.append(']').toString()));

        Map<String, Object> table = asMap(answer.get("table"));
        assertThat(table.keySet()).containsExactlyElementsOf(Arrays.stream(Knob.values()).map(Knob::wireName)
                .toList());
        for (Knob knob : Knob.values()) {
            Map<String, Object> spec = asMap(table.get(knob.wireName()));
            assertThat(spec).as(knob.wireName()).containsOnlyKeys("type", "scope", "min", "max", "choices");
            assertThat(spec.get("type")).as(knob.wireName()).isEqualTo(knob.type().name().toLowerCase(Locale.ROOT));
            assertThat(spec.get("scope")).as(knob.wireName()).isEqualTo(knob.scope().label());
            assertThat(((Number) spec.get("min")).doubleValue()).as(knob.wireName()).isEqualTo(knob.min());
            assertThat(((Number) spec.get("max")).doubleValue()).as(knob.wireName()).isEqualTo(knob.max());
            assertThat(spec.get("choices")).as(knob.wireName()).isEqualTo(knob.choices());
        }

        List<?> verdicts = (List<?>) answer.get("verdicts");
        assertThat(verdicts).hasSameSizeAs(cases);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Object> verdict = asMap(verdicts.get(i));
            Optional<Object> expected = c.expected();
            assertThat(verdict.get("accepted")).as(c + " -> " + verdict).isEqualTo(expected.isPresent());
            if (expected.isEmpty()) {
                assertThat(verdict.get("knob")).as(c.toString()).isEqualTo(c.knob().wireName());
            } else {
                assertThat(pythonValue(verdict.get("value"))).as(c + " -> " + verdict).isEqualTo(expected.get());
            }
        }
    }

    /** Python's canonical value in Java's canonical type: an int must come back as an int, a float as a float. */
    private static Object pythonValue(Object v) {
        return v instanceof Long n && n == n.intValue() ? (Object) n.intValue() : v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no stderr: " + e.getMessage() + ")";
        }
    }

    private static String runPython(String input) throws Exception {
        Path dir = Path.of("python").toAbsolutePath();
        assertThat(dir.resolve("coxswain_client.py")).as("the Python client beside the SDK").isRegularFile();
        Path errors = Files.createDirectories(Path.of("target")).resolve("knob-contract-python.err");
        Process run;
        try {
            ProcessBuilder pb = new ProcessBuilder("python3", "-c", PYTHON_VERDICTS).directory(dir.toFile())
                    .redirectError(errors.toFile());
            pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            run = pb.start();
        } catch (IOException e) {
            return fail("python3 is needed to hold the Python client (sdk/python/coxswain_client.py) to core's knob"
                    + " table; install python3 and put it on the PATH (" + e.getMessage() + ")", e);
        }
        try (var stdin = run.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
        assertThat(run.exitValue()).as(() -> "python3 failed: " + readQuietly(errors)).isZero();
        return out;
    }
}
