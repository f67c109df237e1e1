package dev.coxswain.graphmodels.gnn;

import dev.coxswain.core.net.MaxMinFairShare;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The graph network's input as the builder makes it: only the links some flow crosses, times alone and all at once
 * by max-min fair sharing, the offered load, and what follows from step times (each link's load, each job's
 * bottleneck); and bad input refused with what is wrong.
 */
class FlowGraphBuilderTest {
    private static final double G = 1e9;

    /**
     * Two jobs. Job 0 moves 1 GB a step over links 0 and 1 (10 and 5 GB/s); job 1 moves 2 GB over link 1 twice (two
     * hops cross it). Link 2 carries nothing.
     */
    private static FlowGraph twoJobs() {
        return twoJobs(0.5);
    }

    /** The same, job 1 computing for {@code computeSec} a step. */
    private static FlowGraph twoJobs(double computeSec) {
        FlowGraphBuilder b = new FlowGraphBuilder();
        b.link(LinkType.NIC, 10 * G);
        b.link(LinkType.SWITCH, 5 * G);
        b.link(LinkType.DEVICE, 100 * G);
        int a = b.job(1.0);
        int c = b.job(computeSec);
        b.flow(a, new int[]{0, 1}, 1 * G, Double.POSITIVE_INFINITY, 0.001);
        b.flow(c, new int[]{1, 1}, 2 * G, Double.POSITIVE_INFINITY, 0);
        return b.build();
    }

    @Test
    void leavesOutIdleLinksAndTimesEachFlowAloneAndSharing() {
        FlowGraph g = twoJobs();
        assertThat(g.links()).isEqualTo(2);
        assertThat(g.linkIds()).containsExactly(0, 1);
        assertThat(g.linkWidth()).isEqualTo(FlowGraphBuilder.LINK_WIDTH);
        assertThat(g.flowWidth()).isEqualTo(FlowGraphBuilder.FLOW_WIDTH);
        // Alone: job 0 at 5 GB/s (link 1) plus latency; job 1 at 2.5 GB/s (two hops share link 1).
        assertThat(g.flowAloneSec()[0]).isCloseTo(0.201f, within(1e-5f));
        assertThat(g.flowAloneSec()[1]).isCloseTo(0.8f, within(1e-5f));
        // All at once on link 1 (5 GB/s, three crossings): each crossing, so each flow, gets 5/3 GB/s.
        assertThat(g.flowSharedSec()[0]).isCloseTo(0.601f, within(1e-4f));
        assertThat(g.flowSharedSec()[1]).isCloseTo(1.2f, within(1e-4f));
        assertThat(g.jobAloneSec()).containsExactly(new double[]{0.201, 0.8}, within(1e-6));
        // Offered load of link 1: job 0 at 1 GB per (1 + 0.201) s, job 1 at 4 GB per (0.5 + 0.8) s, over 5 GB/s.
        double offered = (1 / 1.201 + 4 / 1.3) / 5;
        assertThat(FlowGraphBuilder.offeredLoad(g)[1]).isCloseTo(offered, within(1e-5));
    }

    @Test
    void intermittentContentionCountsTheOthersOnlyWhileTheyAreActive() {
        // Job 1 never computes: its flow is always on link 1, so job 0 always shares it, as all at once.
        FlowGraph always = twoJobs(0.0);
        assertThat(always.flowIntermittentSec()[0]).isCloseTo(always.flowSharedSec()[0], within(1e-4f));
        // Job 1 computes for a long time and exchanges rarely: job 0 is nearly always alone on link 1.
        FlowGraph rarely = twoJobs(1e6);
        assertThat(rarely.flowIntermittentSec()[0]).isCloseTo(rarely.flowAloneSec()[0], within(1e-4f));
        // In between, between the two, and the same for the same graph.
        FlowGraph some = twoJobs(0.5);
        float between = some.flowIntermittentSec()[0];
        assertThat(between).isGreaterThan(some.flowAloneSec()[0] * 1.1f).isLessThan(some.flowSharedSec()[0] * 0.9f);
        assertThat(twoJobs(0.5).flowIntermittentSec()[0]).isEqualTo(between);
    }

