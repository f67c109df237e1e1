package dev.coxswain.graphmodels.gnn;

import dev.coxswain.core.net.MaxMinFairShare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

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
    static final double MIN_SEC = 1e-9;

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
        IntermittentEstimate.Estimate estimate = IntermittentEstimate.estimate(paths, capacities, caps, alone,
                flows.stream().mapToDouble(Flow::bytesPerHop).toArray(),
                flows.stream().mapToDouble(Flow::latencySec).toArray(), jobOf, jobStepSec);
        double[] intermittent = estimate.flowSec();
        double[] offered = new double[links.size()];
        int[] crossings = new int[links.size()];
        List<Integer> fr = new ArrayList<>();
        List<Integer> fc = new ArrayList<>();
        List<Double> bound = new ArrayList<>();
        for (int f = 0; f < flows.size(); f++) {
            Flow flow = flows.get(f);
            int[] distinct = paths.links(f);
            for (int h = 0; h < flow.links.length; h++) {
                int l = flow.links[h];
                if (Double.isFinite(links.get(l).capacity)) {
                    offered[l] += flow.bytesPerHop / period[flow.job] / links.get(l).capacity;
                    crossings[l]++;
                    fr.add(f);
                    fc.add(l);
                    bound.add(estimate.boundSec()[f][Arrays.binarySearch(distinct, routes[f][h])]);
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
                usedCapacity, flows.stream().mapToDouble(Flow::bytesPerHop).toArray(), ints(ids),
                bound.stream().mapToDouble(Double::doubleValue).toArray());
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
