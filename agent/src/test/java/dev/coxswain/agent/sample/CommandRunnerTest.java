package dev.coxswain.agent.sample;

import dev.coxswain.agent.sample.CommandRunner.Outcome;
import org.junit.jupiter.api.Test;

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
    void aSlowProcessIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        assertThat(runner.run(List.of("sleep", "30"), Duration.ofMillis(200))).isInstanceOf(Outcome.TimedOut.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void readsOutputLargerThanAPipeBuffer() {
        Outcome o = runner.run(List.of("sh", "-c", "yes | head -c 300000"), Duration.ofSeconds(10));
        assertThat(((Outcome.Completed) o).stdout()).hasSize(300_000);
    }
}
