package dev.coxswain.agent;

import dev.coxswain.agent.intake.IntakeServer;
import dev.coxswain.agent.intake.KnobStore;
import dev.coxswain.agent.publish.BufferedPublisher;
import dev.coxswain.agent.publish.Journal;
import dev.coxswain.agent.publish.Spool;
import dev.coxswain.agent.publish.Sender;
import dev.coxswain.agent.publish.TelemetrySink;
import dev.coxswain.agent.sample.CommandRunner;
import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.SampleLoop;
import dev.coxswain.agent.sample.Sampler;
import dev.coxswain.agent.sample.gpu.DcgmSampler;
import dev.coxswain.agent.sample.gpu.NvidiaSmi;
import dev.coxswain.agent.sample.gpu.NvidiaSmiSampler;
import dev.coxswain.agent.sample.host.HostSampler;
import dev.coxswain.agent.sample.topology.TopologySampler;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.telemetry.Telemetry;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node agent ({@code coxswain agent}): samples the host and its GPUs, receives step reports, membership, events
 * and knob requests from training processes on its intake, and publishes all telemetry through a bounded buffer
 * that rides out Kafka outages and, with a spool, the agent's own crash.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Threads: one Vert.x event loop (intake), one sampler
 * thread, one sender thread. Meters: {@code coxswain.agent.buffered}, {@code .dropped}, {@code .sent},
 * {@code .rejected} (by endpoint), {@code .sample.errors} (by source) and, with a spool, {@code .spool.bytes},
 * {@code .spool.evicted}, {@code .spool.quarantined} and {@code .spool.errors}.
 */