    @Test
    void aFlowHeldBackElsewhereLeavesTheRestOfASharedLinkToTheFlowsItMeets() {
        // Job 1 is always on link 1 (5 GB/s) but held to 1 GB/s by link 2: job 0 gets the other 4 GB/s, as max-min
        // fair sharing gives it, not half.
        FlowGraphBuilder b = new FlowGraphBuilder();
        b.link(LinkType.NIC, 10 * G);
        b.link(LinkType.SWITCH, 5 * G);
        b.link(LinkType.NIC, 1 * G);
        int a = b.job(1.0);
        int c = b.job(0.0);
        b.flow(a, new int[]{1}, 1 * G, Double.POSITIVE_INFINITY, 0);
        b.flow(c, new int[]{1, 2}, 1 * G, Double.POSITIVE_INFINITY, 0);
        FlowGraph g = b.build();
        assertThat(g.flowSharedSec()[0]).isCloseTo(0.25f, within(1e-5f));
        assertThat(g.flowIntermittentSec()[0]).isCloseTo(0.25f, within(1e-4f));
    }

    @Test
    void aJobWhoseExchangeHidesBehindItsComputeIsOnTheNetworkForMoreOfItsStep() {
        // Job 1 computes for 0.5 s and exchanges for 0.8 s alone. Run one after the other, it is on link 1 for
        // 0.8 s of each 1.3 s; overlapped with its compute, for nearly all of each step: job 0 meets it more often.
        FlowGraph apart = twoJobs(0.5);
        FlowGraphBuilder b = new FlowGraphBuilder();
        b.link(LinkType.NIC, 10 * G);
        b.link(LinkType.SWITCH, 5 * G);
        int a = b.job(1.0);
        int c = b.job(0.5, exchangeSec -> Math.max(0.5, exchangeSec) + 0.01);
        b.flow(a, new int[]{0, 1}, 1 * G, Double.POSITIVE_INFINITY, 0.001);
        b.flow(c, new int[]{1, 1}, 2 * G, Double.POSITIVE_INFINITY, 0);
        FlowGraph overlapped = b.build();
        assertThat(overlapped.flowIntermittentSec()[0])
                .isGreaterThan(apart.flowIntermittentSec()[0] * 1.1f)
                .isLessThanOrEqualTo(overlapped.flowSharedSec()[0] * 1.0001f);
    }

    @Test
    void aFlowThatMeetsNoOtherJobTakesItsTimeAlone() {
        FlowGraphBuilder b = new FlowGraphBuilder();
        b.link(LinkType.NIC, 10 * G);
        b.link(LinkType.NIC, 10 * G);
        int a = b.job(1.0);
        int c = b.job(1.0);
        b.flow(a, new int[]{0}, 1 * G, Double.POSITIVE_INFINITY, 0.001);
        b.flow(c, new int[]{1}, 1 * G, Double.POSITIVE_INFINITY, 0.001);
        FlowGraph g = b.build();
        assertThat(g.flowIntermittentSec()).containsExactly(new float[]{0.101f, 0.101f}, within(1e-5f));
        assertThat(g.boundSec()).as("its one link binds it all the time").containsExactly(
                new double[]{0.101, 0.101}, within(1e-9));
    }

