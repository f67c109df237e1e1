package dev.coxswain.app.cli;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.io.DetectionCsvWriter;
import dev.coxswain.graphmodels.io.OfflineDetection;
import dev.coxswain.graphmodels.io.StepCsvReader;
import dev.coxswain.graphmodels.io.StepRow;
import dev.coxswain.graphmodels.model.ModelFile;
import dev.coxswain.graphmodels.model.StragglerModels;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code coxswain detect}: the straggler detector over a steps CSV, one verdict per row. */
public final class DetectCommand implements Command {

    @Override
    public String name() {
        return "detect";
    }

    @Override
    public String summary() {
        return "find stragglers and their causes in a CSV of per-worker step times";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain detect --steps <csv> --out <csv> [--model <file>] [--delay <n>]

                Reads per-worker step times (header: job,worker,step,step_time, optionally compute_time,
                comm_time, data_time, gpu_util, sm_clock_mhz, throttled, cpu_util, batch_size, link_util and the
                placement columns host, nic, switch) and writes one line per input row, in input order:
                job,worker,step,straggler,score,cause. Each step is decided 3 samples late, on a window of 7
                samples centred on it (the model's setting with --model); --delay 0 decides at once, from that
                step and earlier ones only.

                  --steps <csv>    input file
                  --out <csv>      output file ('-' for standard output)
                  --model <file>   a model from 'coxswain models train': its calibrated detector settings and its
                                   learned cause classifier (default: built-in settings and cause rules)
                  --delay <n>      decide each step n samples late, on a window of 2n+1 samples centred on it;
                                   0: at once, on a trailing window of 5 (default: 3, or the model's)

                example: coxswain detect --steps steps.csv --out detections.csv
                See docs/detection.md for the file formats.""";
    }

    @Override
    public int run(List<String> args) throws IOException {
        Options opts = Options.parse(args, Set.of("steps", "out", "model", "delay"), Set.of());
        Path steps = Path.of(opts.require("steps"));
        String out = opts.require("out");
        if (!Files.isRegularFile(steps)) {
            throw new UsageException("--steps: no such file: " + steps);
        }
        DetectorConfig config = DetectorConfig.defaults();
        CauseAttributor attributor = new RuleCauseAttributor();
        Optional<String> model = opts.get("model");
        if (model.isPresent()) {
            StragglerModels m = ModelFile.load(Path.of(model.get()));
            config = m.detectorConfig();
            attributor = m.attributor();
        }
        if (opts.get("delay").isPresent()) {
            config = config.withDecisionDelay(opts.getInt("delay", 0, 0));
        }
        List<StepRow> rows;
        try (Reader in = Files.newBufferedReader(steps)) {
            rows = new StepCsvReader(steps.toString()).read(in);
        }
        List<WorkerVerdict> verdicts = new OfflineDetection(config, attributor).run(rows);
        if (out.equals("-")) {
            Writer w = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
            new DetectionCsvWriter().write(rows, verdicts, w);
            w.flush();
        } else {
            try (Writer w = Files.newBufferedWriter(Path.of(out))) {
                new DetectionCsvWriter().write(rows, verdicts, w);
            }
            printSummary(rows, verdicts, steps, out, attributor.name());
        }
        return 0;
    }

    private static void printSummary(List<StepRow> rows, List<WorkerVerdict> verdicts, Path steps, String out,
                                     String causes) {
        Map<String, int[]> perWorker = new LinkedHashMap<>();
        Map<String, String> firstSeen = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            WorkerVerdict v = verdicts.get(i);
            if (v.straggler()) {
                String key = rows.get(i).jobId() + " " + v.workerId();
                perWorker.computeIfAbsent(key, k -> new int[1])[0]++;
                firstSeen.putIfAbsent(key, "since step " + v.sinceStep().orElse(v.step()) + ", " + v.cause().label());
            }
        }
        long jobs = rows.stream().map(StepRow::jobId).distinct().count();
        System.out.printf(Locale.ROOT, "read %d rows of %d jobs from %s; wrote %s (causes: %s)%n", rows.size(), jobs,
                steps, out, causes);
        System.out.printf(Locale.ROOT, "%d workers were stragglers at some step%n", perWorker.size());
        perWorker.forEach((k, n) -> System.out.printf(Locale.ROOT, "  %s: %d straggler rows, first %s%n", k, n[0],
                firstSeen.get(k)));
    }
}
