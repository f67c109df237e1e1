package dev.coxswain.bench;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.AgentSettings;
import dev.coxswain.agent.publish.SendOutcome;
import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.app.trainer.TrainerRun;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.bench.TrainerBenchmark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code coxswain bench trainer}: runs {@link TrainerBenchmark} with its jobs reporting to a real agent, started here
 * on a free port (its records are counted, not sent to Kafka), or to the one at {@code --agent}. The hand-set
 * batches go through that agent's knob API.
 */
public final class TrainerBench {
    private final PrintStream out;

    public TrainerBench(PrintStream out) {
        this.out = out;
    }

    public void run(int repeats, boolean threads, double quietBelow, Optional<URI> existingAgent,
                    Map<String, String> overrides)
            throws InterruptedException {
        AtomicLong received = new AtomicLong();
        Agent local = null;
        URI agentUri;
        if (existingAgent.isPresent()) {
            agentUri = existingAgent.get();
        } else {
            TelemetrySink counting = new TelemetrySink() {
                @Override
                public void send(Telemetry record, Consumer<SendOutcome> done) {
                    received.incrementAndGet();
                    done.accept(SendOutcome.SENT);
                }
            };
            local = new Agent(AgentSettings.defaults("bench-node").withIntakePort(0), counting,
                    new SimpleMeterRegistry(), Clock.systemUTC(), List.of());
            local.start();
            agentUri = URI.create("http://127.0.0.1:" + local.intakePort());
        }
        Map<String, String> base = new LinkedHashMap<>();
        base.put("trainer.agent.url", agentUri.toString());
        base.put("trainer.launch", threads ? "threads" : "process");
        base.put("trainer.work.dir", ".state/trainer-bench");
        base.put("trainer.device.samples.per.sec", Double.toString(TrainerBenchmark.DEVICE_SPEED));
        base.putAll(overrides);
        try (AgentClient agent = AgentClient.connect(AgentClientOptions.defaults(agentUri))) {
            new TrainerBenchmark(new TrainerBenchmark.Options(repeats, base, spec -> TrainerRun.launcher(spec, agent),
                    agent, Duration.ofMinutes(5), quietBelow), out).run();
        } finally {
            if (local != null) {
                local.close();
                out.println("(the in-process agent at " + agentUri + " received " + received.get()
                        + " records from the runs)");
            }
        }
    }
}