    @Test
    void linksThatGiveAFlowTheSameShareBindItTogether() {
        // Both jobs cross both directions of one NIC: alone or together, each direction gives job 0 as much as the
        // other, so both bind it in every draw, as the simulator names every link that ties.
        FlowGraphBuilder b = new FlowGraphBuilder();
        int tx = b.link(LinkType.NIC, 10 * G);
        int rx = b.link(LinkType.NIC, 10 * G);
        int a = b.job(1.0);
        int c = b.job(0.5);
        b.flow(a, new int[]{tx, rx}, 1 * G, Double.POSITIVE_INFINITY, 0);
        b.flow(c, new int[]{tx, rx}, 1 * G, Double.POSITIVE_INFINITY, 0);
        FlowGraph g = b.build();
        assertThat(g.flowIntermittentSec()[0]).as("job 1 is there some of the time").isGreaterThan(g.flowAloneSec()[0]);
        assertThat(g.boundSec()).as("job 0's two crossings, then job 1's").containsExactly(new double[]{
                g.flowIntermittentSec()[0], g.flowIntermittentSec()[0],
                g.flowIntermittentSec()[1], g.flowIntermittentSec()[1]}, within(1e-6));
    }

    @Test
    void refusesBoundTimesThatDoNotFitItsCrossings() {
        FlowGraph g = twoJobs();
        assertThatThrownBy(() -> withBound(g, new double[1])).hasMessageContaining("4 crossings but 1 bound times");
        assertThatThrownBy(() -> withBound(g, new double[]{0, -1, 0, 0}))
                .hasMessageContaining("crossing 1 is bound for -1.0 s");
        assertThatThrownBy(() -> withBound(g, new double[]{0, Double.NaN, 0, 0}))
                .hasMessageContaining("crossing 1 is bound for NaN s");
    }

    private static FlowGraph withBound(FlowGraph g, double[] bound) {
        return new FlowGraph(g.linkFeatures(), g.flowFeatures(), g.flowsOverLinks(), g.flowAloneSec(),
                g.flowSharedSec(), g.flowIntermittentSec(), g.jobsOverFlows(), g.linkCapacity(), g.flowBytes(),
                g.linkIds(), bound);
    }

    @Test
    void loadsAndBottlenecksFollowFromStepTimes() {
        FlowGraph g = twoJobs();
        double[] util = g.linkUtilization(new double[]{2.0, 4.0});
        assertThat(util[0]).isCloseTo(0.5 / 10, within(1e-12));
        assertThat(util[1]).isCloseTo((0.5 + 1.0) / 5, within(1e-12));
        assertThat(g.linkUtilization(new double[]{0.01, 0.01})[1]).as("at most 1").isEqualTo(1.0);
        // Link 1 is the thinner for job 0 and the only one for job 1.
        assertThat(g.bottlenecks(new double[]{2.0, 4.0})).containsExactly(1, 1);
        assertThatThrownBy(() -> g.linkUtilization(new double[]{1})).hasMessageContaining("2 jobs but 1 step times");
    }

