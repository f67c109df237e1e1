package dev.coxswain.whatif.scenario;

import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.spec.JobSpec;

import java.time.Clock;
import java.util.List;

/** What answers a what-if question about one job: the simulator, or a model that stands in for it. */
public interface Engine {

    /**
     * A job's answer.
     *
     * @param bottleneck the link that limited it, named as the topology names links
     */
    record Outcome(double stepSec, double samplesPerSec, String bottleneck) {
    }

    /** How answers say who gave them, e.g. {@code simulated}. */
    String label();

    /**
     * Runs {@code job} alone on {@code topology}, whose link capacities the question may have scaled.
     *
     * @throws IllegalArgumentException when this engine cannot answer for such a job
     */
    Outcome run(Topology topology, JobSpec job, long seed);

    /** The discrete-event simulator. */
    static Engine simulator(Clock clock) {
        return new Engine() {
            @Override
            public String label() {
                return "simulated";
            }

            @Override
            public Outcome run(Topology topology, JobSpec job, long seed) {
                Simulation.JobResult r = new Simulation(topology, List.of(job), new CountingSink(), clock,
                        new Simulation.Options(seed, 0)).run().jobs().getFirst();
                return new Outcome(r.meanStepSec(), r.samplesPerSec(), r.lastBottleneck());
            }
        };
    }
}
