package dev.coxswain.trainer.launch;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.ps.ShardLayout;
import dev.coxswain.trainer.ps.ShardServer;
import dev.coxswain.trainer.ps.ShardState;
import dev.coxswain.trainer.worker.Worker;
import dev.coxswain.trainer.worker.WorkerSettings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How a shard or a worker runs, in a child process ({@link #run}) or on a thread of the job's own JVM. The job file
 * that {@link #writeSpec} writes carries the job's settings to the children.
 */
public final class TrainerRoles {

    private TrainerRoles() {
    }

    /** A child process's whole life: runs the role in {@code argv} until it is done; returns the exit code. */
    public static int run(List<String> argv) throws InterruptedException {
        RoleArgs args = RoleArgs.parse(argv);
        TrainerSpec spec = readSpec(args.spec());
        return switch (args.role()) {
            case SHARD -> {
                try (ShardServer shard = startShard(args, spec)) {
                    // A shard serves the job's master, which started it: once that process is gone, however it
                    // ended (SIGTERM to it alone, SIGKILL), nothing will use or stop the shard.
                    ProcessHandle.current().parent().ifPresent(master -> master.onExit().thenRun(shard::close));
                    shard.awaitShutdown();
                }
                yield 0;
            }
            case WORKER -> {
                try (AgentClient agent = agentFor(spec)) {
                    Worker worker = worker(args, spec, load(spec, FashionMnist.Split.TRAIN), agent);
                    worker.run();
                }
                yield 0;
            }
        };
    }

    static AgentClient agentFor(TrainerSpec spec) {
        return AgentClient.connect(AgentClientOptions.defaults(spec.steering().agentUri()));
    }

    /** Loads a split of the data set, cut to the spec's limit. */
    public static Dataset load(TrainerSpec spec, FashionMnist.Split split) {
        Dataset d = FashionMnist.load(spec.run().dataDir(), split);
        int limit = split == FashionMnist.Split.TRAIN ? spec.run().trainLimit() : spec.run().testLimit();
        return limit > 0 && limit < d.size() ? d.head(limit) : d;
    }

    static ShardServer startShard(RoleArgs args, TrainerSpec spec) {
        int index = args.shardIndex();
        ShardLayout layout = new ShardLayout(spec.shape().parameterCount(), spec.shards());
        float[] slice = Arrays.copyOfRange(spec.shape().initialParameters(spec.optimizer().seed()), layout.from(index),
                layout.to(index));
        ShardServer server = new ShardServer(index, new ShardState(slice, spec.workers(),
                (float) spec.optimizer().momentum(), (float) spec.optimizer().averaging()));
        int port = server.start("127.0.0.1", 0);
        register(args.coordinatorUrl(), index, "http://127.0.0.1:" + port);
        return server;
    }

    static Worker worker(RoleArgs args, TrainerSpec spec, Dataset train, AgentClient agent) {
        ShardLayout layout = new ShardLayout(spec.shape().parameterCount(), spec.shards());
        return new Worker(new WorkerSettings(spec.jobId(), args.id(), args.node(), args.coordinatorUrl(),
                spec.shape(), layout, spec.optimizer().seed()), train, agent, Clock.systemUTC());
    }

    private static void register(String coordinator, int index, String url) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(coordinator + "/v1/coord/shards"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"index\":" + index + ",\"url\":\"" + url + "\"}"))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new CoxswainException("coordinator refused shard " + index + ": " + r.body());
            }
        } catch (IOException e) {
            throw new CoxswainException("cannot reach the coordinator at " + coordinator + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoxswainException("interrupted while registering shard " + index, e);
        }
    }

    /** Writes the job's settings where children can read them. */
    public static Path writeSpec(TrainerSpec spec) throws IOException {
        Path dir = spec.processes().workDir().resolve(spec.jobId());
        Files.createDirectories(dir);
        Path file = dir.resolve("job.properties");
        Properties p = new Properties();
        p.putAll(new TreeMap<>(spec.raw()));
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "Coxswain trainer job " + spec.jobId());
        }
        return file;
    }

    public static TrainerSpec readSpec(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new CoxswainException("cannot read job file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> raw = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> raw.put(k, p.getProperty(k)));
        return TrainerSpec.parse(raw);
    }
}