    @Test
    void aUnionReadsAsTheGraphsSideBySide() {
        FlowGraph one = twoJobs();
        FlowGraph two = FlowGraph.union(List.of(one, one));
        assertThat(two.links()).isEqualTo(4);
        assertThat(two.flows()).isEqualTo(4);
        assertThat(two.jobs()).isEqualTo(4);
        assertThat(two.flowsOverLinks().column()).containsExactly(0, 1, 1, 1, 2, 3, 3, 3);
        assertThat(two.jobsOverFlows().row()).containsExactly(0, 1, 2, 3);
        assertThat(two.linkIds()).containsExactly(0, 1, 0, 1);
        assertThat(two.linkUtilization(new double[]{2, 4, 2, 4})).containsExactly(
                new double[]{0.05, 0.3, 0.05, 0.3}, within(1e-12));
        assertThat(two.boundSec()).containsExactly(concat(one.boundSec(), one.boundSec()));
        assertThat(two.bottlenecks(new double[]{2, 4, 2, 4})).containsExactly(1, 1, 3, 3);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Job 0 crosses a NIC twice (10 GB/s, 5 a hop) and an uplink once (40 GB/s); job 1 crosses the uplink eight times
     * and is on the network for most of its step. On average job 1 leaves job 0 a little more of the uplink than a
     * hop of the NIC, so the steady rule names the NIC. But while job 1 is there, max-min sharing gives each of the
     * nine hops on the uplink 40/9 GB/s, less than the NIC's 5: the uplink holds job 0 back most of the time.
     */
    @Test
    void theLinkThatBindsAFlowMostOfTheTimeIsItsBottleneckThoughOthersLeaveMoreThereOnAverage() {
        FlowGraphBuilder b = new FlowGraphBuilder();
        int nic = b.link(LinkType.NIC, 10 * G);
        int uplink = b.link(LinkType.SWITCH, 40 * G);
        int a = b.job(1.0);
        int c = b.job(0.1);
        b.flow(a, new int[]{nic, nic, uplink}, 1 * G, Double.POSITIVE_INFINITY, 0);
        b.flow(c, new int[]{uplink, uplink, uplink, uplink, uplink, uplink, uplink, uplink}, 5 * G,
                Double.POSITIVE_INFINITY, 0);
        FlowGraph g = b.build();
        double[] step = {1.2, 1.15};
        // Job 1 carries 8 x 5 GB / 1.15 s = 34.8 GB/s of the uplink, leaving job 0 5.2: 0.192 s there, 0.2 s on
        // the NIC.
        assertThat(withBound(g, new double[g.boundSec().length]).bottlenecks(step)[a])
                .as("without bound times, the steady rule decides: it gives the NIC longer").isEqualTo(nic);
        assertThat(g.bottlenecks(step)[a]).isEqualTo(uplink);
        assertThat(g.bottlenecks(step)[c]).isEqualTo(uplink);
        assertThat(g.bottleneckTies(step, 0.02).get(a)).as("the NIC binds job 0 less often").containsExactly(uplink);
        assertThat(g.bottleneckTies(step, 1).get(a)).as("the bottleneck heads its ties").containsExactly(uplink, nic);
    }

    @Test
    void refusesWhatItCannotEncodeAndSaysWhat() {
        FlowGraphBuilder b = new FlowGraphBuilder();
        assertThatThrownBy(() -> b.link(LinkType.NIC, 0)).hasMessageContaining("link 0 (NIC) has capacity 0.0 B/s; it must be positive");
        b.link(LinkType.NIC, G);
        assertThatThrownBy(() -> b.job(Double.NaN)).hasMessageContaining("job 0 computes for NaN");
        assertThatThrownBy(() -> b.flow(0, new int[]{0}, 1, 1, 0)).hasMessageContaining("no such job");
        int job = b.job(1);
        assertThatThrownBy(() -> b.flow(job, new int[]{3}, 1, 1, 0)).hasMessageContaining("crosses link 3");
        assertThatThrownBy(() -> b.flow(job, new int[0], 1, 1, 0)).hasMessageContaining("crosses no link");
        assertThatThrownBy(() -> b.flow(job, new int[]{0}, -1, 1, 0)).hasMessageContaining("not negative");
        assertThatThrownBy(b::build).hasMessageContaining("no flows");
    }

    @Test
    void aFlowAloneGetsWhatMaxMinFairSharingGivesIt() {
        Random random = new Random(7);
        for (int n = 0; n < 200; n++) {
            double[] capacities = random.doubles(20, 1e9, 1e11).toArray();
            int[] route = random.ints(1 + random.nextInt(12), 0, 20).toArray();
            double cap = random.nextBoolean() ? Double.POSITIVE_INFINITY : 5e9 + random.nextDouble() * 1e10;
            double expected = new MaxMinFairShare(capacities, new int[][]{route}, new double[]{cap}).rate(0);
            Paths paths = new Paths(new int[][]{route}, new int[]{0},
                    capacities.length);
            assertThat(paths.aloneRate(0, capacities, cap)).isCloseTo(expected, within(expected * 1e-9));
        }
    }
}
