package dev.coxswain.graphmodels.gnn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * The intermittent contention estimate the graph network corrects ({@link FlowGraph#flowIntermittentSec}): each flow's
 * expected time when the other jobs' flows come and go, and how often each link binds it ({@link FlowGraph#boundSec}).
 */
final class IntermittentEstimate {
    /** Draws of the other jobs' activity. */
    private static final int ACTIVITY_DRAWS = 32;
    /** Rounds of the fixed point, each taking the others' activity and rates from the round before. */
    private static final int ESTIMATE_ROUNDS = 3;
    /** Rates within this fraction of each other tie: the links that give them bind a flow together. */
    static final double TIE = 1e-9;

    private IntermittentEstimate() {
    }

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
     * <p>The last round also credits the links that bind the flow, as the simulator credits an exchange's whole time
     * to the links that bind it when it ends: each link gets the share of the draws in which it binds the flow (its
     * share is least, or it is one of the flow's slowest links where no one the flow meets is there to make another
     * slower; all of them where several tie), times the flow's expected time.
     *
     * @param capacities the capacity of each link the paths index
     * @param caps       each flow's own limit a hop
     * @param alone      each flow's time on an otherwise idle network
     * @param bytes      what each hop of each flow moves
     * @param latencySec what each flow pays on top of its bandwidth time
     * @param jobOf      each flow's job
     * @param jobStepSec each job's step time given its exchange time
     */
    static Estimate estimate(Paths paths, double[] capacities, double[] caps, double[] alone, double[] bytes,
                             double[] latencySec, int[] jobOf, List<DoubleUnaryOperator> jobStepSec) {
        Meetings[] meetings = new Meetings[alone.length];
        Slots[] slots = new Slots[alone.length];
        for (int f = 0; f < meetings.length; f++) {
            meetings[f] = paths.meetings(f, capacities, caps[f]);
            slots[f] = Slots.draw(meetings[f].met().length, new SplittableRandom(f));
        }
        double[] out = alone;
        double[][] bound = new double[alone.length][];
        double[] rate = new double[alone.length];
        Arrays.fill(rate, Double.POSITIVE_INFINITY);
        for (int round = 0; round < ESTIMATE_ROUNDS; round++) {
            double[] exchange = new double[jobStepSec.size()];
            for (int f = 0; f < out.length; f++) {
                exchange[jobOf[f]] += out[f];
            }
            double[] step = new double[exchange.length];
            for (int j = 0; j < step.length; j++) {
                step[j] = jobStepSec.get(j).applyAsDouble(exchange[j]);
            }
            double[] next = new double[alone.length];
            boolean last = round == ESTIMATE_ROUNDS - 1;
            for (int f = 0; f < next.length; f++) {
                Meetings m = meetings[f];
                if (last) {
                    bound[f] = new double[paths.distinctLinks(f)];
                }
                double[] duty = new double[m.met().length];
                double[] wants = new double[m.met().length];
                for (int i = 0; i < duty.length; i++) {
                    int g = m.met()[i];
                    duty[i] = Math.min(1, out[g] / step[jobOf[g]]);
                    wants[i] = rate[g];
                }
                if (duty.length == 0) {
                    next[f] = alone[f];
                    if (last) {
                        for (int k : m.slowest()) {
                            bound[f][k] = 1;
                        }
                    }
                } else {
                    next[f] = Math.max(alone[f], m.meanSec(bytes[f], latencySec[f], duty, wants, slots[f],
                            last ? bound[f] : null));
                }
                if (last) {
                    for (int k = 0; k < bound[f].length; k++) {
                        bound[f][k] *= next[f];
                    }
                }
            }
            out = next;
            for (int g = 0; g < rate.length; g++) {
                rate[g] = bytes[g] / Math.max(FlowGraphBuilder.MIN_SEC, out[g] - latencySec[g]);
            }
        }
        return new Estimate(out, bound);
    }

    /**
     * @param flowSec  each flow's expected time
     * @param boundSec for each flow, for each distinct link it crosses ({@link Paths#links}), the seconds a step that
     *                 link is credited with binding it: 0 for a link that never does
     */
    record Estimate(double[] flowSec, double[][] boundSec) {
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
     * @param sharedAt   each of those links' place among the flow's distinct links ({@link Paths#links})
     * @param slowest    the places of the links where it meets no one that bind it when no one it meets is there
     */
    record Meetings(int[] met, double steadyRate, double[] capacity, int[] ownHops, int[][] who, int[][] theirHops,
                    double[] least, int[] byLeast, int[] sharedAt, int[] slowest) {
        /**
         * The flow's mean time over {@link #ACTIVITY_DRAWS} draws of who is there, each flow met there with its
         * {@code duty} and taking at most {@code wants} a hop, in order of {@link #met}, at the {@code slots} drawn
         * for it. Unless {@code bound} is null, adds to it, at each link's place ({@link Paths#links}), the share of
         * the draws in which that link binds the flow.
         */
        double meanSec(double bytes, double latencySec, double[] duty, double[] wants, Slots slots, double[] bound) {
            int[][] byWants = new int[who.length][];
            boolean[] there = new boolean[duty.length];
            int[] binding = new int[who.length];
            double sum = 0;
            for (int d = 0; d < ACTIVITY_DRAWS; d++) {
                for (int i = 0; i < duty.length; i++) {
                    there[i] = slots.slot()[i][d] + slots.offset()[i] < duty[i] * ACTIVITY_DRAWS;
                }
                double rate = steadyRate;
                int bindings = 0;
                // No link gives less than its equal share with every flow met there: once that is more than the
                // rate so far, neither this link nor any after it can lower it or tie with it.
                for (int s : byLeast) {
                    if (least[s] > rate * (1 + TIE)) {
                        break;
                    }
                    if (byWants[s] == null) {
                        byWants[s] = byWants(who[s], wants);
                    }
                    double share = share(s, byWants[s], wants, there);
                    if (share < rate * (1 - TIE)) {
                        bindings = 0;
                    }
                    if (share <= rate * (1 + TIE)) {
                        binding[bindings++] = s;
                    }
                    rate = Math.min(rate, share);
                }
                sum += bytes / rate + latencySec;
                if (bound != null) {
                    for (int b = 0; b < bindings; b++) {
                        bound[sharedAt[binding[b]]] += 1.0 / ACTIVITY_DRAWS;
                    }
                    if (rate >= steadyRate * (1 - TIE)) {
                        for (int k : slowest) {
                            bound[k] += 1.0 / ACTIVITY_DRAWS;
                        }
                    }
                }
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

    /**
     * Where each flow met is there in a flow's draws: in draw {@code d}, flow {@code i} is there when
     * {@code slot[i][d] + offset[i] < duty x draws}. Stratified: each flow met is there in its share of the draws (one
     * more or less), which draws at random, so the estimate does not carry the noise of drawing each flow's presence
     * anew every time. Drawn once per flow, seeded by it, and kept across rounds.
     */
    record Slots(int[][] slot, double[] offset) {
        static Slots draw(int met, SplittableRandom random) {
            int[][] slot = new int[met][];
            double[] offset = new double[met];
            for (int i = 0; i < met; i++) {
                slot[i] = shuffled(ACTIVITY_DRAWS, random);
                offset[i] = random.nextDouble();
            }
            return new Slots(slot, offset);
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
    }
}
