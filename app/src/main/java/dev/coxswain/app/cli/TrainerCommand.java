package dev.coxswain.app.cli;

import dev.coxswain.app.trainer.TrainerRun;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.sdk.AgentUnavailableException;
import dev.coxswain.sdk.KnobRejectedException;
import dev.coxswain.core.json.JsonParser;
import dev.coxswain.core.json.JsonWriter;
import dev.coxswain.trainer.launch.TrainerRoles;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code coxswain trainer run|knob|status}: the reference training job (Fashion-MNIST, parameter server and
 * workers) and its knobs. {@code trainer role} is internal: how the job's shard and worker processes start.
 */
public final class TrainerCommand implements Command {
    @Override
    public String name() {
        return "trainer";
    }

    @Override
    public String summary() {
        return "run the reference training job (parameter server, BSP/SSP/ASP, live knobs, fault injection)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain trainer run [options]
                       coxswain trainer knob --job ID [--worker W] [--agent URL] knob=value ...
                       coxswain trainer status --coordinator URL
                run: trains a perceptron on Fashion-MNIST with a sharded parameter server and workers, each a
                process on loopback, until the target test accuracy; reports every step to the agent.
                  --workers N (4)  --shards N (2)  --mode bsp|ssp|asp (bsp)  --staleness S (3)
                  --batch B (256 per worker)  --batches b0,b1,..  --lr X (0.1)  --lr-scaling none|linear|sqrt|adascale
                  --target A (0.85; 0 trains the whole budget)  --max-epochs E (5)  --job ID (trainer-1)
                  --agent URL (http://127.0.0.1:7070)  --data DIR (/usr/share/datasets/fashion-mnist)
                  --scenario FILE  --inject "5s w3 slowdown factor=2; 20s w1 crash"  --straggler w3=2.0
                  --threads (shards and workers as threads of this process)  --no-knobs
                  --config FILE (trainer.* properties)  --set trainer.key=value
                knob: sets knobs through the agent's knob API: batch_size, global_batch_size, learning_rate,
                  lr_scaling, staleness, sync_mode, node (value null clears one); without --worker for the job.
                status: the coordinator's view of a running job (its URL is printed by 'trainer run').
                examples: coxswain trainer run --workers 4 --mode ssp --staleness 3
                          coxswain trainer knob --job trainer-1 --worker w3 batch_size=128
                See docs/trainer.md.""";
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("name a subcommand: run, knob or status");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "run" -> new TrainerRun(System.out).run(settings(rest));
            case "knob" -> knob(rest);
            case "status" -> status(rest);
            case "role" -> TrainerRoles.run(rest);
            default -> throw new UsageException("unknown subcommand '" + args.getFirst() + "'");
        };
    }

    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("workers", "trainer.workers"), Map.entry("shards", "trainer.shards"),
            Map.entry("mode", "trainer.sync.mode"), Map.entry("staleness", "trainer.staleness"),
            Map.entry("batch", "trainer.batch.per.worker"), Map.entry("batches", "trainer.batches"),
            Map.entry("lr", "trainer.lr"), Map.entry("lr-scaling", "trainer.lr.scaling"),
            Map.entry("target", "trainer.target.accuracy"), Map.entry("max-epochs", "trainer.max.epochs"),
            Map.entry("job", "trainer.job.id"), Map.entry("agent", "trainer.agent.url"),
            Map.entry("data", "trainer.data.dir"), Map.entry("scenario", "trainer.scenario"));

    /** The run's settings: the config file, then the flags, then {@code --set} overrides. */
    static Map<String, String> settings(List<String> args) throws java.io.IOException {
        Set<String> withValue = new java.util.HashSet<>(FLAGS.keySet());
        withValue.addAll(Set.of("config", "inject", "straggler"));
        Options o = Options.parse(args, withValue, Set.of("threads", "no-knobs"));
        if (!o.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + o.positional().getFirst() + "'");
        }
        Map<String, String> raw = new LinkedHashMap<>();
        if (o.path("config").isPresent()) {
            java.util.Properties p = new java.util.Properties();
            try (var reader = java.nio.file.Files.newBufferedReader(o.path("config").get())) {
                p.load(reader);
            }
            p.stringPropertyNames().forEach(k -> raw.put(k, p.getProperty(k)));
        }
        FLAGS.forEach((flag, key) -> o.get(flag).ifPresent(v -> raw.put(key, v)));
        StringBuilder inject = new StringBuilder(raw.getOrDefault("trainer.inject", ""));
        o.get("inject").ifPresent(v -> append(inject, String.join(",", v.split("\\s*;\\s*"))));
        o.get("straggler").ifPresent(v -> {
            String[] kv = v.split("=", 2);
            if (kv.length != 2) {
                throw new UsageException("--straggler takes worker=factor, e.g. w3=2.0");
            }
            append(inject, "0s " + kv[0] + " slowdown factor=" + kv[1]);
        });
        if (!inject.isEmpty()) {
            raw.put("trainer.inject", inject.toString());
        }
        if (o.flag("threads")) {
            raw.put("trainer.launch", "threads");
        }
        if (o.flag("no-knobs")) {
            raw.put("trainer.knobs.watch", "false");
        }
        raw.putAll(o.overrides());
        return raw;
    }

    private static void append(StringBuilder b, String line) {
        if (!b.isEmpty()) {
            b.append(',');
        }
        b.append(line);
    }

    private static int knob(List<String> args) {
        Options o = Options.parse(args, Set.of("job", "worker", "agent"), Set.of());
        if (o.positional().isEmpty()) {
            throw new UsageException("give at least one knob=value");
        }
        Map<String, Object> knobs = new LinkedHashMap<>();
        for (String kv : o.positional()) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("'" + kv + "' is not knob=value");
            }
            knobs.put(kv.substring(0, eq), jsonValue(kv.substring(eq + 1)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        o.get("worker").ifPresent(w -> body.put("worker", w));
        body.put("knobs", knobs);
        URI agent = URI.create(o.get("agent").orElse(AgentClientOptions.DEFAULT_AGENT.toString()));
        try (AgentClient client = AgentClient.connect(AgentClientOptions.defaults(agent))) {
            long version = client.setKnobsJson(o.require("job"), JsonWriter.write(body));
            System.out.println("knobs set: " + JsonWriter.write(knobs) + " for " + o.get("worker").orElse("the job")
                    + " (version " + version + ")");
            return 0;
        } catch (KnobRejectedException e) {
            System.err.println("coxswain trainer knob: the agent rejected the change: " + e.getMessage());
            return 1;
        } catch (AgentUnavailableException e) {
            System.err.println("coxswain trainer knob: " + e.getMessage() + " (is 'coxswain agent' running?)");
            return 1;
        }
    }

    /** A number, true/false or null as JSON; anything else as a string (sync_mode=ssp). */
    private static Object jsonValue(String text) {
        if (text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?|true|false|null")) {
            return JsonParser.parse(text);
        }
        return text;
    }

    private static int status(List<String> args) throws InterruptedException {
        Options o = Options.parse(args, Set.of("coordinator"), Set.of());
        String coordinator = o.require("coordinator");
        URI uri;
        try {
            uri = URI.create(coordinator + "/v1/coord/status");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--coordinator " + coordinator + ": not a URL (" + e.getMessage() + ")");
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException("--coordinator " + coordinator + ": not an http://host:port URL");
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            System.err.println("coxswain trainer status: no coordinator answers at " + coordinator + " ("
                    + e.getClass().getSimpleName() + "); 'coxswain trainer run' prints its URL when it starts");
            return 1;
        }
        if (r.statusCode() != 200) {
            System.err.println("coxswain trainer status: " + uri + " answered " + r.statusCode() + ": " + r.body());
            return 1;
        }
        System.out.println(r.body());
        return 0;
    }
}
