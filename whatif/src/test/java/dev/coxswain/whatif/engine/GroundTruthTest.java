package dev.coxswain.whatif.engine;

import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * What the simulator reports as the truth a graph model learns from (issue 13): each job's exchange time and the
 * links that bound it, a horizon that ends every job at once, and step times that follow from the exchange time by
 * the simulator's own overlap rule ({@link Collectives#stepDraws}).
 */
class GroundTruthTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    /** Many small buckets: a ring pays its hop latency many times a step, so latency is a large share of it. */
    private static final ModelProfile MODEL = new ModelProfile("m", List.of(
            new ModelProfile.ComputeCost("T4", 0.01, 0.001, 65)), 50_000_000L, 1L << 20, 0.33, 0.05);

    /** Four nodes of four GPUs on NVSwitch with one 10 Gbit/s NIC each, under one leaf. */
    private static final ClusterSpec CLUSTER = SimulationTest.SLOW_NIC;

    private static JobSpec ring(String name, List<Integer> gpus, int batch) {
        return new JobSpec(name, MODEL, new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus,
                Collections.nCopies(gpus.size(), batch), 1, 200, List.of(), 0);
    }

    private static Simulation.Result run(List<JobSpec> jobs, double untilSec) {
        return new Simulation(new Topology(CLUSTER), jobs, new CountingSink(), CLOCK, new Simulation.Options(3, 0))
                .run(untilSec);
    }

    @Test
    void aPhasePaysItsLatencyOnceHoweverOftenOtherJobsChangeRates() {
        JobSpec a = ring("a", List.of(0, 1), 32);
        // Another job on other GPUs of the same node: no link in common, but its phases start and end often.
        JobSpec b = ring("b", List.of(2, 3), 8);
        Simulation.JobResult alone = run(List.of(a), Double.POSITIVE_INFINITY).jobs().getFirst();
        Simulation.JobResult beside = run(List.of(a, b), Double.POSITIVE_INFINITY).jobs().getFirst();
        assertThat(beside.meanExchangeSec()).isCloseTo(alone.meanExchangeSec(), within(1e-9 * alone.meanExchangeSec()));
        assertThat(beside.meanStepSec()).isCloseTo(alone.meanStepSec(), within(1e-9 * alone.meanStepSec()));
    }

    @Test
    void namesEveryLinkThatBoundsAJobWhereTheyTie() {
        // One worker on each of two nodes: both NICs' sending sides carry the ring alike and both bound it.
        Simulation.Result r = run(List.of(ring("a", List.of(0, 4), 32)), Double.POSITIVE_INFINITY);
        Topology t = new Topology(CLUSTER);
        List<Integer> bound = r.jobs().getFirst().bottlenecks();
        assertThat(bound).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bound).allSatisfy(l -> assertThat(t.kind(l)).isIn(Topology.LinkKind.NIC_TX,
                Topology.LinkKind.NIC_RX));
        assertThat(bound).contains(t.nicTx(0), t.nicTx(1));
    }

    @Test
    void aHorizonEndsEveryJobAtOnce() {
        Simulation.Result r = run(List.of(ring("a", List.of(0, 1), 32), ring("b", List.of(4, 5, 8), 16)), 0.5);
        assertThat(r.simulatedSec()).isLessThanOrEqualTo(0.5);
        assertThat(r.jobs()).allSatisfy(j -> assertThat(j.steps()).isBetween(1L, 199L));
        assertThatThrownBy(() -> run(List.of(ring("a", List.of(0, 1), 32)), 0))
                .hasMessageContaining("horizon must be positive");
    }

    @Test
    void stepTimesFollowFromTheExchangeTimeByTheSimulatorsOwnRule() {
        JobSpec job = ring("a", List.of(0, 4, 8, 12), 32);
        Simulation.JobResult r = run(List.of(job), Double.POSITIVE_INFINITY).jobs().getFirst();
        Collectives.StepDraws draws = Collectives.stepDraws(new Topology(CLUSTER), job, 4096, 11);
        Collectives.Timing t = draws.timing(r.meanExchangeSec());
        assertThat(t.stepSec()).isCloseTo(r.meanStepSec(), within(0.01 * r.meanStepSec()));
        assertThat(t.commSec()).isCloseTo(r.meanCommSec(), within(0.02 * r.meanCommSec()));
        Collectives.Timing computeOnly = draws.timing(0);
        assertThat(computeOnly.commSec()).isZero();
        assertThat(computeOnly.stepSec()).isLessThan(t.stepSec());
        assertThatThrownBy(() -> draws.timing(-1)).hasMessageContaining("exchangeSec must be >= 0");
    }

    @Test
    void aJobSlowedNowAndThenRecordsHowItsExchangesSpreadAndTheRuleTakesTheSpread() {
        // Job a shares both NICs with job b, whose steps are shorter: some of a's exchanges meet b's, some do not.
        // Its backward pass is about as long as its exchange, which hides behind it but for the slowed ones.
        JobSpec a = ring("a", List.of(0, 4), 80);
        JobSpec b = ring("b", List.of(1, 5), 8);
        Simulation.JobResult r = run(List.of(a, b), Double.POSITIVE_INFINITY).jobs().getFirst();
        List<Double> exchanges = r.recentExchangeSec();
        assertThat(exchanges).hasSize((int) r.steps());
        assertThat(exchanges.stream().mapToDouble(Double::doubleValue).average().orElseThrow())
                .isCloseTo(r.meanExchangeSec(), within(1e-9 * r.meanExchangeSec()));
        double least = exchanges.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double most = exchanges.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("GroundTruthTest: a's exchanges %.4f-%.4f s, mean %.4f s%n", least, most, r.meanExchangeSec());
        assertThat(most).as("spread").isGreaterThan(1.2 * least);
        Collectives.StepDraws draws = Collectives.stepDraws(new Topology(CLUSTER), a, 4096, 11);
        double fromMean = draws.timing(r.meanExchangeSec()).commSec();
        double fromSpread = draws.timing(exchanges.stream().mapToDouble(Double::doubleValue).toArray()).commSec();
        System.out.printf("GroundTruthTest: communication %.5f s; the rule from the mean %.5f, from the spread %.5f%n",
                r.meanCommSec(), fromMean, fromSpread);
        assertThat(Math.abs(fromSpread - r.meanCommSec())).isLessThan(Math.abs(fromMean - r.meanCommSec()));
        assertThat(draws.timing(new double[]{0.01, 0.01}).commSec()).as("points alike: the mean")
                .isEqualTo(draws.timing(0.01).commSec());
    }

    @Test
    void aJobsFlowsTakeTheirTimeAloneOnAnIdleNetwork() {
        JobSpec job = ring("a", List.of(0, 4), 32);
        Topology t = new Topology(CLUSTER);
        List<Collectives.Flow> flows = Collectives.allReduce(t, job);
        assertThat(flows).hasSize(1);
        Collectives.Flow ring = flows.getFirst();
        assertThat(ring.links()).contains(t.nicTx(0), t.nicRx(1), t.nicTx(1), t.nicRx(0));
        assertThat(ring.bytesPerHop()).isCloseTo(MODEL.gradientBytes(), within(1.0));
        double alone = ring.bytesPerHop() / Math.min(ring.capBytesPerSec(), t.capacity(t.nicTx(0)))
                + ring.latencySec();
        Simulation.JobResult r = run(List.of(job), Double.POSITIVE_INFINITY).jobs().getFirst();
        assertThat(r.meanExchangeSec()).isCloseTo(alone, within(1e-6 * alone));
    }
}
