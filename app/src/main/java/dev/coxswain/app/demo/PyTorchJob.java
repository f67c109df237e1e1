package dev.coxswain.app.demo;

import dev.coxswain.app.Checkout;
import dev.coxswain.core.CoxswainException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real PyTorch DistributedDataParallel job under Coxswain: {@code examples/pytorch/train_fashion_mnist.py}, four
 * ranks on CPU with gloo, started by {@code torch.distributed.run} as a child process tree of this one, reporting to
 * the agent through {@code coxswain_torch}. PyTorch comes from Debian's {@code python3-torch}, which imports only in
 * the system's own python3; that need not be the first python3 on the PATH, so the interpreter is picked explicitly
 * ({@link #python}).
 */
public final class PyTorchJob implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PyTorchJob.class);
    /** The example, relative to the checkout. */
    public static final String SCRIPT = "examples/pytorch/train_fashion_mnist.py";
    /** Where Debian's python3 is; tried before the PATH's. */
    static final String SYSTEM_PYTHON = "/usr/bin/python3";

    private final Process process;
    private final Path output;

    /**
     * What to run.
     *
     * @param ranks        processes (ranks) of the job
     * @param slowRank     the rank that computes {@code slowFactor} times slower after {@code slowAfter}; -1: none
     * @param extra        further arguments to the script (see its --help)
     */
    public record Options(String jobId, URI agent, int ranks, int slowRank, double slowFactor, Duration slowAfter,
                          List<String> extra, Path logFile) {
        public Options {
            extra = List.copyOf(extra);
        }
    }

    private PyTorchJob(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the job; its ranks' output goes to {@code options.logFile()}. */
    public static PyTorchJob start(Options o) {
        String python = python().orElseThrow(() -> new CoxswainException("PyTorch is not importable by "
                + SYSTEM_PYTHON + " or by the PATH's python3: install Debian's python3-torch (apt-get install "
                + "python3-torch), which './coxswain demo --job pytorch' does when it can"));
        Path script = Checkout.root(SCRIPT).resolve(SCRIPT);
        List<String> command = new ArrayList<>(List.of(python, "-m", "torch.distributed.run",
                // Debian's torch 1.13 under Python 3.11 cannot read the default 0 of these two
                "--redirects", "1", "--tee", "1", "--nproc_per_node", Integer.toString(o.ranks()),
                "--standalone", script.toString(), "--job", o.jobId(), "--agent", o.agent().toString(),
                "--slow-rank", Integer.toString(o.slowRank()), "--slow-factor", Double.toString(o.slowFactor()),
                "--slow-after", Double.toString(o.slowAfter().toMillis() / 1000.0)));
        command.addAll(o.extra());
        try {
            Files.createDirectories(o.logFile().toAbsolutePath().getParent());
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(o.logFile().toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("PYTHONUNBUFFERED", "1");
            log.info("starting the PyTorch job {}: {} (output in {})", o.jobId(), String.join(" ", command),
                    o.logFile());
            return new PyTorchJob(pb.start(), o.logFile());
        } catch (IOException e) {
            throw new CoxswainException("cannot start " + python + " for the PyTorch job: " + e.getMessage(), e);
        }
    }

    /** The first of Debian's python3 and the PATH's python3 that imports torch with torch.distributed. */
    public static Optional<String> python() {
        for (String candidate : List.of(SYSTEM_PYTHON, "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import torch, torch.distributed as d; "
                        + "assert d.is_available()").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed there: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Waits for the job to end; its exit code, or empty when it is still running after {@code timeout}. */
    public Optional<Integer> await(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue())
                : Optional.empty();
    }

    /** The ranks' output so far. */
    public String output() throws IOException {
        return Files.readString(output);
    }

    /** Stops the launcher and every rank. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
