package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Observer;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rebalancing policy's measured trigger (no detector episode) on the reference trainer's recorded runs
 * ({@code data/trainer-injections/train.csv}: 4 workers, 20 injected faults of each cause, labelled with the
 * injection in force at each worker-step): it names a worker only while that worker's compute was injected slow.
 */
class MeasuredImbalanceOnRecordedRunsTest {
    static final Path RECORDED = Path.of("../data/trainer-injections/train.csv");

    /** One recorded worker-step and the injection labelled on it. */
    record Row(String job, String worker, StepPoint point, String cause) {
    }

    @Test
    void namesOnlyWorkersWhoseComputeWasInjectedSlow() throws IOException {
        assertThat(RECORDED).as("the recorded trainer runs (data/trainer-injections) are part of the repository")
                .exists();
        StragglerRebalancing policy = new StragglerRebalancing(StragglerRebalancingTest.BOUNDS, 0.05, 0.1);
        Observer observer = new Observer(8, 3);
        Map<String, Integer> named = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, List<StepPoint>>> seen = new HashMap<>();
        Map<String, String> previousCause = new HashMap<>();
        for (List<Row> step : bySteps(read())) {
            Row first = step.getFirst();
            Map<String, List<StepPoint>> job = seen.computeIfAbsent(first.job(), j -> new LinkedHashMap<>());
            Map<String, String> cause = new HashMap<>();
            for (Row r : step) {
                List<StepPoint> points = job.computeIfAbsent(r.worker(), w -> new ArrayList<>());
                points.add(r.point());
                if (points.size() > 32) {
                    points.removeFirst();
                }
                cause.put(r.worker(), r.cause());
            }
            if (step.size() == job.size()) {
                JobView view = new JobView(first.job(), Optional.empty(), Map.copyOf(job), Double.NaN, List.of());
                JobObservation obs = observer.observe(view, List.of(), List.of(), first.point().timestamp())
                        .orElseThrow();
                policy.propose(obs, JobControl.UNTOUCHED).flatMap(Proposal::suspect).ifPresent(w -> {
                    String c = cause.get(w);
                    named.merge(c, 1, Integer::sum);
                    // the label returns to none one step before the injected slowness ends: that step is no error
                    if (c.equals("none") && previousCause.getOrDefault(first.job() + "/" + w, "none").equals("none")
                            || c.equals("network")) {
                        wrong.add(first.job() + " step " + first.point().step() + " " + w + " (" + c + ")");
                    }
                });
            }
            cause.forEach((w, c) -> previousCause.put(first.job() + "/" + w, c));
        }
        assertThat(wrong).as("workers named while not injected slow").isEmpty();
        assertThat(named.getOrDefault("imbalance", 0)).as("worker-steps named while injected 2x slow: %s", named)
                .isGreaterThan(400);
    }

    private static List<Row> read() throws IOException {
        List<String> lines = Files.readAllLines(RECORDED);
        List<String> header = List.of(lines.getFirst().split(","));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            double compute = f[header.indexOf("compute_time")].isEmpty() ? 0
                    : Double.parseDouble(f[header.indexOf("compute_time")]);
            StepPoint p = new StepPoint(Long.parseLong(f[header.indexOf("step")]),
                    Instant.parse(f[header.indexOf("time")]), Double.parseDouble(f[header.indexOf("step_time")]),
                    compute, 0, 0, Integer.parseInt(f[header.indexOf("batch_size")]));
            rows.add(new Row(f[header.indexOf("job")], f[header.indexOf("worker")], p, f[header.indexOf("cause")]));
        }
        return rows;
    }

    /** The rows grouped by job and step, in the order of the file's steps. */
    private static List<List<Row>> bySteps(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(Row::job).thenComparingLong(r -> r.point().step()))
                .forEach(r -> groups.computeIfAbsent(r.job() + "/" + r.point().step(), k -> new ArrayList<>()).add(r));
        return List.copyOf(groups.values());
    }
}
