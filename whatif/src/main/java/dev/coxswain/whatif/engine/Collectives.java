package dev.coxswain.whatif.engine;

import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.List;
import java.util.Random;

/**
 * A job's all-reduce as the simulator moves it, for a graph model's input (issue 13): one flow per phase of the
 * collective, crossing every link its hops cross; and the step time the simulator's overlap rule gives for a time
 * taken by the exchange, so that a model of the network alone answers for the whole step.
 */
public final class Collectives {

    /**
     * One phase of a job's collective. Its phases run one after another, so the job's exchange takes the sum of
     * their times.
     *
     * @param links          every link its hops cross, a link crossed by two hops twice (it carries both)
     * @param bytesPerHop    what each hop moves per training step
     * @param capBytesPerSec the most one hop can get by itself (per-flow limits)
     * @param latencySec     what the phase pays on top of its bandwidth time
     */
    public record Flow(String phase, int[] links, double bytesPerHop, double capBytesPerSec, double latencySec) {
        public Flow {
            links = links.clone();
        }

        @Override
        public int[] links() {
            return links.clone();
        }
    }

    /** A job's mean time per step and the part of it spent communicating after the slowest worker's compute. */
    public record Timing(double stepSec, double commSec) {
    }

    private Collectives() {
    }

    /**
     * The flows of {@code job}'s all-reduce on {@code topology}; none for a job of one worker.
     *
     * @throws IllegalArgumentException when the job does not synchronise by all-reduce
     */
    public static List<Flow> allReduce(Topology topology, JobSpec job) {
        SyncSpec.AllReduce ar = allReduceOf(job);
        return new CollectivePlanner(topology).allReduce(ar.algorithm(), job.workerGpus(),
                        job.model().gradientBytes(), job.model().buckets()).stream()
                .map(p -> new Flow(p.name(), p.routeRef(), p.bytesPerHop(), p.capBytesPerSec(), p.latencySec()))
                .toList();
    }

    private static SyncSpec.AllReduce allReduceOf(JobSpec job) {
        if (!(job.sync() instanceof SyncSpec.AllReduce ar)) {
            throw new IllegalArgumentException("job " + job.name() + " synchronises by " + job.sync()
                    + ", not all-reduce");
        }
        return ar;
    }

    /**
     * {@code job}'s mean step and communication time on {@code topology} when every exchange takes
     * {@code exchangeSec} (0: its compute alone), by the simulator's own rules (compute jitter, the exchange overlapping the backward pass):
     * the mean over {@code draws} steps of seeded compute draws.
     */
    public static Timing timing(Topology topology, JobSpec job, double exchangeSec, int draws, long seed) {
        allReduceOf(job);
        if (!(exchangeSec >= 0) || draws < 1) {
            throw new IllegalArgumentException("exchangeSec must be >= 0 and draws >= 1, got " + exchangeSec
                    + " and " + draws);
        }
        double[] meanMicro = new double[job.workers()];
        for (int i = 0; i < meanMicro.length; i++) {
            int node = topology.nodeOfGpu(job.workerGpus().get(i));
            meanMicro[i] = job.model().computeSeconds(topology.cluster().groupOf(node).gpu(), job.localBatch().get(i));
        }
        Random gaussian = new Random(seed);
        int buckets = job.model().buckets();
        double step = 0;
        double comm = 0;
        for (int d = 0; d < draws; d++) {
            double firstReady = 0;
            double lastReady = 0;
            for (double m : meanMicro) {
                double c = SimJob.computeDraw(m, job.accumulationSteps(), job.model().computeJitterCv(), gaussian);
                firstReady = Math.max(firstReady, AllReduceJob.firstBucket(c, job.model().forwardFraction(), buckets));
                lastReady = Math.max(lastReady, c);
            }
            double end = job.workers() < 2 ? lastReady
                    : AllReduceJob.stepEnd(firstReady + exchangeSec, lastReady, exchangeSec, buckets);
            step += end;
            comm += end - lastReady;
        }
        return new Timing(step / draws, comm / draws);
    }
}
