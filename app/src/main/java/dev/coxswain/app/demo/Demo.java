package dev.coxswain.app.demo;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.trainer.TrainerRun;
import dev.coxswain.controller.ControllerSettings;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.detection.DetectionSource;
import dev.coxswain.dashboards.DashboardServer;
import dev.coxswain.trainer.launch.EmbeddedTrainer;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import dev.coxswain.whatif.synthetic.SyntheticJob;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything on one machine: the embedded broker (unless Kafka is configured), an agent, a collector with its
 * straggler detector and dashboard, and a demo job reporting to the agent with a straggler after
 * {@code stragglerAfter}: the reference trainer (its worker w3 computes 2x slower), or the synthetic GPU job (the
 * GPU of its worker w5 throttles).
 */
public final class Demo implements AutoCloseable {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);
    private final Services services;
    private final String jobId;
    private final URI dashboard;
    private final URI intake;
    private final KafkaSettings kafka;
    private final DetectionSource detections;
    private final ControlApi control;

    private Demo(Services services, String jobId, URI dashboard, URI intake, KafkaSettings kafka,
                 DetectionSource detections, ControlApi control) {
        this.services = services;
        this.control = control;
        this.kafka = kafka;
        this.detections = detections;
        this.jobId = jobId;
        this.dashboard = dashboard;
        this.intake = intake;
    }

    /** Which job the demo runs. */
    public enum Job {
        /** The reference trainer: a parameter server and 4 workers as child JVMs, on this host's agent. */
        TRAINER,
        /** A simulated 8-GPU ring all-reduce job on two simulated nodes, for seeing the GPU views without a GPU. */
        SYNTHETIC,
        /** A real PyTorch DDP job: four gloo ranks on CPU under torch.distributed.run ({@link PyTorchJob}). */
        PYTORCH
    }

    /**
     * @param trainer {@code trainer.*} settings laid over the demo trainer's defaults
     */
    public static Demo start(Settings settings, Job job, Duration stragglerAfter, Map<String, String> trainer,
                             Clock clock) {
        return start(settings, settings.controller().withMode(ControlMode.ACT), job, stragglerAfter, trainer, clock);
    }

    /**
     * @param controller the controller's settings: the demo's default is {@code act}; one process holds agent and
     *                   controller, so without {@code control.secret} they share a random one
     */
    public static Demo start(Settings settings, ControllerSettings controller, Job job, Duration stragglerAfter,
                             Map<String, String> trainer, Clock clock) {
        Services services = new Services(clock);
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            KafkaSettings kafka = services.kafka(settings.kafka());
            ControlChannelSettings control = settings.control().secret().isPresent() ? settings.control()
                    : ControlChannelSettings.random();
            Services.CollectorStage stage = services.collectorStage(kafka, settings, controller, control, registry);
            DetectionSource detections = stage.detections();
            ControlApi controlApi = stage.control();
            DashboardServer dashboard = services.add(new DashboardServer(settings.dashboard(), stage.snapshots(),
                    stage.boards(), registry, clock));
            dashboard.start();
            TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "demo"));
            Agent agent = services.add(new Agent(settings.agent(), publisher));
            agent.start();
            services.agentKnobs(kafka, control, agent, registry);
            URI intake = URI.create("http://" + settings.agent().intakeHost() + ":" + agent.intakePort());
            // A new job id per run: the embedded broker keeps the telemetry of earlier runs, which the collector
            // replays at start, and the steps of two runs must not read as one job.
            String jobId = "demo-job-" + RUN_ID.format(clock.instant());
            switch (job) {
                case TRAINER -> services.add(EmbeddedTrainer.start(new EmbeddedTrainer.Options(jobId, intake,
                        Optional.of(stragglerAfter), Optional.of(new EmbeddedTrainer.ChildMain(TrainerRun.MAIN_CLASS,
                        TrainerRun.ROLE_ARGS)), onThisHost(settings, trainer))));
                case SYNTHETIC -> services.add(new SyntheticJob(jobId, intake, r -> publisher.send(r, null),
                        stragglerAfter, clock, 7)).start();
                case PYTORCH -> services.add(PyTorchJob.start(new PyTorchJob.Options(jobId, intake, 4, 3, 2.0,
                        stragglerAfter, List.of("--target", "0", "--max-steps", "100000000"),
                        pyTorchLog(settings, trainer, jobId))));
            }
            return new Demo(services, jobId, dashboard.uri(), intake, kafka, detections, controlApi);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /**
     * The trainer's workers and shards run here, so they are placed on this host's agent node. They emulate
     * accelerators of 1,500 samples/s (256 samples in 171 ms), so that a slow worker costs the job what it would on
     * a GPU cluster, and compute, not the CPU contention of a small machine, dominates the workers' step times. The
     * test set is evaluated every 50 steps rather than 10 (there is no accuracy target to watch for), to leave the
     * CPU to training.
     */
    private static Map<String, String> onThisHost(Settings settings, Map<String, String> trainer) {
        Map<String, String> options = new HashMap<>(Map.of("trainer.nodes", settings.agent().nodeId(),
                "trainer.device.samples.per.sec", "1500",
                "trainer.eval.every", "50"));
        options.putAll(trainer);
        return options;
    }

    /** Where the PyTorch job's output goes: under {@code trainer.work.dir} when given, else the state directory. */
    public static Path pyTorchLog(Settings settings, Map<String, String> trainer, String jobId) {
        return Optional.ofNullable(trainer.get("trainer.work.dir")).map(Path::of)
                .orElse(settings.stateDir().resolve("pytorch")).resolve(jobId + ".log");
    }

    /** The demo job's id: {@code demo-job-HHmmss}, the start time (UTC). */
    public String jobId() {
        return jobId;
    }

    public URI dashboard() {
        return dashboard;
    }

    public URI intake() {
        return intake;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers().orElseThrow();
    }

    /** The Kafka cluster the demo uses (the embedded broker unless one was configured), with its topics. */
    public KafkaSettings kafka() {
        return kafka;
    }

    /** The live straggler detector's episodes. */
    public DetectionSource detections() {
        return detections;
    }

    /** The controller's actions and mode switches. */
    public ControlApi control() {
        return control;
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() {
        services.close();
    }
}
