package dev.coxswain.app.trainer;

import dev.coxswain.testkit.Await;
import dev.coxswain.testkit.Requires;
import dev.coxswain.trainer.data.FashionMnist;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code coxswain trainer run} as a real process, with its shards and workers as its child processes, ended by a
 * signal to it alone, as a process manager sends one: its job stops and reports, and no child outlives it.
 */
class TrainerRunSignalIT {
    private static final int WORKERS = 2;
    private static final int SHARDS = 2;

    @TempDir
    Path dir;
    private Path log;

    @BeforeEach
    void needsData() {
        Requires.directory(FashionMnist.DEFAULT_DIR, "dataset-fashion-mnist");
        log = dir.resolve("run.log");
    }

    /** Starts a run whose job would train for many minutes. */
    private Process startJob() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.coxswain.app.Main", "trainer", "run",
                "--set", "trainer.workers=" + WORKERS, "--set", "trainer.shards=" + SHARDS,
                "--set", "trainer.launch=process", "--set", "trainer.work.dir=" + dir.resolve("work"),
                "--set", "trainer.train.limit=6000", "--set", "trainer.test.limit=1000",
                "--set", "trainer.target.accuracy=0", "--set", "trainer.max.clocks=1000000",
                "--set", "trainer.agent.url=http://127.0.0.1:9")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private List<ProcessHandle> rolesOnceTraining(Process run) {
        Await.until("the job training (its log: " + log + ")", () -> Files.readString(log).contains("job.start"));
        List<ProcessHandle> roles = run.descendants().toList();
        assertThat(roles).as("a process for each shard and worker").hasSize(WORKERS + SHARDS);
        return roles;
    }

    private static void awaitAllEnded(List<ProcessHandle> roles) {
        Await.until("every shard and worker process ended", () -> roles.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void sigtermStopsTheJobWhichReportsAndLeavesNoChildRunning() throws Exception {
        Process run = startJob();
        try {
            List<ProcessHandle> roles = rolesOnceTraining(run);
            run.destroy(); // SIGTERM to the run alone
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("the run ended").isTrue();
            String out = Files.readString(log);
            assertThat(out).contains("stopping: stopped by a signal")
                    .containsPattern("final test accuracy 0\\.\\d+ after \\[\\d+, \\d+\\] clocks per worker .*; "
                            + "stopped by a signal")
                    .contains("lost 0");
            awaitAllEnded(roles);
        } finally {
            run.destroyForcibly();
        }
    }

    @Test
    void theShardsEndWithARunKilledOutright() throws Exception {
        Process run = startJob();
        try {
            List<ProcessHandle> roles = rolesOnceTraining(run);
            run.destroyForcibly(); // SIGKILL: no shutdown hook runs, so only the shards' own watch can end them
            assertThat(run.waitFor(1, TimeUnit.MINUTES)).isTrue();
            awaitAllEnded(roles);
        } finally {
            run.destroyForcibly();
        }
    }
}
