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
     * {@code job}'s step timing on {@code topology} by the simulator's own rules (compute jitter, stragglers, the
     * exchange overlapping the backward pass), from {@code draws} seeded compute draws spread over the job's steps:
     * drawn once, then asked for any exchange time.
     */
    public static StepDraws stepDraws(Topology topology, JobSpec job, int draws, long seed) {
        allReduceOf(job);
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be at least 1, got " + draws);
        }
        double[] meanMicro = new double[job.workers()];
        for (int i = 0; i < meanMicro.length; i++) {
            int node = topology.nodeOfGpu(job.workerGpus().get(i));
            meanMicro[i] = job.model().computeSeconds(topology.cluster().groupOf(node).gpu(), job.localBatch().get(i));
        }
        Random gaussian = new Random(seed);
        double[] firstReady = new double[draws];
        double[] lastReady = new double[draws];
        for (int d = 0; d < draws; d++) {
            long step = (long) ((double) d * job.steps() / draws);
            for (int w = 0; w < meanMicro.length; w++) {
                double c = SimJob.computeDraw(meanMicro[w] * SimJob.slowdown(job, w, step), job.accumulationSteps(),
                        job.model().computeJitterCv(), gaussian);
                firstReady[d] = Math.max(firstReady[d], AllReduceJob.firstBucket(c, job.model().forwardFraction(),
                        job.model().buckets()));
                lastReady[d] = Math.max(lastReady[d], c);
            }
        }
        return new StepDraws(firstReady, lastReady, job.model().buckets(), job.workers() > 1);
    }

    /** A job's compute drawn for many steps: when its first and its last gradient bucket were ready in each. */
    public static final class StepDraws {
        private final double[] firstReady;
        private final double[] lastReady;
        private final int buckets;
        private final boolean exchanges;

        private StepDraws(double[] firstReady, double[] lastReady, int buckets, boolean exchanges) {
            this.firstReady = firstReady;
            this.lastReady = lastReady;
            this.buckets = buckets;
            this.exchanges = exchanges;
        }

        /** The mean step and communication time when every exchange takes {@code exchangeSec} (0: compute alone). */
        public Timing timing(double exchangeSec) {
            return timing(new double[]{exchangeSec});
        }

        /**
         * The mean step and communication time when the exchanges take each of {@code exchangeSec} equally often: the
         * d-th step drawn meets {@code exchangeSec[d % length]}, so a spread of exchange times costs no more draws.
         */
        public Timing timing(double[] exchangeSec) {
            for (double x : exchangeSec) {
                if (!(x >= 0)) {
                    throw new IllegalArgumentException("exchangeSec must be >= 0, got " + x);
                }
            }
            double step = 0;
            double comm = 0;
            for (int d = 0; d < firstReady.length; d++) {
                double x = exchangeSec[d % exchangeSec.length];
                double end = exchanges ? AllReduceJob.stepEnd(firstReady[d] + x, lastReady[d], x, buckets)
                        : lastReady[d];
                step += end;
                comm += end - lastReady[d];
            }
            return new Timing(step / firstReady.length, comm / firstReady.length);
        }
    }
}
