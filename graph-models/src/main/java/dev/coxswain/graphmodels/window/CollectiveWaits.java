package dev.coxswain.graphmodels.window;

import dev.coxswain.core.stats.Median;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Finds the waits hidden in the communication of an all-reduce job that reports no barrier wait. Under DDP's
 * all-reduce inside {@code backward()} every rank's step lasts as long as the slowest rank's, and the fast ranks
 * spend the difference inside the collective: their step times are equal, their communication long. Told only those,
 * the detector would find no straggler, or call the waiting ranks slow on the network. At a step where every worker
 * reports compute and communication, the step times agree within {@link #EQUAL_STEPS} and the communication times
 * spread by at least {@link #COMM_SPREAD} of the step, the shortest communication is taken as the transfer itself
 * (the slowest rank arrives last and does not wait) and the rest of each worker's as waiting for it: its own step
 * time loses that wait, and its communication becomes the shortest. Other steps are left as they are.
 */
public final class CollectiveWaits {
    /** Step times within this fraction of their median count as equal: a synchronous step nobody reported a wait of. */
    static final double EQUAL_STEPS = 0.02;
    /** The least spread of communication times, as a fraction of the step, that counts as waiting. */
    static final double COMM_SPREAD = 0.1;

    private CollectiveWaits() {
    }

    public static JobWindow infer(JobWindow job) {
        if (job.workers().size() < 2) {
            return job;
        }
        Map<Long, List<WorkerSample>> byStep = new HashMap<>();
        for (WorkerSeries w : job.workers()) {
            for (WorkerSample s : w.samples()) {
                byStep.computeIfAbsent(s.step(), k -> new ArrayList<>()).add(s);
            }
        }
        Map<Long, Double> transfer = new HashMap<>();
        byStep.forEach((step, samples) -> {
            if (samples.size() == job.workers().size()) {
                hiddenWaits(samples).ifPresent(t -> transfer.put(step, t));
            }
        });
        if (transfer.isEmpty()) {
            return job;
        }
        List<WorkerSeries> out = new ArrayList<>();
        for (WorkerSeries w : job.workers()) {
            List<WorkerSample> samples = new ArrayList<>(w.samples().size());
            for (WorkerSample s : w.samples()) {
                Double t = transfer.get(s.step());
                if (t == null) {
                    samples.add(s);
                } else {
                    double wait = s.signals().get(Signal.COMM_MS).getAsDouble() - t;
                    samples.add(new WorkerSample(s.step(), Math.max(1e-3, s.ownStepMs() - wait), s.timestamp(),
                            s.signals().with(Signal.COMM_MS, t)));
                }
            }
            out.add(new WorkerSeries(w.workerId(), w.placement(), samples));
        }
        return new JobWindow(job.jobId(), out);
    }

    /** The transfer time of one step whose waits hide in communication, or empty when it is not such a step. */
    private static OptionalDouble hiddenWaits(List<WorkerSample> samples) {
        double[] steps = new double[samples.size()];
        double minComm = Double.POSITIVE_INFINITY;
        double maxComm = 0;
        for (int i = 0; i < samples.size(); i++) {
            WorkerSample s = samples.get(i);
            if (s.signals().get(Signal.COMPUTE_MS).isEmpty() || s.signals().get(Signal.COMM_MS).isEmpty()) {
                return OptionalDouble.empty();
            }
            double comm = s.signals().get(Signal.COMM_MS).getAsDouble();
            minComm = Math.min(minComm, comm);
            maxComm = Math.max(maxComm, comm);
            steps[i] = s.ownStepMs();
        }
        double median = Median.of(steps);
        for (double t : steps) {
            if (Math.abs(t - median) > EQUAL_STEPS * median) {
                return OptionalDouble.empty();
            }
        }
        return maxComm - minComm >= COMM_SPREAD * median ? OptionalDouble.of(minComm)
                : OptionalDouble.empty();
    }
}
