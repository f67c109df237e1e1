package dev.coxswain.graphmodels.gnn;

import dev.coxswain.core.net.MaxMinFairShare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * Builds a {@link FlowGraph} from what a cluster and its jobs are, and computes the model's features: the one home
 * of the feature layout ({@link #SCHEMA}). A link is its type and capacity; a job is its compute time per step; a
 * flow is one phase of a job's collective: the links it crosses, the bytes each hop moves per step, its per-flow
 * rate limit and its latency.
 *
 * <p>Besides each number on a log scale, the features carry two bounds of sharing, which the model learns to place
 * the truth between: the <em>offered load</em>, what a link would carry if every job ran at its idle-network pace,
 * over its capacity; and each flow's time if every flow were moving at once, at max-min fair rates. Between them,
 * each flow's <em>intermittent</em> estimate: its expected time if the other jobs' flows come and go independently,
 * each for its share of its job's step, taking their max-min fair shares ({@link FlowGraph#flowIntermittentSec}).
 */
public final class FlowGraphBuilder {
    /** Raise when the features change; a model trained on another schema is refused. */
    public static final int SCHEMA = 3;
    public static final int LINK_WIDTH = 4 + LinkType.values().length;
    public static final int FLOW_WIDTH = 9;

    /** The link feature that holds the offered load, as {@code log1p}. */
    private static final int OFFERED = 3;

    private record Link(LinkType type, double capacity) {
    }

    private record Flow(int job, int[] links, double bytesPerHop, double capBytesPerSec, double latencySec) {
    }

    /** The least time a flow takes, so that a flow of nothing still has a time to scale. */
    private static final double MIN_SEC = 1e-9;

    private final List<Link> links = new ArrayList<>();
    private final List<Double> jobComputeSec = new ArrayList<>();
    private final List<DoubleUnaryOperator> jobStepSec = new ArrayList<>();
    private final List<Flow> flows = new ArrayList<>();

    /**
     * Adds a link; returns its index. A link of infinite capacity never bounds a flow: it times flows but is left
     * out of the graph.
     */
    public int link(LinkType type, double capacityBytesPerSec) {
        if (!(capacityBytesPerSec > 0)) {
            throw new IllegalArgumentException("link " + links.size() + " (" + type + ") has capacity "
                    + capacityBytesPerSec + " B/s; it must be positive");
        }
        links.add(new Link(type, capacityBytesPerSec));
        return links.size() - 1;
    }

    /**
     * Adds a job whose exchange does not overlap its compute: its step takes its compute and exchange times together.
     * Returns its index.
     *
     * @param computeSec its step time without communication
     */
    public int job(double computeSec) {
        return job(computeSec, exchangeSec -> computeSec + exchangeSec);
    }

    /**
     * Adds a job; returns its index.
     *
     * @param computeSec its step time without communication
     * @param stepSec    its step time if its exchange takes the given seconds: how much of the exchange hides behind
     *                   the backward pass, which sets how long of each step the job is on the network
     */
    public int job(double computeSec, DoubleUnaryOperator stepSec) {
        if (!(computeSec >= 0) || Double.isInfinite(computeSec)) {
            throw new IllegalArgumentException("job " + jobComputeSec.size() + " computes for " + computeSec
                    + " s a step; it must be finite and not negative");
        }
        jobComputeSec.add(computeSec);
        jobStepSec.add(stepSec);
        return jobComputeSec.size() - 1;
    }

    /**
     * Adds one phase of {@code job}'s collective, crossing {@code links} (a link twice when two hops cross it).
     *
     * @param capBytesPerSec the most one hop can get by itself; may be infinite
     * @param latencySec     what the phase pays on top of its bandwidth time
     */
    public void flow(int job, int[] links, double bytesPerHop, double capBytesPerSec, double latencySec) {
        String what = "flow " + flows.size() + " of job " + job;
        if (job < 0 || job >= jobComputeSec.size()) {
            throw new IllegalArgumentException(what + ": no such job (" + jobComputeSec.size() + " jobs)");
        }
        if (links.length == 0) {
            throw new IllegalArgumentException(what + " crosses no link");
        }
        for (int l : links) {
            if (l < 0 || l >= this.links.size()) {
                throw new IllegalArgumentException(what + " crosses link " + l + ", which is not one of the "
                        + this.links.size());
            }
        }
        if (!(bytesPerHop >= 0) || Double.isInfinite(bytesPerHop) || !(capBytesPerSec > 0) || !(latencySec >= 0)
                || Double.isInfinite(latencySec)) {
            throw new IllegalArgumentException(what + " moves " + bytesPerHop + " B a hop at most at "
                    + capBytesPerSec + " B/s with " + latencySec + " s latency; bytes and latency must be finite and"
                    + " not negative, the limit positive");
        }
        flows.add(new Flow(job, links.clone(), bytesPerHop, capBytesPerSec, latencySec));
    }

    public FlowGraph build() {
        if (flows.isEmpty()) {
            throw new IllegalArgumentException("no flows: a graph of the network needs at least one job that"
                    + " communicates");
        }
        // Max-min shares over the links the flows cross only: a cluster has many more, idle.
        int[] crossed = new int[links.size()];
        Arrays.fill(crossed, -1);
        List<Double> crossedCapacity = new ArrayList<>();
        int[][] routes = new int[flows.size()][];
        for (int f = 0; f < routes.length; f++) {
            int[] route = flows.get(f).links;
            routes[f] = new int[route.length];
            for (int h = 0; h < route.length; h++) {
                if (crossed[route[h]] < 0) {
                    crossed[route[h]] = crossedCapacity.size();
                    crossedCapacity.add(links.get(route[h]).capacity);
                }
                routes[f][h] = crossed[route[h]];
            }
        }
        double[] capacities = crossedCapacity.stream().mapToDouble(Double::doubleValue).toArray();
        double[] caps = flows.stream().mapToDouble(Flow::capBytesPerSec).toArray();
        int[] jobOf = flows.stream().mapToInt(Flow::job).toArray();
        Paths paths = new Paths(routes, jobOf, capacities.length);
        MaxMinFairShare together = new MaxMinFairShare(capacities, routes, caps);
        double[] alone = new double[flows.size()];
        double[] contended = new double[flows.size()];
        double[] period = jobComputeSec.stream().mapToDouble(Double::doubleValue).toArray();
        for (int f = 0; f < flows.size(); f++) {
            Flow flow = flows.get(f);
            double rate = paths.aloneRate(f, capacities, caps[f]);
            alone[f] = Math.max(MIN_SEC, flow.bytesPerHop / rate + flow.latencySec);
            contended[f] = Math.max(alone[f], flow.bytesPerHop / together.rate(f) + flow.latencySec);
            period[flow.job] += alone[f];
        }
        double[] intermittent = intermittentSec(paths, capacities, caps, alone);
        double[] offered = new double[links.size()];
        int[] crossings = new int[links.size()];
        List<Integer> fr = new ArrayList<>();
        List<Integer> fc = new ArrayList<>();
        for (int f = 0; f < flows.size(); f++) {
            Flow flow = flows.get(f);
            for (int l : flow.links) {
                if (Double.isFinite(links.get(l).capacity)) {
                    offered[l] += flow.bytesPerHop / period[flow.job] / links.get(l).capacity;
                    crossings[l]++;
                    fr.add(f);
                    fc.add(l);
                }
            }
        }
        // Only finite links that some flow crosses: the others neither send nor receive a message.
        int[] row = new int[links.size()];
        List<Integer> ids = new ArrayList<>();
        for (int l = 0; l < row.length; l++) {
            row[l] = crossings[l] > 0 ? ids.size() : -1;
            if (crossings[l] > 0) {
                ids.add(l);
            }
        }
        float[][] linkRows = new float[ids.size()][];
        double[] usedCapacity = new double[ids.size()];
        for (int r = 0; r < linkRows.length; r++) {
            int l = ids.get(r);
            float[] features = new float[LINK_WIDTH];
            features[0] = (float) ((Math.log10(links.get(l).capacity) - 10) / 2);
            features[1] = (float) (Math.log1p(crossings[l]) / 4);
            features[2] = (float) (Math.min(offered[l], 10) / 2);
            features[OFFERED] = (float) Math.log1p(offered[l]);
            features[4 + links.get(l).type.ordinal()] = 1;
            linkRows[r] = features;
            usedCapacity[r] = links.get(l).capacity;
        }
        fc.replaceAll(l -> row[l]);
        float[][] flowRows = new float[flows.size()][];
        float[] aloneSec = new float[flows.size()];
        float[] sharedSec = new float[flows.size()];
        float[] intermittentSec = new float[flows.size()];
        for (int f = 0; f < flowRows.length; f++) {
            Flow flow = flows.get(f);
            double most = 0;
            double sum = 0;
            for (int l : flow.links) {
                most = Math.max(most, offered[l]);
                sum += offered[l];
            }
            flowRows[f] = new float[]{
                    (float) ((Math.log10(alone[f]) + 3) / 3),
                    (float) (alone[f] / period[flow.job]),
                    (float) ((period[flow.job] - jobComputeSec.get(flow.job)) / period[flow.job]),
                    (float) Math.log(contended[f] / alone[f]),
                    (float) (Math.log1p(paths.distinctLinks(f)) / 5),
                    (float) (Math.min(most, 10) / 2),
                    (float) Math.log1p(most),
                    (float) Math.log1p(sum / flow.links.length),
                    (float) Math.log(intermittent[f] / alone[f])};
            aloneSec[f] = (float) alone[f];
            sharedSec[f] = Math.max(aloneSec[f], (float) contended[f]);
            intermittentSec[f] = (float) intermittent[f];
        }
        int[] jr = new int[flows.size()];
        int[] jc = new int[flows.size()];
        for (int f = 0; f < jr.length; f++) {
            jr[f] = flows.get(f).job;
            jc[f] = f;
        }
        return new FlowGraph(linkRows, flowRows, new Incidence(flows.size(), ids.size(), ints(fr), ints(fc)),
                aloneSec, sharedSec, intermittentSec, new Incidence(jobComputeSec.size(), flows.size(), jr, jc),
                usedCapacity, flows.stream().mapToDouble(Flow::bytesPerHop).toArray(), ints(ids));
    }

    /** Draws of the other jobs' activity for {@link #intermittentSec}. */
    private static final int ACTIVITY_DRAWS = 32;
    /** Rounds of {@link #intermittentSec}, each taking the others' activity and rates from the round before. */
    private static final int ESTIMATE_ROUNDS = 3;

    /**
     * Each flow's expected time if every other job's flow is on the network independently, for its share of its job's
     * step, and while there takes its max-min fair share of each link, no more than its rate elsewhere allows: a
     * contention estimate between the flow's time alone and all flows at once. Unlike an average over the path, it
     * counts a long path's many chances to meet another job.
     *
     * <p>A fixed point, reached in {@link #ESTIMATE_ROUNDS} rounds: the first takes every flow on the network for its
     * time alone, and takes no rate limit from elsewhere; each later round takes each flow's time and rate from the
     * round before, and each job's step from its exchange so estimated. A job slowed by others is on the network
     * longer, and a flow held back elsewhere leaves more of a link to the flows it meets. Seeded per flow: the same
     * graph gives the same estimate.
     *
     * @param capacities the capacity of each link the paths index
     */
    private double[] intermittentSec(Paths paths, double[] capacities, double[] caps, double[] alone) {
        Meetings[] meetings = new Meetings[alone.length];
        for (int f = 0; f < meetings.length; f++) {
            meetings[f] = paths.meetings(f, capacities, caps[f]);
        }
        double[] out = alone;
        double[] rate = new double[alone.length];
        Arrays.fill(rate, Double.POSITIVE_INFINITY);
        for (int round = 0; round < ESTIMATE_ROUNDS; round++) {
            double[] exchange = new double[jobComputeSec.size()];
            for (int f = 0; f < out.length; f++) {
                exchange[flows.get(f).job] += out[f];
            }
            double[] step = new double[exchange.length];
            for (int j = 0; j < step.length; j++) {
                step[j] = jobStepSec.get(j).applyAsDouble(exchange[j]);
            }
            double[] next = new double[alone.length];
            for (int f = 0; f < next.length; f++) {
                Meetings m = meetings[f];
                double[] duty = new double[m.met().length];
                double[] wants = new double[m.met().length];
                for (int i = 0; i < duty.length; i++) {
                    int g = m.met()[i];
                    duty[i] = Math.min(1, out[g] / step[flows.get(g).job]);
                    wants[i] = rate[g];
                }
                next[f] = duty.length == 0 ? alone[f] : Math.max(alone[f], m.meanSec(flows.get(f).bytesPerHop,
                        flows.get(f).latencySec, duty, wants, new SplittableRandom(f)));
            }
            out = next;
            for (int g = 0; g < rate.length; g++) {
                rate[g] = flows.get(g).bytesPerHop / Math.max(MIN_SEC, out[g] - flows.get(g).latencySec);
            }
        }
        return out;
    }

    /**
     * Each flow's distinct links with its hops on each (a link crossed by two hops of the flow counts two), and the
     * flows on each link.
     *
     * @param routes the crossed links of each flow, a link twice where two hops cross it
     */
    static final class Paths {
        private final int[][] linksOf;
        private final int[][] hopsOf;
        private final int[][] on;
        private final int[] jobOf;
        /** Each flow's number among those one flow meets, -1 for none; reset after each flow. */
        private final int[] slot;

        Paths(int[][] routes, int[] jobOf, int links) {
            this.jobOf = jobOf;
            linksOf = new int[routes.length][];
            hopsOf = new int[routes.length][];
            int[] count = new int[links];
            for (int f = 0; f < routes.length; f++) {
                int[] sorted = routes[f].clone();
                Arrays.sort(sorted);
                int distinct = 0;
                for (int i = 0; i < sorted.length; i++) {
                    if (i == 0 || sorted[i] != sorted[i - 1]) {
                        sorted[distinct++] = sorted[i];
                    }
                }
                linksOf[f] = Arrays.copyOf(sorted, distinct);
                hopsOf[f] = new int[distinct];
                for (int l : routes[f]) {
                    hopsOf[f][Arrays.binarySearch(linksOf[f], l)]++;
                }
                for (int l : linksOf[f]) {
                    count[l]++;
                }
            }
            on = new int[links][];
            for (int l = 0; l < links; l++) {
                on[l] = new int[count[l]];
                count[l] = 0;
            }
            for (int f = 0; f < routes.length; f++) {
                for (int l : linksOf[f]) {
                    on[l][count[l]++] = f;
                }
            }
            slot = new int[routes.length];
            Arrays.fill(slot, -1);
        }

        int distinctLinks(int flow) {
            return linksOf[flow].length;
        }

        /**
         * Flow {@code f}'s rate with no other flow on the network: what its most crowded link leaves each of its hops
         * there (a link crossed by two hops gives each half), or its own {@code cap}. Max-min fair sharing of one
         * flow, without building the problem over every link.
         */
        double aloneRate(int f, double[] capacities, double cap) {
            double rate = cap;
            for (int k = 0; k < linksOf[f].length; k++) {
                rate = Math.min(rate, capacities[linksOf[f][k]] / hopsOf[f][k]);
            }
            return rate;
        }

        private int hops(int flow, int link) {
            return hopsOf[flow][Arrays.binarySearch(linksOf[flow], link)];
        }

        /** Where flow {@code f}, limited to {@code cap} by itself, meets other jobs' flows. */
        Meetings meetings(int f, double[] capacities, double cap) {
            int[] met = new int[0];
            int metCount = 0;
            double steadyRate = cap;
            int n = linksOf[f].length;
            double[] capacity = new double[n];
            int[] ownHops = new int[n];
            int[][] who = new int[n][];
            int[][] theirHops = new int[n][];
            int shared = 0;
            for (int k = 0; k < n; k++) {
                int l = linksOf[f][k];
                int others = 0;
                for (int g : on[l]) {
                    others += jobOf[g] != jobOf[f] ? 1 : 0;
                }
                if (others == 0) {
                    steadyRate = Math.min(steadyRate, capacities[l] / hopsOf[f][k]);
                    continue;
                }
                int[] numbers = new int[others];
                int[] hops = new int[others];
                int i = 0;
                for (int g : on[l]) {
                    if (jobOf[g] == jobOf[f]) {
                        continue;
                    }
                    if (slot[g] < 0) {
                        if (metCount == met.length) {
                            met = Arrays.copyOf(met, Math.max(4, 2 * metCount));
                        }
                        slot[g] = metCount;
                        met[metCount++] = g;
                    }
                    numbers[i] = slot[g];
                    hops[i++] = hops(g, l);
                }
                capacity[shared] = capacities[l];
                ownHops[shared] = hopsOf[f][k];
                who[shared] = numbers;
                theirHops[shared++] = hops;
            }
            met = Arrays.copyOf(met, metCount);
            for (int g : met) {
                slot[g] = -1;
            }
            double[] least = new double[shared];
            for (int s = 0; s < shared; s++) {
                least[s] = capacity[s] / (ownHops[s] + Arrays.stream(theirHops[s]).sum());
            }
            int[] byLeast = IntStream.range(0, shared).boxed().sorted(Comparator.comparingDouble(s -> least[s]))
                    .mapToInt(Integer::intValue).toArray();
            return new Meetings(met, steadyRate, Arrays.copyOf(capacity, shared), Arrays.copyOf(ownHops, shared),
                    Arrays.copyOf(who, shared), Arrays.copyOf(theirHops, shared), least, byLeast);
        }
    }

    /**
     * Where one flow meets other jobs' flows.
     *
     * @param met        the flows it meets, in order of meeting (their numbers here)
     * @param steadyRate the most the links where it meets no one, and its own limit, allow it
     * @param capacity   each link where it meets someone
     * @param ownHops    its hops on each of those links
     * @param who        on each of those links, the numbers of the flows it meets there
     * @param theirHops  and their hops there
     * @param least      on each of those links, its equal share a hop if every flow met there were there: the least
     *                   it can give
     * @param byLeast    those links by {@code least}, least first
     */
    private record Meetings(int[] met, double steadyRate, double[] capacity, int[] ownHops, int[][] who,
                            int[][] theirHops, double[] least, int[] byLeast) {
        /**
         * The flow's mean time over {@link #ACTIVITY_DRAWS} draws of who is there, each flow met there with its
         * {@code duty} and taking at most {@code wants} a hop, in order of {@link #met}. Stratified: each flow met
         * is there in its share of the draws (one more or less), which draws at random, so the estimate does not
         * carry the noise of drawing each flow's presence anew every time.
         */
        double meanSec(double bytes, double latencySec, double[] duty, double[] wants, SplittableRandom random) {
            int[][] byWants = new int[who.length][];
            int[][] slot = new int[duty.length][];
            double[] offset = new double[duty.length];
            for (int i = 0; i < duty.length; i++) {
                slot[i] = shuffled(ACTIVITY_DRAWS, random);
                offset[i] = random.nextDouble();
            }
            boolean[] there = new boolean[duty.length];
            double sum = 0;
            for (int d = 0; d < ACTIVITY_DRAWS; d++) {
                for (int i = 0; i < duty.length; i++) {
                    there[i] = slot[i][d] + offset[i] < duty[i] * ACTIVITY_DRAWS;
                }
                double rate = steadyRate;
                // No link gives less than its equal share with every flow met there: once that is no less than the
                // rate so far, neither this link nor any after it can lower it.
                for (int s : byLeast) {
                    if (least[s] >= rate) {
                        break;
                    }
                    if (byWants[s] == null) {
                        byWants[s] = byWants(who[s], wants);
                    }
                    rate = Math.min(rate, share(s, byWants[s], wants, there));
                }
                sum += bytes / rate + latencySec;
            }
            return sum / ACTIVITY_DRAWS;
        }

        /**
         * The flow's max-min fair rate a hop on shared link {@code s} with the flows {@code there}: those that want
         * less than an equal share keep what they want, the rest share what is left equally, hop by hop.
         *
         * @param order the flows met on the link, by what they want, least first
         */
        private double share(int s, int[] order, double[] wants, boolean[] there) {
            double hops = ownHops[s];
            for (int i : order) {
                if (there[who[s][i]]) {
                    hops += theirHops[s][i];
                }
            }
            double left = capacity[s];
            for (int i : order) {
                if (!there[who[s][i]]) {
                    continue;
                }
                double want = wants[who[s][i]];
                if (want * hops > left) {
                    break;
                }
                left -= want * theirHops[s][i];
                hops -= theirHops[s][i];
            }
            return left / hops;
        }

        /** 0 to {@code n - 1} in a random order. */
        private static int[] shuffled(int n, SplittableRandom random) {
            int[] out = new int[n];
            for (int k = 0; k < n; k++) {
                int j = random.nextInt(k + 1);
                out[k] = out[j];
                out[j] = k;
            }
            return out;
        }

        /** The positions in {@code numbers} by what each number wants, least first. */
        private static int[] byWants(int[] numbers, double[] wants) {
            int[] order = new int[numbers.length];
            for (int i = 0; i < order.length; i++) {
                int at = i;
                while (at > 0 && wants[numbers[order[at - 1]]] > wants[numbers[i]]) {
                    order[at] = order[at - 1];
                    at--;
                }
                order[at] = i;
            }
            return order;
        }
    }

    /** The offered load of each link of {@code graph}, a graph this class built, in the graph's order. */
    public static double[] offeredLoad(FlowGraph graph) {
        double[] out = new double[graph.links()];
        for (int l = 0; l < out.length; l++) {
            out[l] = Math.expm1(graph.linkFeatures()[l][OFFERED]);
        }
        return out;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
