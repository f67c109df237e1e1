package dev.coxswain.graphmodels.gnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network as the graph model reads it, in the manner of RouteNet: links with their features, flows with theirs,
 * which links each flow crosses, and which job each flow belongs to. A flow is one phase of a job's collective; the
 * job's phases run one after another, so its exchange takes the sum of their times. A link crossed twice by one flow
 * (two hops of a collective) counts twice.
 *
 * @param linkFeatures   one row per link, all of {@link #linkWidth()}
 * @param flowFeatures   one row per flow, all of {@link #flowWidth()}
 * @param flowsOverLinks flows x links
 * @param flowAloneSec   each flow's time per step on an otherwise idle network, positive
 * @param flowSharedSec  each flow's time per step if every flow moved at once at max-min fair rates, at least its
 *                       time alone
 * @param flowIntermittentSec each flow's time per step if the other jobs' flows come and go
 *                       ({@link FlowGraphBuilder}), positive: the model predicts how far from it sharing puts the flow
 * @param jobsOverFlows  jobs x flows: the flows of each job
 * @param linkCapacity   each link's bytes a second
 * @param flowBytes      what each hop of each flow moves per step
 * @param linkIds        each link's number as its maker numbered them (a builder leaves out the links no flow
 *                       crosses)
 * @param boundSec       for each entry of {@code flowsOverLinks}, the seconds a step that link is credited with binding
 *                       that flow: the share of the intermittent estimate's draws in which it does, times the flow's
 *                       expected time ({@link FlowGraphBuilder}), not negative: which of the links a flow crosses
 *                       holds it back when the others come and go; all 0 where unknown
 */
public record FlowGraph(float[][] linkFeatures, float[][] flowFeatures, Incidence flowsOverLinks,
                        float[] flowAloneSec, float[] flowSharedSec, float[] flowIntermittentSec,
                        Incidence jobsOverFlows, double[] linkCapacity,
                        double[] flowBytes, int[] linkIds, double[] boundSec) {

    public FlowGraph {
        requireRectangular("link", linkFeatures);
        requireRectangular("flow", flowFeatures);
        if (flowsOverLinks.rows() != flowFeatures.length || flowsOverLinks.columns() != linkFeatures.length) {
            throw new IllegalArgumentException("the incidence is " + flowsOverLinks.rows() + " x "
                    + flowsOverLinks.columns() + " but there are " + flowFeatures.length + " flows and "
                    + linkFeatures.length + " links");
        }
        if (flowAloneSec.length != flowFeatures.length || flowSharedSec.length != flowFeatures.length
                || flowIntermittentSec.length != flowFeatures.length) {
            throw new IllegalArgumentException(flowFeatures.length + " flows but " + flowAloneSec.length
                    + " times alone, " + flowSharedSec.length + " shared and " + flowIntermittentSec.length
                    + " intermittent");
        }
        for (int f = 0; f < flowAloneSec.length; f++) {
            if (!(flowAloneSec[f] > 0) || Float.isInfinite(flowAloneSec[f]) || !(flowSharedSec[f] >= flowAloneSec[f])
                    || Float.isInfinite(flowSharedSec[f]) || !(flowIntermittentSec[f] > 0)
                    || Float.isInfinite(flowIntermittentSec[f])) {
                throw new IllegalArgumentException("flow " + f + " takes " + flowAloneSec[f] + " s alone, "
                        + flowSharedSec[f] + " s shared and " + flowIntermittentSec[f] + " s intermittent; all must"
                        + " be finite and positive, and shared at least alone");
            }
        }
        if (jobsOverFlows.columns() != flowFeatures.length) {
            throw new IllegalArgumentException("the job incidence has " + jobsOverFlows.columns() + " flows, not "
                    + flowFeatures.length);
        }
        if (linkCapacity.length != linkFeatures.length || flowBytes.length != flowFeatures.length
                || linkIds.length != linkFeatures.length) {
            throw new IllegalArgumentException(linkFeatures.length + " links and " + flowFeatures.length + " flows but "
                    + linkCapacity.length + " capacities, " + linkIds.length + " ids and " + flowBytes.length
                    + " byte counts");
        }
        if (boundSec.length != flowsOverLinks.row().length) {
            throw new IllegalArgumentException(flowsOverLinks.row().length + " crossings but " + boundSec.length
                    + " bound times");
        }
        for (int e = 0; e < boundSec.length; e++) {
            if (!(boundSec[e] >= 0) || Double.isInfinite(boundSec[e])) {
                throw new IllegalArgumentException("crossing " + e + " is bound for " + boundSec[e]
                        + " s; it must be finite and not negative");
            }
        }
        flowAloneSec = flowAloneSec.clone();
        flowSharedSec = flowSharedSec.clone();
        flowIntermittentSec = flowIntermittentSec.clone();
        linkCapacity = linkCapacity.clone();
        flowBytes = flowBytes.clone();
        linkIds = linkIds.clone();
        boundSec = boundSec.clone();
    }

    /**
     * What each link carries over what it could when every job takes {@code jobStepSec} a step: every step, each hop
     * of each of a job's flows moves its bytes over each link it crosses. At most 1.
     */
    public double[] linkUtilization(double[] jobStepSec) {
        double[] carried = carried(jobStepSec);
        for (int l = 0; l < carried.length; l++) {
            carried[l] = Math.min(1, carried[l] / linkCapacity[l]);
        }
        return carried;
    }

    /** Bytes a second each link carries when every job takes {@code jobStepSec} a step. */
    private double[] carried(double[] jobStepSec) {
        if (jobStepSec.length != jobs()) {
            throw new IllegalArgumentException(jobs() + " jobs but " + jobStepSec.length + " step times");
        }
        int[] jobOf = jobOfFlow();
        double[] carried = new double[links()];
        for (int i = 0; i < flowsOverLinks.row().length; i++) {
            int f = flowsOverLinks.row()[i];
            carried[flowsOverLinks.column()[i]] += flowBytes[f] / jobStepSec[jobOf[f]];
        }
        return carried;
    }

    private int[] jobOfFlow() {
        int[] jobOf = new int[flows()];
        for (int i = 0; i < jobsOverFlows.row().length; i++) {
            jobOf[jobsOverFlows.column()[i]] = jobsOverFlows.row()[i];
        }
        return jobOf;
    }

    /**
     * Each job's bottleneck when every job takes {@code jobStepSec} a step, -1 for a job without flows: the link
     * credited with binding the job's flows longest in the intermittent estimate's draws ({@link #boundSec}). A link
     * another job takes most of while it is there can hold a flow back more than a link the others load more on
     * average. Where links tie (or none is bound), a steady rule decides: the time a flow of the job would take on the
     * link at the rate the other jobs leave it (the capacity less what the others carry on average, shared among the
     * flow's hops that cross it), the longest first; then the first link.
     */
    public int[] bottlenecks(double[] jobStepSec) {
        return bottlenecks(linkSeconds(jobStepSec), jobBoundSec());
    }

    private int[] bottlenecks(List<Map<Integer, Double>> sec, List<Map<Integer, Double>> bound) {
        int[] best = new int[jobs()];
        for (int j = 0; j < best.length; j++) {
            best[j] = -1;
            double topBound = 0;
            double topSec = 0;
            for (Map.Entry<Integer, Double> e : sec.get(j).entrySet()) {
                int l = e.getKey();
                double b = bound.get(j).getOrDefault(l, 0.0);
                int c = best[j] < 0 ? 1 : compare(b, topBound);
                c = c != 0 ? c : compare(e.getValue(), topSec);
                if (c > 0 || c == 0 && l < best[j]) {
                    best[j] = l;
                    topBound = b;
                    topSec = e.getValue();
                }
            }
        }
        return best;
    }

    /** Compares two non-negative amounts, equal within {@link IntermittentEstimate#TIE} of the larger. */
    private static int compare(double a, double b) {
        return Math.abs(a - b) <= IntermittentEstimate.TIE * Math.max(a, b) ? 0 : Double.compare(a, b);
    }

    /**
     * Each job's bottleneck ({@link #bottlenecks}) first, then, in link order, the other links credited with binding
     * it as long within {@code tolerance} (a fraction; by the steady rule where no link is bound); empty for a job
     * without flows. The equal hops of a ring all tie: widening one of them alone gains nothing.
     */
    public List<List<Integer>> bottleneckTies(double[] jobStepSec, double tolerance) {
        List<Map<Integer, Double>> sec = linkSeconds(jobStepSec);
        List<Map<Integer, Double>> bound = jobBoundSec();
        int[] bottleneck = bottlenecks(sec, bound);
        List<List<Integer>> out = new ArrayList<>();
        for (int j = 0; j < bottleneck.length; j++) {
            int b = bottleneck[j];
            if (b < 0) {
                out.add(List.of());
                continue;
            }
            Map<Integer, Double> by = most(bound.get(j)) > 0 ? bound.get(j) : sec.get(j);
            double at = by.get(b);
            List<Integer> tied = new ArrayList<>(List.of(b));
            by.entrySet().stream().filter(e -> e.getKey() != b && e.getValue() >= at * (1 - tolerance))
                    .map(Map.Entry::getKey).sorted().forEach(tied::add);
            out.add(List.copyOf(tied));
        }
        return out;
    }

    private static double most(Map<Integer, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * For each job, each link its flows cross and the seconds a step it is credited with binding them
     * ({@link #boundSec}).
     */
    private List<Map<Integer, Double>> jobBoundSec() {
        int[] jobOf = jobOfFlow();
        List<Map<Integer, Double>> out = new ArrayList<>();
        for (int j = 0; j < jobs(); j++) {
            out.add(new HashMap<>());
        }
        // A flow crossing a link twice has one time bound there, on each of its crossings.
        Set<Long> seen = new HashSet<>();
        int[] row = flowsOverLinks.row();
        int[] column = flowsOverLinks.column();
        for (int e = 0; e < row.length; e++) {
            if (seen.add((long) row[e] << 32 | column[e])) {
                out.get(jobOf[row[e]]).merge(column[e], boundSec[e], Double::sum);
            }
        }
        return out;
    }

    /** For each job, each link its flows cross and the longest a flow of it would take there. */
    private List<Map<Integer, Double>> linkSeconds(double[] jobStepSec) {
        double[] carried = carried(jobStepSec);
        int[] jobOf = jobOfFlow();
        List<Map<Integer, Double>> own = new ArrayList<>();
        List<Map<Long, Integer>> crossings = new ArrayList<>();
        for (int j = 0; j < jobs(); j++) {
            own.add(new HashMap<>());
            crossings.add(new HashMap<>());
        }
        int[] row = flowsOverLinks.row();
        int[] column = flowsOverLinks.column();
        for (int i = 0; i < row.length; i++) {
            int j = jobOf[row[i]];
            own.get(j).merge(column[i], flowBytes[row[i]] / jobStepSec[j], Double::sum);
            crossings.get(j).merge((long) row[i] << 32 | column[i], 1, Integer::sum);
        }
        List<Map<Integer, Double>> out = new ArrayList<>();
        for (int j = 0; j < jobs(); j++) {
            Map<Integer, Double> sec = new HashMap<>();
            for (Map.Entry<Long, Integer> e : crossings.get(j).entrySet()) {
                int f = (int) (e.getKey() >>> 32);
                int l = (int) (long) e.getKey();
                double left = Math.max(1e-9 * linkCapacity[l], linkCapacity[l] - (carried[l] - own.get(j).get(l)));
                sec.merge(l, flowBytes[f] * e.getValue() / left, Math::max);
            }
            out.add(sec);
        }
        return out;
    }

    private static void requireRectangular(String what, float[][] rows) {
        if (rows.length == 0 || rows[0].length == 0) {
            throw new IllegalArgumentException("a flow graph needs at least one " + what + " with features");
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != rows[0].length) {
                throw new IllegalArgumentException(what + " " + i + " has " + rows[i].length + " features, "
                        + what + " 0 has " + rows[0].length);
            }
            for (float v : rows[i]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + " " + i + " has a feature that is not a number: " + v);
                }
            }
        }
    }

    /**
     * The graphs side by side as one, none joined to another: links, flows and jobs in the order of the graphs, so
     * one pass of the model reads them all. Link ids stay each graph's own.
     */
    public static FlowGraph union(List<FlowGraph> graphs) {
        if (graphs.isEmpty()) {
            throw new IllegalArgumentException("no graphs to join");
        }
        if (graphs.size() == 1) {
            return graphs.getFirst();
        }
        int links = 0;
        int flows = 0;
        int jobs = 0;
        int flowEntries = 0;
        int jobEntries = 0;
        for (FlowGraph g : graphs) {
            links += g.links();
            flows += g.flows();
            jobs += g.jobs();
            flowEntries += g.flowsOverLinks.row().length;
            jobEntries += g.jobsOverFlows.row().length;
        }
        float[][] linkRows = new float[links][];
        float[][] flowRows = new float[flows][];
        float[] alone = new float[flows];
        float[] shared = new float[flows];
        float[] intermittent = new float[flows];
        double[] capacity = new double[links];
        int[] ids = new int[links];
        double[] bytes = new double[flows];
        double[] bound = new double[flowEntries];
        int[] fr = new int[flowEntries];
        int[] fc = new int[flowEntries];
        int[] jr = new int[jobEntries];
        int[] jc = new int[jobEntries];
        int l0 = 0;
        int f0 = 0;
        int j0 = 0;
        int fe = 0;
        int je = 0;
        for (FlowGraph g : graphs) {
            System.arraycopy(g.linkFeatures, 0, linkRows, l0, g.links());
            System.arraycopy(g.flowFeatures, 0, flowRows, f0, g.flows());
            System.arraycopy(g.flowAloneSec, 0, alone, f0, g.flows());
            System.arraycopy(g.flowSharedSec, 0, shared, f0, g.flows());
            System.arraycopy(g.flowIntermittentSec, 0, intermittent, f0, g.flows());
            System.arraycopy(g.linkCapacity, 0, capacity, l0, g.links());
            System.arraycopy(g.linkIds, 0, ids, l0, g.links());
            System.arraycopy(g.flowBytes, 0, bytes, f0, g.flows());
            System.arraycopy(g.boundSec, 0, bound, fe, g.boundSec.length);
            int[] r = g.flowsOverLinks.row();
            int[] c = g.flowsOverLinks.column();
            for (int i = 0; i < r.length; i++, fe++) {
                fr[fe] = r[i] + f0;
                fc[fe] = c[i] + l0;
            }
            r = g.jobsOverFlows.row();
            c = g.jobsOverFlows.column();
            for (int i = 0; i < r.length; i++, je++) {
                jr[je] = r[i] + j0;
                jc[je] = c[i] + f0;
            }
            l0 += g.links();
            f0 += g.flows();
            j0 += g.jobs();
        }
        return new FlowGraph(linkRows, flowRows, new Incidence(flows, links, fr, fc), alone, shared, intermittent,
                new Incidence(jobs, flows, jr, jc), capacity, bytes, ids, bound);
    }

    /**
     * Links the model cannot tell apart, in classes: the same features, crossed by the same flows as many times (the
     * equal hops of a ring that nothing else crosses). Their states are equal at every round, so the model reads
     * each class once: the same answer for less work.
     *
     * @param of              each link's class
     * @param representatives each class's first link, in class order
     */
    public record LinkClasses(int[] of, int[] representatives) {
        /** Every link a class of its own. */
        public static LinkClasses identity(int links) {
            int[] each = new int[links];
            for (int l = 0; l < links; l++) {
                each[l] = l;
            }
            return new LinkClasses(each, each.clone());
        }

        public int count() {
            return representatives.length;
        }
    }

    /** Its links in the classes the model reads them in ({@link LinkClasses}). */
    public LinkClasses linkClasses() {
        int[] row = flowsOverLinks.row();
        int[] column = flowsOverLinks.column();
        int[][] crossedBy = new int[links()][];
        int[] count = new int[links()];
        for (int c : column) {
            count[c]++;
        }
        for (int l = 0; l < crossedBy.length; l++) {
            crossedBy[l] = new int[count[l]];
            count[l] = 0;
        }
        for (int e = 0; e < row.length; e++) {
            crossedBy[column[e]][count[column[e]]++] = row[e];
        }
        record Key(float[] features, int[] flows) {
            @Override
            public boolean equals(Object o) {
                return o instanceof Key k && Arrays.equals(features, k.features) && Arrays.equals(flows, k.flows);
            }

            @Override
            public int hashCode() {
                return 31 * Arrays.hashCode(features) + Arrays.hashCode(flows);
            }
        }
        Map<Key, Integer> classOf = new HashMap<>();
        int[] of = new int[links()];
        List<Integer> representatives = new ArrayList<>();
        for (int l = 0; l < of.length; l++) {
            Arrays.sort(crossedBy[l]);
            int link = l;
            of[l] = classOf.computeIfAbsent(new Key(linkFeatures[l], crossedBy[l]), k -> {
                representatives.add(link);
                return representatives.size() - 1;
            });
        }
        return new LinkClasses(of, representatives.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Each job's exchange time on an otherwise idle network: the sum of its flows' times alone. */
    public double[] jobAloneSec() {
        return perJob(flowAloneSec);
    }

    /**
     * Each job's exchange time if every flow moved at once at max-min fair rates: the fair-share estimate, what the
     * network model says without a trained graph network.
     */
    public double[] jobSharedSec() {
        return perJob(flowSharedSec);
    }

    private double[] perJob(float[] flowSec) {
        double[] sum = new double[jobs()];
        for (int i = 0; i < jobsOverFlows.row().length; i++) {
            sum[jobsOverFlows.row()[i]] += flowSec[jobsOverFlows.column()[i]];
        }
        return sum;
    }

    public int links() {
        return linkFeatures.length;
    }

    public int flows() {
        return flowFeatures.length;
    }

    public int jobs() {
        return jobsOverFlows.rows();
    }

    public int linkWidth() {
        return linkFeatures[0].length;
    }

    public int flowWidth() {
        return flowFeatures[0].length;
    }

    /** The features of the links {@code picked}, in that order. */
    public NDArray links(NDManager manager, int[] picked) {
        float[][] rows = new float[picked.length][];
        for (int i = 0; i < picked.length; i++) {
            rows[i] = linkFeatures[picked[i]];
        }
        return matrix(manager, rows);
    }

    public NDArray flows(NDManager manager) {
        return matrix(manager, flowFeatures);
    }

    /** The logarithm of each flow's {@link #flowIntermittentSec}. */
    public NDArray logIntermittentSec(NDManager manager) {
        float[] log = new float[flowIntermittentSec.length];
        for (int f = 0; f < log.length; f++) {
            log[f] = (float) Math.log(flowIntermittentSec[f]);
        }
        return manager.create(log);
    }

    /** {@code log(shared / alone)} of each flow: how much sharing could slow it at most, on a log scale. */
    public NDArray sharingRange(NDManager manager) {
        float[] r = new float[flowAloneSec.length];
        for (int f = 0; f < r.length; f++) {
            r[f] = (float) Math.log((double) flowSharedSec[f] / flowAloneSec[f]);
        }
        return manager.create(r);
    }

    private static NDArray matrix(NDManager manager, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }
}