public final class Agent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    /** nvidia-smi answers in tens of milliseconds; a hung driver must not stall host sampling for long. */
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration TOPOLOGY_RECHECK = Duration.ofMinutes(1);

    private final AgentSettings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final BufferedPublisher publisher;
    private final KnobStore knobs = new KnobStore();
    private final SampleErrors sampleErrors;
    private final List<Sampler> samplers;
    private Vertx vertx;
    private IntakeServer intake;
    private SampleLoop loop;
    private Thread loopThread;
    private int intakePort = -1;

    /**
     * @param sink     where records go (see {@link TelemetrySink#kafka}); its lifecycle stays with the caller
     * @param registry where the agent's meters are registered
     */
    public Agent(AgentSettings settings, TelemetrySink sink, MeterRegistry registry, Clock clock) {
        this(settings, sink, registry, clock, null);
    }

    /** With the samplers given rather than built from the settings (tests, the simulator). */
    public Agent(AgentSettings settings, TelemetrySink sink, MeterRegistry registry, Clock clock,
                 List<Sampler> samplers) {
        this.settings = settings;
        this.clock = clock;
        this.registry = registry;
        this.publisher = new BufferedPublisher(settings.bufferCapacity(), sink, journal(settings, clock),
                Sender.Options.defaults(), clock);
        this.sampleErrors = new SampleErrors(registry, clock);
        this.samplers = samplers != null ? List.copyOf(samplers) : buildSamplers();
        registerMeters();
    }

    /** An agent that publishes through {@code publisher}, with its own meter registry and the system clock. */
    public Agent(AgentSettings settings, TelemetryPublisher publisher) {
        this(settings, TelemetrySink.kafka(publisher), new SimpleMeterRegistry(), Clock.systemUTC());
    }

    /** The spool when one is configured; a directory that cannot be used stops the start with the reason. */
    private static Journal journal(AgentSettings settings, Clock clock) {
        if (settings.spoolDir().isEmpty()) {
            return Journal.none();
        }
        Path dir = settings.spoolDir().get();
        try {
            return Spool.open(dir, settings.spoolMaxBytes(), clock);
        } catch (IOException e) {
            throw new CoxswainException(AgentSettings.SPOOL_DIR + " = " + dir + ": cannot be used as the spool ("
                    + e + "); fix it, or set it empty to keep records in memory only", e);
        }
    }

    /** Topology first, so that a collector sees the node's hardware before its samples. */
    private List<Sampler> buildSamplers() {
        NvidiaSmi nvidiaSmi = new NvidiaSmi(settings.nvidiaSmiPath(), new CommandRunner(), TOOL_TIMEOUT,
                sampleErrors);
        List<Sampler> list = new ArrayList<>();
        list.add(new TopologySampler(settings.nodeId(), nvidiaSmi, settings.sysRoot(), TOPOLOGY_RECHECK,
                sampleErrors));
        list.add(new HostSampler(settings.nodeId(), settings.procRoot(), settings.sysRoot(), sampleErrors));
        list.add(settings.dcgmUrl().<Sampler>map(url -> new DcgmSampler(settings.nodeId(), url, TOOL_TIMEOUT,
                sampleErrors)).orElseGet(() -> new NvidiaSmiSampler(settings.nodeId(), nvidiaSmi, sampleErrors)));
        return list;
    }

    private void registerMeters() {
        Gauge.builder("coxswain.agent.buffered", publisher, BufferedPublisher::buffered)
                .description("Records waiting in the agent's buffer to be sent to Kafka").baseUnit("records")
                .register(registry);
        FunctionCounter.builder("coxswain.agent.dropped", publisher, BufferedPublisher::dropped)
                .description("Records the agent dropped: buffer overflow, refused by Kafka, left at shutdown")
                .baseUnit("records").register(registry);
        FunctionCounter.builder("coxswain.agent.sent", publisher, BufferedPublisher::sent)
                .description("Records Kafka acknowledged").baseUnit("records").register(registry);
        if (publisher.journal() instanceof Spool spool) {
            Gauge.builder("coxswain.agent.spool.bytes", spool, Spool::bytes)
                    .description("Bytes of the agent's write-ahead spool on disk").baseUnit("bytes").register(registry);
            FunctionCounter.builder("coxswain.agent.spool.evicted", spool, Spool::evicted)
                    .description("Records whose spooled copy was removed over the bound before delivery")
                    .baseUnit("records").register(registry);
            FunctionCounter.builder("coxswain.agent.spool.quarantined", spool, Spool::quarantined)
                    .description("Damaged spool segments set aside at start").baseUnit("segments").register(registry);
            FunctionCounter.builder("coxswain.agent.spool.errors", spool, Spool::errors)
                    .description("Failed spool writes and checkpoints").baseUnit("errors").register(registry);
        }
    }

    /** Starts sending, listening and sampling; returns once the intake is bound. */
    public synchronized void start() {
        if (vertx != null) {
            throw new IllegalStateException("agent already started");
        }
        publisher.start();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        intake = new IntakeServer(vertx, new IntakeServer.Options(settings.intakeHost(), settings.intakePort(),
                settings.nodeId()), publisher, knobs, registry, clock);
        intakePort = intake.start();
        loop = new SampleLoop(samplers, publisher::offerAll, settings.sampleInterval(), clock, sampleErrors);
        loopThread = Thread.ofPlatform().name("coxswain-agent-sampler").daemon(true).start(loop);
        log.info("agent {} started: intake on {}:{}, sampling every {} with {}", settings.nodeId(),
                settings.intakeHost(), intakePort, settings.sampleInterval(),
                samplers.stream().map(Sampler::name).toList());
    }

    /** The intake's bound port (useful when configured as 0); -1 before {@link #start()}. */
    public int intakePort() {
        return intakePort;
    }

    public AgentSettings settings() {
        return settings;
    }

    /** Queues a record the agent raises itself (e.g. a job event on a job's behalf) for Kafka, like any sample. */
    public void report(Telemetry record) {
        publisher.offer(record);
    }

    /** The knob store behind {@code /v1/knobs}; an in-process controller may set knobs here directly. */
    public KnobStore knobs() {
        return knobs;
    }

    public long buffered() {
        return publisher.buffered();
    }

    public long dropped() {
        return publisher.dropped();
    }

    public long sent() {
        return publisher.sent();
    }

    public boolean kafkaUp() {
        return publisher.kafkaUp();
    }

    /** Intake requests and entries rejected since start. */
    public long rejected() {
        return intake == null ? 0 : intake.rejected();
    }

    /** Sampler reads that failed since start. */
    public long sampleErrors() {
        return sampleErrors.total();
    }

    /**
     * Stops sampling and the intake, then gives the sender its grace period to deliver what is buffered; what is
     * left stays in the spool for the next start, or without one is counted as dropped. Does not close the sink.
     */
    @Override
    public synchronized void close() {
        if (loop != null) {
            loop.shutdown();
            join(loopThread);
            loop = null;
        }
        if (intake != null) {
            intake.close();
        }
        if (vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
        publisher.close();
        log.info("agent {} stopped: {} sent, {} dropped, {} rejected", settings.nodeId(), publisher.sent(),
                publisher.dropped(), rejected());
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
