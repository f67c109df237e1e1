package dev.coxswain.app.controller;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.trainer.TrainerRun;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlRecord;
import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.KafkaFixture;
import dev.coxswain.trainer.launch.EmbeddedTrainer;
import dev.coxswain.transport.ActionLogReader;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover between two collectors of one consumer group, each with its detector and controller, on a real broker
 * with the reference trainer (w3 2x slower after 5 s). Collector A acts on the straggler and is stopped at once,
 * before or just after the job applies the action; collector B then joins, takes every partition over, rebuilds the
 * job's windows and reads the job's audit log. Whoever records it, the action's outcomes on the actions topic are
 * exactly applied then verified (none lost, none twice), and no second rebalance is issued while w3 stays slow.
 */
class FailoverIT {
    private static final String SECRET = "failover-it-secret-0123456789";
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private Settings settings(KafkaSettings kafka, String controllerId) {
        Map<String, String> raw = new HashMap<>(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers().orElseThrow(),
                "kafka.topics.prefix", kafka.topics().prefix(), "agent.intake.port", "0",
                "agent.node.id", "it-host", "collector.snapshot.interval", "200ms",
                "detector.model", dir.resolve("no.model").toString(), "control.secret", SECRET,
                "controller.mode", "act", "controller.id", controllerId));
        raw.put("collector.group.id", "failover-it");
        return Settings.load(null, raw);
    }

    /** A collector with its detector and controller; returns the controller. */
    private static ControlApi stack(Services s, Settings settings) {
        return s.collectorStage(s.kafka(settings.kafka()), settings, settings.controller(), settings.control(),
                new SimpleMeterRegistry()).control();
    }

    private static ActionBoard await(ControlApi control, Predicate<ActionBoard> done, String what) {
        return Await.value(what, BOUND, () -> Optional.of(control.latest()).filter(done),
                () -> control.latest().entries());
    }

    @Test
    void theNewOwnerFollowsTheActionInFlightAndRepeatsNothing() throws Exception {
        String job = "failover-job";
        try (KafkaFixture broker = new KafkaFixture(dir.resolve("kafka"))) {
            KafkaSettings kafka = broker.freshTopics(4);
            Settings a = settings(kafka, "ctl-a");
            try (Services jobSide = new Services(Clock.systemUTC())) {
                KafkaSettings k = jobSide.kafka(a.kafka());
                TelemetryPublisher publisher = jobSide.add(new TelemetryPublisher(k, "it-agent"));
                Agent agent = jobSide.add(new Agent(a.agent(), publisher));
                agent.start();
                jobSide.agentKnobs(k, a.control(), agent, new SimpleMeterRegistry());
                Services first = new Services(Clock.systemUTC());
                ControlApi controllerA = stack(first, a);
                jobSide.add(EmbeddedTrainer.start(new EmbeddedTrainer.Options(job,
                        URI.create("http://127.0.0.1:" + agent.intakePort()), Optional.of(Duration.ofSeconds(5)),
                        Optional.of(new EmbeddedTrainer.ChildMain(TrainerRun.MAIN_CLASS, TrainerRun.ROLE_ARGS)),
                        Map.of("trainer.nodes", "it-host", "trainer.device.samples.per.sec", "1500", "trainer.eval.every", "50",
                                "trainer.work.dir", dir.resolve("trainer").toString()))));

                await(controllerA, b -> b.entries().stream().anyMatch(e -> e.action().job().equals(job)),
                        "collector A acts on the straggler");
                first.close();

                try (Services second = new Services(Clock.systemUTC())) {
                    ControlApi controllerB = stack(second, settings(kafka, "ctl-b"));
                    ActionBoard b = await(controllerB, board -> board.entries().stream().anyMatch(e ->
                            e.action().job().equals(job) && e.latest().filter(o -> o.status().last()).isPresent()),
                            "collector B takes the job over and its action ends");
                    Action action = b.entries().stream().filter(e -> e.action().job().equals(job)).findFirst()
                            .orElseThrow().action();
                    assertThat(action.issuer()).isEqualTo("ctl-a");
                    // w3 stays slow: let B go over the job for 50 more snapshots, where a repeated rebalance would show
                    long rounds = b.generation() + 50;
                    await(controllerB, board -> board.generation() >= rounds, "50 more rounds of collector B");
                    assertTheLogHasOneActionWithOneOutcomeEach(kafka, job, action);
                }
            }
        }
    }

    private static void assertTheLogHasOneActionWithOneOutcomeEach(KafkaSettings kafka, String job, Action action) {
        List<ControlRecord> log = new ActionLogReader(kafka).read(Optional.of(job), Duration.ofSeconds(30)).records();
        assertThat(log).filteredOn(Action.class::isInstance).as("actions on the job").containsExactly(action);
        assertThat(log).filteredOn(r -> r instanceof ActionOutcome).extracting(r -> ((ActionOutcome) r).status())
                .containsExactly(ActionOutcome.Status.APPLIED, ActionOutcome.Status.VERIFIED);
    }
}
