package dev.coxswain.trainer.launch;

import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.sdk.testing.LocalAgent;
import dev.coxswain.testkit.Requires;
import dev.coxswain.trainer.coord.CoordinatorListener;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.FashionMnist;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small real jobs for tests: the real Fashion-MNIST files cut to a few thousand images, few clocks, and the in-test
 * agent for reports, events and knobs. Skips the test when the data set is not installed.
 */
final class JobFixture implements AutoCloseable {
    final LocalAgent agent;
    final AgentClient client;
    private static Dataset test;

    JobFixture() throws Exception {
        Requires.directory(FashionMnist.DEFAULT_DIR, "dataset-fashion-mnist");
        agent = LocalAgent.start();
        client = AgentClient.connect(AgentClientOptions.defaults(agent.uri()).withFlushInterval(Duration.ofMillis(50))
                .withKnobWait(Duration.ofSeconds(5)).withMaxBackoff(Duration.ofMillis(200)));
    }

    /** Settings for a small job; {@code overrides} are laid over them. */
    Map<String, String> settings(Path workDir, String... overrides) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("trainer.job.id", "it-" + Long.toHexString(System.nanoTime()));
        raw.put("trainer.agent.url", agent.uri().toString());
        raw.put("trainer.work.dir", workDir.toString());
        raw.put("trainer.train.limit", "6000");
        raw.put("trainer.test.limit", "1000");
        raw.put("trainer.batch.per.worker", "32");
        raw.put("trainer.lr", "0.1");
        raw.put("trainer.max.clocks", "40");
        raw.put("trainer.target.accuracy", "0");
        raw.put("trainer.eval.every", "10");
        raw.put("trainer.launch", "threads");
        raw.put("trainer.worker.heap", "256m");
        for (String o : overrides) {
            int eq = o.indexOf('=');
            raw.put(o.substring(0, eq), o.substring(eq + 1));
        }
        return raw;
    }

    static synchronized Dataset testSet(TrainerSpec spec) {
        if (test == null) {
            test = TrainerRoles.load(spec, FashionMnist.Split.TEST);
        }
        return test;
    }

    TrainerJob start(TrainerSpec spec, CoordinatorListener observer, Clock clock) {
        RoleLauncher launcher = spec.processes().launch() == TrainerSpec.LaunchMode.THREADS
                ? new InProcessLauncher(() -> TrainerRoles.load(spec, FashionMnist.Split.TRAIN), client)
                : new ChildProcessLauncher(TestRoleMain.class.getName(), List.of());
        return TrainerJob.start(spec, launcher, client, testSet(spec), observer, clock);
    }

    TrainerJob start(TrainerSpec spec) {
        return start(spec, new CoordinatorListener() {
        }, Clock.systemUTC());
    }

    @Override
    public void close() {
        client.close();
        agent.close();
    }
}
