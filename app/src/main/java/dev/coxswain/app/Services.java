package dev.coxswain.app;

import dev.coxswain.agent.Agent;
import dev.coxswain.agent.intake.ActionIntake;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.gnn.LivePlacer;
import dev.coxswain.app.gnn.NetworkPlacementScorer;
import dev.coxswain.broker.EmbeddedKafka;
import dev.coxswain.collector.graph.ClusterGraph;
import dev.coxswain.collector.ingest.Collector;
import dev.coxswain.collector.ingest.CollectorSettings;
import dev.coxswain.collector.ingest.IngestPipeline;
import dev.coxswain.collector.state.ClusterState;
import dev.coxswain.controller.Controller;
import dev.coxswain.controller.ControllerSettings;
import dev.coxswain.controller.policy.PlacementScorer;
import dev.coxswain.controller.policy.StepModelScorer;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.control.KnobSignature;
import dev.coxswain.core.detection.DetectionHub;
import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.hub.Source;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.graphmodels.live.DetectorChoice;
import dev.coxswain.graphmodels.live.LiveDetection;
import dev.coxswain.graphmodels.live.LiveDetectorSettings;
import dev.coxswain.graphmodels.live.LiveNetwork;
import dev.coxswain.graphmodels.live.LiveNetworkSettings;
import dev.coxswain.graphmodels.live.NetworkPredictor;
import dev.coxswain.snapshot.SnapshotHub;
import dev.coxswain.snapshot.SnapshotSource;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.ControlPublisher;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.DetectionPublisher;
import dev.coxswain.transport.EpisodeLogReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.KnobCommands;
import dev.coxswain.transport.Topics;
import dev.coxswain.whatif.place.PlacementRanker;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The components a command starts, built and wired here by hand, and stopped in reverse order of start: on
 * {@link #close()}, or on Ctrl-C while {@link #awaitShutdown()} blocks.
 */
public final class Services implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Services.class);

    /** How long an agent waits at start to learn whether an external Kafka lets it in. */
    private static final Duration AGENT_KAFKA_PROBE = Duration.ofSeconds(5);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock;

    public Services(Clock clock) {
        this.clock = clock;
    }

    public <T extends AutoCloseable> T add(T component) {
        started.push(component);
        return component;
    }

    /** The configured cluster, or an embedded broker started in the state directory; topics created if missing. */
    public KafkaSettings kafka(KafkaSettings settings) {
        KafkaSettings resolved = settings;
        if (settings.bootstrapServers().isEmpty()) {
            EmbeddedKafka broker = add(EmbeddedKafka.start(settings.embeddedDir(), settings.embeddedPort()));
            resolved = settings.withBootstrap(broker.bootstrapServers());
        }
        Topics.ensure(resolved);
        return resolved;
    }

    /**
     * As {@link #kafka}, but an external cluster's topics are left to the collectors, which create them: an agent
     * must start, and buffer, while Kafka is down. It must not start against a cluster that refuses it.
     *
     * @throws CoxswainException when the cluster answers and refuses the agent's credentials or TLS trust
     */
    public KafkaSettings kafkaForAgent(KafkaSettings settings) {
        if (settings.bootstrapServers().isEmpty()) {
            return kafka(settings);
        }
        if (!Topics.reachable(settings, AGENT_KAFKA_PROBE)) {
            log.warn("Kafka at {} does not answer within {} s; the agent starts and buffers what it takes",
                    settings.bootstrapServers().get(), AGENT_KAFKA_PROBE.toSeconds());
        }
        return settings;
    }

    /** Starts a collector in the configured group; returns the hub its snapshots are published to. */
    public SnapshotHub collector(KafkaSettings kafka, CollectorSettings settings, MeterRegistry registry,
                                 IngestPipeline.ApplyObserver observer) {
        SnapshotHub hub = new SnapshotHub();
        ClusterState state = new ClusterState(new ClusterGraph(settings.capacities()), settings.windowSteps(), clock,
                settings.jobRetention());
        DeadLetters deadLetters = add(new DeadLetters(kafka, "collector-dead-letters"));
        Collector collector = add(new Collector(settings, kafka, state, hub, deadLetters, registry, observer, clock));
        collector.start();
        return hub;
    }

    /**
     * Starts the straggler detector beside a collector, sending episode events to the detections topic; returns
     * where the dashboard reads its episodes. When {@code detector.enabled} is false nothing starts and the source
     * says the detector is off.
     */
    public DetectionSource detector(KafkaSettings kafka, LiveDetectorSettings settings, SnapshotHub snapshots,
                                    MeterRegistry registry) {
        if (!settings.enabled()) {
            log.info("straggler detector off ({} = false)", LiveDetectorSettings.ENABLED);
            return DetectionSource.none();
        }
        DetectorChoice choice = DetectorChoice.load(settings.modelFile());
        DetectionHub hub = new DetectionHub(LiveDetection.initialBoard(choice));
        DetectionPublisher publisher = add(new DetectionPublisher(kafka, "detector"));
        add(new LiveDetection(settings, choice, snapshots, hub, publisher, new EpisodeLogReader(kafka), registry))
                .start();
        return hub;
    }

    /**
     * The network model beside a collector: where the dashboard reads its board, and the predictor it runs.
     *
     * @param predictor empty when {@code network.enabled} is false
     */
    public record NetworkModel(Source<NetworkBoard> board, Optional<NetworkPredictor> predictor) {
        /**
         * How the controller's migration policy scores places: with the network model when a trained graph network
         * is loaded, else with the step model alone.
         */
        public PlacementScorer scorer(SnapshotSource snapshots) {
            return predictor.filter(NetworkPredictor::learned)
                    .<PlacementScorer>map(p -> new NetworkPlacementScorer(snapshots, p, board))
                    .orElseGet(StepModelScorer::new);
        }
    }

    /**
     * Starts the network model beside a collector. When {@code network.enabled} is false nothing starts and the
     * board says the model is off.
     */
    public NetworkModel network(LiveNetworkSettings settings, Path stateDir, SnapshotHub snapshots,
                                MeterRegistry registry) {
        if (!settings.enabled()) {
            log.info("network model off ({} = false)", LiveNetworkSettings.ENABLED);
            return new NetworkModel(new Hub<>("network board", NetworkBoard.off()), Optional.empty());
        }
        NetworkPredictor predictor = add(NetworkPredictor.load(settings.modelFile(), stateDir.resolve("djl")));
        Hub<NetworkBoard> hub = new Hub<>("network board", LiveNetwork.initialBoard(predictor));
        add(new LiveNetwork(settings, predictor, snapshots, hub, registry)).start();
        return new NetworkModel(hub, Optional.of(predictor));
    }

    /**
     * What runs for each collector: its snapshots, the live detector and the network model over them, the
     * controller beside them, and what ranks places for a new job on the cluster they see.
     */
    public record CollectorStage(SnapshotHub snapshots, DetectionSource detections, Source<NetworkBoard> network,
                                 ControlApi control, PlacementRanker placement) {
        /** What the dashboard shows and answers of the stage beside the snapshots. */
        public DashboardServer.Boards boards() {
            return new DashboardServer.Boards(detections, control, network, Optional.of(placement));
        }
    }

    /**
     * A collector with its live detector and controller, as the daemon runs them; the collector's applied records go
     * nowhere else.
     */
    public CollectorStage collectorStage(KafkaSettings kafka, Settings settings, ControllerSettings controller,
                                         ControlChannelSettings control, MeterRegistry registry) {
        SnapshotHub hub = collector(kafka, settings.collector(), registry, IngestPipeline.ApplyObserver.NONE);
        DetectionSource detections = detector(kafka, settings.detector(), hub, registry);
        NetworkModel network = network(settings.network(), settings.stateDir(), hub, registry);
        return new CollectorStage(hub, detections, network.board(),
                controller(kafka, controller, control, hub, detections, network.scorer(hub), registry),
                add(new LivePlacer(settings.network().modelFile(), settings.stateDir().resolve("djl"))));
    }

    /**
     * Starts the controller beside a collector and its detector; returns what the dashboard shows and changes. When
     * {@code controller.enabled} is false, or the detector is off, nothing starts. Without {@code control.secret}
     * its actions are signed with a key of its own that no agent shares: it can advise, but what it sends is refused.
     */
    public ControlApi controller(KafkaSettings kafka, ControllerSettings settings, ControlChannelSettings control,
                                 SnapshotHub snapshots, DetectionSource detections, PlacementScorer scorer,
                                 MeterRegistry registry) {
        if (!settings.enabled() || detections.latest().detector().equals("off")) {
            log.info("controller off ({} = {}, detector {})", ControllerSettings.ENABLED, settings.enabled(),
                    detections.latest().detector());
            return ControlApi.none();
        }
        KnobSignature signature = control.signature().orElseGet(() -> {
            if (settings.mode() == ControlMode.ACT) {
                log.warn("{} = act but {} is not set: agents will refuse every action", ControllerSettings.MODE,
                        ControlChannelSettings.SECRET);
            }
            return ControlChannelSettings.random().signature().orElseThrow();
        });
        ControlPublisher publisher = add(new ControlPublisher(kafka, signature, "controller"));
        Controller controller = add(new Controller(settings, snapshots, detections, publisher,
                new ActionLogReader(kafka), registry, scorer));
        controller.start();
        return controller;
    }

    /**
     * Lets the agent apply the controller's actions from the knobs topic to its knob store, for the jobs on its
     * node; returns once it reads the topic. Without {@code control.secret} nothing starts: unsigned changes are
     * never applied.
     */
    public void agentKnobs(KafkaSettings kafka, ControlChannelSettings control, Agent agent, MeterRegistry registry) {
        if (control.signature().isEmpty()) {
            log.warn("{} is not set: this agent applies no knob change from {}", ControlChannelSettings.SECRET,
                    kafka.topics().knobs());
            return;
        }
        DeadLetters deadLetters = add(new DeadLetters(kafka, "agent-knobs-dead-letters"));
        KnobCommands commands = add(new KnobCommands(kafka, control.signature().get(), deadLetters,
                "agent-" + agent.settings().nodeId() + "-knobs", new ActionIntake(agent.knobs(), agent::report,
                clock, registry)));
        commands.start();
        try {
            if (!commands.awaitAssigned(Duration.ofSeconds(60))) {
                log.warn("the knob intake has not reached {} after 60 s; it keeps trying", kafka.topics().knobs());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until Ctrl-C (or SIGTERM), then stops everything. */
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "coxswain-shutdown"));
        stopped.await();
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.error("error stopping {}", c.getClass().getSimpleName(), e);
            }
        }
    }
}
