package dev.coxswain.trainer.launch;

import dev.coxswain.core.CoxswainException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Starts each shard and worker as a child JVM on this JVM's class path, running {@code mainClass} with
 * {@code leadingArgs} then the {@link RoleArgs}; the app passes its own main and {@code trainer role}. Each child's
 * output goes to {@code <work dir>/<job>/<id>.log}. Children use the serial collector: on a small machine the default
 * collector's threads compete with training.
 */
public final class ChildProcessLauncher implements RoleLauncher {
    private final String mainClass;
    private final List<String> leadingArgs;

    public ChildProcessLauncher(String mainClass, List<String> leadingArgs) {
        this.mainClass = mainClass;
        this.leadingArgs = List.copyOf(leadingArgs);
    }

    @Override
    public RunningRole start(RoleArgs args, TrainerSpec spec) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx" + spec.processes().workerHeap());
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(leadingArgs);
        command.addAll(args.toArgs());
        Path log = spec.processes().workDir().resolve(spec.jobId()).resolve(args.id() + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new ChildRole(args.id(), p);
        } catch (IOException e) {
            throw new CoxswainException("cannot start " + args.id() + " (" + String.join(" ", command.subList(0, 2))
                    + " ...): " + e.getMessage(), e);
        }
    }

    private record ChildRole(String id, Process process) implements RunningRole {
        public boolean alive() {
            return process.isAlive();
        }

        public void kill() {
            process.destroyForcibly();
        }

        public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
        }
    }
}
