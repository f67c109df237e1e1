package dev.coxswain.whatif.engine;

import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.List;

/**
 * A job's all-reduce as the simulator moves it, for a graph model's input (issue 13): one flow per phase of the
 * collective, crossing every link its hops cross.
 */
public final class Collectives {

    /**
     * One phase of a job's collective.
     *
     * @param links       every link its hops cross, a link crossed by two hops twice (it carries both)
     * @param bytesPerHop what each hop moves per training step
     */
    public record Flow(String phase, int[] links, double bytesPerHop) {
        public Flow {
            links = links.clone();
        }

        @Override
        public int[] links() {
            return links.clone();
        }
    }

    private Collectives() {
    }

    /**
     * The flows of {@code job}'s all-reduce on {@code topology}; none for a job of one worker.
     *
     * @throws IllegalArgumentException when the job does not synchronise by all-reduce
     */
    public static List<Flow> allReduce(Topology topology, JobSpec job) {
        if (!(job.sync() instanceof SyncSpec.AllReduce ar)) {
            throw new IllegalArgumentException("job " + job.name() + " synchronises by " + job.sync()
                    + ", not all-reduce");
        }
        return new CollectivePlanner(topology).allReduce(ar.algorithm(), job.workerGpus(),
                        job.model().gradientBytes(), job.model().buckets()).stream()
                .map(p -> new Flow(p.name(), p.routeRef(), p.bytesPerHop())).toList();
    }
}
