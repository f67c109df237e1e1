package dev.coxswain.trainer.launch;

import java.time.Duration;
import java.util.OptionalInt;

/** A started shard or worker, in a child process or a thread. Thread-safe. */
public interface RunningRole {

    String id();

    boolean alive();

    /** Ends it without warning: SIGKILL for a process; for a thread, its connections are cut. */
    void kill();

    /** Waits up to {@code timeout} for it to end; its exit code, or empty if it is still running. */
    OptionalInt awaitExit(Duration timeout) throws InterruptedException;
}
