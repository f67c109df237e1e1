package dev.coxswain.whatif.place;

import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.List;
import java.util.Set;

/** Ranks places for a new job on a cluster among the jobs running there: the graph network's or the simulator's. */
public interface PlacementRanker {

    /**
     * The one job of a jobs file to place.
     *
     * @param source the file, as messages name it
     * @throws IllegalArgumentException when the file holds more or fewer jobs, or one that is not all-reduce
     */
    static JobSpec jobToPlace(List<JobSpec> given, String source) {
        if (given.size() != 1) {
            throw new IllegalArgumentException(source + " holds " + given.size()
                    + " jobs; give a file with the one job to place");
        }
        JobSpec job = given.getFirst();
        if (!(job.sync() instanceof SyncSpec.AllReduce)) {
            throw new IllegalArgumentException("job " + job.name() + " synchronises by " + job.sync()
                    + "; placement ranks all-reduce jobs");
        }
        return job;
    }

    /** What scores the places, in words (e.g. {@code graph network}). */
    String engine();

    /**
     * Every candidate place, best (cheapest) first; the job's own placement among them when all its GPUs are free.
     *
     * @param held GPUs taken by jobs not among {@code running} (jobs that cannot be scored): never offered
     * @throws IllegalArgumentException when the job needs more GPUs than are free, or is not an all-reduce job
     */
    List<RankedPlacement> rank(ClusterSpec cluster, List<JobSpec> running, Set<Integer> held, JobSpec job, long seed);
}
