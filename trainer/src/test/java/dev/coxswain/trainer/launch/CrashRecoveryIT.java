package dev.coxswain.trainer.launch;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.CoxswainException;
import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shards and workers as real child JVMs, killed mid-run. */
class CrashRecoveryIT {

    @Test
    void aKilledWorkerProcessRestartsAndTheJobFinishesWithNoLostUpdates(@TempDir Path work) throws Exception {
        try (JobFixture fixture = new JobFixture()) {
            TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.launch=process",
                    "trainer.workers=2", "trainer.max.clocks=150", "trainer.sync.mode=bsp",
                    "trainer.inject=2s w1 crash restart_after=300ms"));
            JobResult r;
            try (TrainerJob job = fixture.start(spec)) {
                r = job.await(Duration.ofMinutes(3));
            }
            assertThat(r.restarts()).isEqualTo(1);
            assertThat(r.clocks()).containsOnly(150);
            assertThat(r.lostUpdates()).isZero();
            assertThat(r.appliedUpdates()).isEqualTo(2L * 2 * 150);
            fixture.client.flush(Duration.ofSeconds(5));
            fixture.agent.drain();
            List<String> kinds = fixture.agent.events().stream().map(JobEvent::kind).toList();
            assertThat(kinds).containsSubsequence("job.start", "injection.start", "worker.restart", "job.end");
            assertThat(fixture.agent.events()).filteredOn(e -> e.kind().equals("injection.start"))
                    .singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("fault", "crash"));
        }
    }

    @Test
    void aJobStoppedAsCtrlCEndsItsChildrenFinishesWithoutThemAndSaysTheShardsAreGone(@TempDir Path work)
            throws Exception {
        try (JobFixture fixture = new JobFixture()) {
            TrainerSpec spec = TrainerSpec.parse(fixture.settings(work, "trainer.launch=process",
                    "trainer.workers=2", "trainer.max.clocks=100000", "trainer.sync.mode=bsp"));
            try (TrainerJob job = fixture.start(spec)) {
                Await.until("both workers past clock 5",
                        () -> Arrays.stream(job.status().ended()).min().orElse(-1) >= 5);
                // Ctrl-C at a terminal reaches the whole process group: every child ends, and the job is stopped.
                List<ProcessHandle> children = ProcessHandle.current().children().toList();
                children.forEach(ProcessHandle::destroy);
                for (ProcessHandle child : children) {
                    child.onExit().get(1, TimeUnit.MINUTES);
                }
                job.stop("closed");
                assertThatThrownBy(() -> job.await(Duration.ofMinutes(3)))
                        .isInstanceOf(CoxswainException.class).hasMessageContaining("/v1/ps/");
            }
            fixture.client.flush(Duration.ofSeconds(5));
            fixture.agent.drain();
            List<String> kinds = fixture.agent.events().stream().map(JobEvent::kind).toList();
            assertThat(kinds).contains("worker.died", JobEvent.JOB_END).doesNotContain("worker.restart");
        }
    }
}
