package dev.coxswain.trainer.launch;

import dev.coxswain.testkit.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's loop driven by hand ({@code runOnce}), over roles whose exit the test decides. */
class WorkerSupervisorTest {
    /** A worker whose process the test ends, with the exit code it chooses. */
    private static final class FakeRole implements RunningRole {
        private final String id;
        private volatile OptionalInt exit = OptionalInt.empty();

        FakeRole(String id) {
            this.id = id;
        }

        void exit(int code) {
            exit = OptionalInt.of(code);
        }

        public String id() {
            return id;
        }

        public boolean alive() {
            return exit.isEmpty();
        }

        public void kill() {
            exit(137);
        }

        public OptionalInt awaitExit(Duration timeout) {
            return exit;
        }
    }

    private final List<FakeRole> started = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final WorkerSupervisor supervisor = new WorkerSupervisor(Map.of("w0", "n0", "w1", "n0"), (w, node) -> {
        FakeRole r = new FakeRole(w);
        started.add(r);
        return r;
    }, new WorkerSupervisor.Events() {
        public void started(String worker, String node, int incarnation, String why) {
            events.add("started " + worker + " " + incarnation + " after " + why);
        }

        public void died(String worker, int exitCode) {
            events.add("died " + worker + " " + exitCode);
        }

        public void gone(String worker) {
            events.add("gone " + worker);
        }
    });

    private FakeRole role(String worker) {
        return started.stream().filter(r -> r.id().equals(worker)).reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void aWorkerThatDiesWhileTheJobRunsIsStartedAgain() throws Exception {
        supervisor.startAll();
        role("w1").exit(1);
        supervisor.runOnce();
        assertThat(events).contains("died w1 1");
        Await.until("w1 started again after its restart delay", () -> {
            supervisor.runOnce();
            return events.contains("started w1 1 after died");
        });
        assertThat(events).contains("started w1 1 after died").doesNotContain("gone w1");
        assertThat(supervisor.restarts()).isEqualTo(1);
    }

    @Test
    void onceTheJobStopsAWorkerThatDiesIsGoneNotStartedAgain() throws Exception {
        supervisor.startAll();
        role("w0").exit(130);
        supervisor.runOnce();
        supervisor.stopRestarts();
        role("w1").exit(130);
        supervisor.runOnce();
        supervisor.runOnce();
        assertThat(events).containsExactlyInAnyOrder("started w0 0 after start", "started w1 0 after start",
                "died w0 130", "died w1 130", "gone w0", "gone w1");
        assertThat(started).hasSize(2);
        assertThat(supervisor.restarts()).isZero();
    }

    @Test
    void aWorkerThatLeftToMoveIsGoneWhenTheJobStopsBeforeItStartsAgain() throws Exception {
        supervisor.startAll();
        supervisor.move("w0", "n1");
        role("w0").exit(0);
        supervisor.stopRestarts();
        supervisor.runOnce();
        assertThat(events).contains("gone w0").doesNotContain("started w0 1 after move");
        assertThat(supervisor.nodeOf("w0")).isEqualTo("n1");
    }
}
