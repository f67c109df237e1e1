package dev.coxswain.agent.sample;

import dev.coxswain.agent.sample.CommandRunner.Outcome;
import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRunnerTest {
    private final CommandRunner runner = new CommandRunner();

    @Test
    void capturesOutputAndExitCode() {
        Outcome o = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Duration.ofSeconds(10));
        assertThat(o).isEqualTo(new Outcome.Completed(3, "out\n", "err\n"));
    }

    @Test
    void aMissingExecutableIsNotFound() {
        assertThat(runner.run(List.of("/nonexistent/nvidia-smi"), Duration.ofSeconds(10)))
                .isInstanceOf(Outcome.NotFound.class);
    }

    @Test
    void aSlowProcessIsKilledAtTheTimeout(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        Path finished = dir.resolve("finished");
        assertThat(runner.run(List.of("sh", "-c", "echo $$ > " + pid + "; sleep 600 && touch " + finished),
                Duration.ofMillis(200))).isInstanceOf(Outcome.TimedOut.class);
        assertThat(finished).as("the runner did not wait for the command").doesNotExist();
        long shell = Long.parseLong(Files.readString(pid).strip());
        Await.until("the command to be killed", () -> ProcessHandle.of(shell).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void readsOutputLargerThanAPipeBuffer() {
        Outcome o = runner.run(List.of("sh", "-c", "yes | head -c 300000"), Duration.ofSeconds(10));
        assertThat(((Outcome.Completed) o).stdout()).hasSize(300_000);
    }
}
