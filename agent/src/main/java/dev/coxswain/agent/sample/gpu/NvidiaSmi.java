package dev.coxswain.agent.sample.gpu;

import dev.coxswain.agent.sample.CommandRunner;
import dev.coxswain.agent.sample.CommandRunner.Outcome;
import dev.coxswain.agent.sample.SampleErrors;
import dev.coxswain.agent.sample.SourceFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The nvidia-smi command of this node, shared by the GPU and topology samplers. When the command does not exist
 * (a node without GPUs, like a laptop running the demo) it says so in one INFO line and is not tried again; every
 * later call returns empty. A failure of a command that exists (driver not loaded, timeout, unparseable output) is
 * counted in {@link SampleErrors} under {@code nvidia-smi} and logged at a limited rate. Used from the sampling
 * thread only.
 */
public final class NvidiaSmi {
    private static final Logger log = LoggerFactory.getLogger(NvidiaSmi.class);
    static final String SOURCE = "nvidia-smi";

    private final String command;
    private final CommandRunner runner;
    private final Duration timeout;
    private final SampleErrors errors;
    private boolean absent;
    private GpuQuery query = GpuQuery.CURRENT;
    private boolean lastOutputNamedAnInvalidField;

    /** @param command the nvidia-smi path or name on PATH; empty means there is none */
    public NvidiaSmi(String command, CommandRunner runner, Duration timeout, SampleErrors errors) {
        this.command = command;
        this.runner = runner;
        this.timeout = timeout;
        this.errors = errors;
        this.absent = command.isEmpty();
        if (absent) {
            log.info("GPU sampling disabled (agent.nvidia-smi.path is empty): no GPU samples");
        }
    }

    /** Whether nvidia-smi turned out not to exist here. */
    public boolean absent() {
        return absent;
    }

    /** One row per GPU of {@code --query-gpu} in the form the agent asks for, or empty on failure. */
    public Optional<List<CsvRow>> queryGpus() {
        Optional<String> out = run(query.arguments());
        if (out.isEmpty() && query == GpuQuery.CURRENT && lastOutputNamedAnInvalidField) {
            log.info("{} predates the clocks_event_reasons field names; using clocks_throttle_reasons", command);
            query = GpuQuery.LEGACY;
            out = run(query.arguments());
        }
        return out.flatMap(text -> parse(() -> NvidiaSmiCsv.parseNoHeader(text, query.fields(), SOURCE)));
    }

    /** The topology matrix of {@code topo -m}, or empty on failure. */
    public Optional<TopoMatrix> topology() {
        return run(List.of("topo", "-m")).flatMap(text -> parse(() -> NvidiaSmiTopo.parse(text, SOURCE + " topo")));
    }

    public GpuQuery query() {
        return query;
    }

    private Optional<String> run(List<String> arguments) {
        lastOutputNamedAnInvalidField = false;
        if (absent) {
            return Optional.empty();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(arguments);
        return switch (runner.run(cmd, timeout)) {
            case Outcome.Completed c when c.exitCode() == 0 -> Optional.of(c.stdout());
            case Outcome.Completed c -> {
                String said = c.stdout() + "\n" + c.stderr();
                lastOutputNamedAnInvalidField = said.contains("is not a valid field");
                if (lastOutputNamedAnInvalidField && query == GpuQuery.CURRENT) {
                    yield Optional.empty(); // an older driver: the caller retries with the legacy names
                }
                errors.record(SOURCE, command + " " + arguments.getFirst() + " exited with " + c.exitCode() + ": "
                        + CommandRunner.firstLine(said));
                yield Optional.empty();
            }
            case Outcome.NotFound n -> {
                absent = true;
                log.info("no nvidia-smi on this node ({}): no GPU samples", n.message());
                yield Optional.empty();
            }
            case Outcome.TimedOut t -> {
                errors.record(SOURCE, command + " " + arguments.getFirst() + " ran longer than " + t.limit()
                        + " and was killed");
                yield Optional.empty();
            }
            case Outcome.Failed f -> {
                errors.record(SOURCE, command + ": " + f.message());
                yield Optional.empty();
            }
        };
    }

    private interface Parse<T> {
        T get();
    }

    private <T> Optional<T> parse(Parse<T> parse) {
        try {
            return Optional.of(parse.get());
        } catch (SourceFormatException e) {
            errors.record(SOURCE, e.getMessage());
            return Optional.empty();
        }
    }
}
