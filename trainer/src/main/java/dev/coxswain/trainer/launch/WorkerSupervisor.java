package dev.coxswain.trainer.launch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the job's worker processes running: starts them, kills one on request (a crash injection) and starts it
 * again after a delay, restarts one that died on its own, and moves one to another node when it has left. Once the
 * job stops ({@link #stopRestarts}) it starts none again, and reports each worker that is or goes down as gone. Its
 * {@link #run} loop polls the processes; every method is synchronized, so requests from other threads take effect
 * before the loop looks again.
 */
final class WorkerSupervisor implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSupervisor.class);
    private static final Duration RESTART_AFTER_DEATH = Duration.ofSeconds(1);

    /** What the supervisor tells the job about. */
    interface Events {
        void started(String worker, String node, int incarnation, String why);

        void died(String worker, int exitCode);

        /** The worker is down while the job stops, and will not be started again. */
        void gone(String worker);
    }

    private enum State { RUNNING, DOWN, MOVING, DONE }

    private static final class Entry {
        State state = State.RUNNING;
        String node;
        RunningRole role;
        long restartAtNanos;
        int incarnation;
        String why = "start";
    }

    private final Map<String, Entry> workers = new LinkedHashMap<>();
    private final java.util.function.BiFunction<String, String, RunningRole> starter;
    private final Events events;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile int restarts;

    /** @param starter starts a worker (id, node) and returns it */
    WorkerSupervisor(Map<String, String> nodes, java.util.function.BiFunction<String, String, RunningRole> starter,
                     Events events) {
        this.starter = starter;
        this.events = events;
        nodes.forEach((w, n) -> {
            Entry e = new Entry();
            e.node = n;
            workers.put(w, e);
        });
    }

    /** Starts every worker; call once, before {@link #run}. */
    synchronized void startAll() {
        workers.forEach((w, e) -> launch(w, e));
    }

    private void launch(String worker, Entry e) {
        e.role = starter.apply(worker, e.node);
        e.state = State.RUNNING;
        events.started(worker, e.node, e.incarnation, e.why);
        e.incarnation++;
    }

    synchronized void crash(String worker, Duration restartAfter) {
        Entry e = workers.get(worker);
        if (e.state != State.RUNNING) {
            return;
        }
        LOG.info("killing {} (restart in {} ms)", worker, restartAfter.toMillis());
        e.role.kill();
        e.state = State.DOWN;
        e.why = "crash";
        e.restartAtNanos = System.nanoTime() + restartAfter.toNanos();
    }

    /** The worker has been told to leave; start it on {@code node} once its process has ended. */
    synchronized void move(String worker, String node) {
        Entry e = workers.get(worker);
        e.node = node;
        e.why = "move";
        e.state = State.MOVING;
    }

    int restarts() {
        return restarts;
    }

    synchronized String nodeOf(String worker) {
        return workers.get(worker).node;
    }

    /** The job stops: no worker is started again, and each that is or goes down is reported gone. */
    void stopRestarts() {
        stopping.set(true);
    }

    /** No more supervision: the job is over. */
    void finish() {
        finished.set(true);
    }

    @Override
    public void run() {
        while (!finished.get()) {
            try {
                runOnce();
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized void runOnce() throws InterruptedException {
        for (Map.Entry<String, Entry> me : workers.entrySet()) {
            String w = me.getKey();
            Entry e = me.getValue();
            switch (e.state) {
                case RUNNING -> {
                    if (!e.role.alive() && !finished.get()) {
                        OptionalInt code = e.role.awaitExit(Duration.ZERO);
                        events.died(w, code.orElse(-1));
                        e.state = code.orElse(-1) == 0 ? State.DONE : State.DOWN;
                        e.why = "died";
                        e.restartAtNanos = System.nanoTime() + RESTART_AFTER_DEATH.toNanos();
                    }
                }
                case DOWN, MOVING -> {
                    if (finished.get() || e.role.alive()) {
                        continue;
                    }
                    if (stopping.get()) {
                        e.state = State.DONE;
                        events.gone(w);
                    } else if (e.state == State.MOVING || System.nanoTime() >= e.restartAtNanos) {
                        restarts++;
                        launch(w, e);
                    }
                }
                case DONE -> {
                }
            }
        }
    }

    /** Every worker role, for the final shutdown. */
    synchronized Map<String, RunningRole> roles() {
        Map<String, RunningRole> out = new LinkedHashMap<>();
        workers.forEach((w, e) -> out.put(w, e.role));
        return out;
    }
}
