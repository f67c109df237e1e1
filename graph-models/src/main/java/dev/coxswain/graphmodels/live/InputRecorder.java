package dev.coxswain.graphmodels.live;

import dev.coxswain.graphmodels.io.StepCsvWriter;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the live detector's input to a steps CSV ({@code detector.record}): each worker-step once, the first time
 * the detector is given it, with its time, telemetry and placement. A step at or below one already written for its
 * worker (a job that restarted from a checkpoint) is not written again, so the file stays one row per step. The
 * file is replaced at start and flushed after every snapshot. A write that fails is logged and ends the recording;
 * detection goes on.
 */
final class InputRecorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InputRecorder.class);

    private final Path file;
    private final Writer out;
    private final StepCsvWriter csv;
    private final Map<String, Long> lastWritten = new HashMap<>();
    private boolean failed;

    InputRecorder(Path file) throws IOException {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        csv = new StepCsvWriter(out, false);
        log.info("recording the straggler detector's input to {}", file);
    }

    /** Appends the samples of {@code window} that are newer than what was written for their worker. */
    void record(JobWindow window) {
        if (failed) {
            return;
        }
        try {
            for (WorkerSeries w : window.workers()) {
                String key = window.jobId() + '\u0000' + w.workerId();
                long last = lastWritten.getOrDefault(key, Long.MIN_VALUE);
                for (WorkerSample s : w.samples()) {
                    if (s.step() > last) {
                        csv.write(window.jobId(), w.workerId(), s, w.placement(), Optional.empty());
                        last = s.step();
                    }
                }
                lastWritten.put(key, last);
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /** Flushes what the last snapshot added. */
    void flush() {
        if (failed) {
            return;
        }
        try {
            csv.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(Exception e) {
        failed = true;
        log.error("recording the detector's input to {} stopped: {}", file, e.toString());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
