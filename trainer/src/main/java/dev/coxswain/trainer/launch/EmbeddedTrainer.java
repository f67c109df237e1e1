package dev.coxswain.trainer.launch;

import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.data.FashionMnist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reference trainer as a long-running background job for another program (the demo): it reports to the agent
 * at {@code agentUri} through the job SDK, takes knob changes from it, optionally slows worker w3 down 2x after
 * {@code stragglerAfter}, and keeps training (no accuracy target) until closed. Shards and workers are child JVMs
 * when {@code childMain} is given (the app passes its main class and {@code trainer role}), threads otherwise.
 *
 * <pre>{@code
 * EmbeddedTrainer job = EmbeddedTrainer.start(new EmbeddedTrainer.Options("demo-job", intake,
 *         Optional.of(Duration.ofSeconds(30)), Optional.of(new EmbeddedTrainer.ChildMain(
 *         "dev.coxswain.app.Main", List.of("trainer", "role"))), Map.of()));
 * ...
 * job.close();
 * }</pre>
 */
public final class EmbeddedTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTrainer.class);

    /** How to start a child JVM: its main class and the arguments before the role's own. */
    public record ChildMain(String mainClass, List<String> leadingArgs) {
        public ChildMain {
            leadingArgs = List.copyOf(leadingArgs);
        }
    }

    /**
     * @param overrides any trainer settings ({@code trainer.*} keys) laid over the embedded defaults
     */
    public record Options(String jobId, URI agentUri, Optional<Duration> stragglerAfter, Optional<ChildMain> childMain,
                          Map<String, String> overrides) {
        public Options {
            overrides = Map.copyOf(overrides);
        }
    }

    private final AgentClient agent;
    private final TrainerJob job;
    private final Thread waiter;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedTrainer(AgentClient agent, TrainerJob job) {
        this.agent = agent;
        this.job = job;
        this.waiter = Thread.ofPlatform().daemon().name("coxswain-embedded-trainer").start(this::await);
    }

    public static EmbeddedTrainer start(Options options) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("trainer.job.id", options.jobId());
        raw.put("trainer.agent.url", options.agentUri().toString());
        raw.put("trainer.target.accuracy", "0");
        raw.put("trainer.max.epochs", "1000");
        raw.put("trainer.launch", options.childMain().isPresent() ? "process" : "threads");
        options.stragglerAfter().ifPresent(d -> raw.put("trainer.inject",
                d.toMillis() + "ms w3 slowdown factor=2"));
        raw.putAll(options.overrides());
        TrainerSpec spec = TrainerSpec.parse(raw);
        AgentClient agent = AgentClient.connect(AgentClientOptions.defaults(spec.steering().agentUri()));
        RoleLauncher launcher = options.childMain()
                .<RoleLauncher>map(m -> new ChildProcessLauncher(m.mainClass(), m.leadingArgs()))
                .orElseGet(() -> new InProcessLauncher(() -> TrainerRoles.load(spec, FashionMnist.Split.TRAIN),
                        agent));
        try {
            return new EmbeddedTrainer(agent, TrainerJob.start(spec, launcher, agent,
                    TrainerRoles.load(spec, FashionMnist.Split.TEST)));
        } catch (RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    private void await() {
        try {
            JobResult r = job.await(Duration.ofDays(365));
            LOG.info("embedded trainer {} ended: {}, test accuracy {}", r.jobId(), r.stopReason(),
                    r.finalEval().accuracy());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (closed.get()) {
                // Ctrl-C reaches the shards too, so that the final evaluation may find them gone.
                LOG.info("embedded trainer stopped without a final evaluation: {}", e.getMessage());
            } else {
                LOG.warn("embedded trainer failed", e);
            }
        }
    }

    /** The running job (status, coordinator URL, evaluations). */
    public TrainerJob job() {
        return job;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            job.stop("closed");
            try {
                waiter.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            job.close();
            agent.close();
        }
    }
}
