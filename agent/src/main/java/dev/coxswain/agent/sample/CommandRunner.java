package dev.coxswain.agent.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a tool (nvidia-smi) as a child process with a time limit and captures its output. A tool that does not exist,
 * times out or cannot be started is an {@link Outcome}, not an exception. Output beyond 4 MiB is cut. Thread-safe.
 */
public final class CommandRunner {
    private static final int MAX_OUTPUT = 4 << 20;

    /** How a run ended. */
    public sealed interface Outcome {
        /** The process exited; {@code stdout} and {@code stderr} are its output as UTF-8. */
        record Completed(int exitCode, String stdout, String stderr) implements Outcome {
        }

        /** There is no such executable. */
        record NotFound(String message) implements Outcome {
        }

        /** It ran longer than allowed and was killed. */
        record TimedOut(Duration limit) implements Outcome {
        }

        /** It could not be started or read for another reason. */
        record Failed(String message) implements Outcome {
        }
    }

    public Outcome run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("error=2,") || msg.contains("No such file")) {
                return new Outcome.NotFound(command.getFirst() + ": no such file");
            }
            if (msg.contains("error=13,")) {
                return new Outcome.NotFound(command.getFirst() + ": permission denied");
            }
            return new Outcome.Failed(msg);
        }
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Outcome.TimedOut(timeout);
            }
            return new Outcome.Completed(process.exitValue(), out.get(1, TimeUnit.SECONDS),
                    err.get(1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Outcome.Failed("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            return new Outcome.Failed("cannot read the output of " + command.getFirst() + ": " + e);
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    if (buf.size() < MAX_OUTPUT) {
                        buf.write(chunk, 0, Math.min(n, MAX_OUTPUT - buf.size()));
                    }
                }
                result.complete(buf.toString(StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** The first line of a tool's complaint, for a log line. */
    public static String firstLine(String text) {
        List<String> lines = new ArrayList<>(text.strip().lines().toList());
        String line = lines.isEmpty() ? "(no output)" : lines.getFirst();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
