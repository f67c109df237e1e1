package dev.coxswain.core.net;

import java.util.Arrays;

/**
 * Max-min fair rates of flows that share capacitated links, by progressive filling: every unfrozen flow's rate grows
 * at the same pace until a link it crosses is full or it reaches its own cap, at which point it freezes. The result
 * is the unique max-min fair allocation: no flow's rate can grow without lowering that of a flow with an equal or
 * smaller rate.
 *
 * <p>Inputs are checked in the constructor and the work is done there; {@link #rates()} returns a copy. Complexity:
 * {@code O(R (L + H))} for {@code L} links, {@code H} flow-link incidences and {@code R <= L + F} filling rounds
 * (in practice the number of distinct bottleneck levels, a handful). Units are the caller's (bytes per second
 * here); infinite capacities and caps are allowed, but a flow must be bounded by something.
 */
public final class MaxMinFairShare {
    private static final double EPS = 1e-12;

    private final double[] rates;
    private final int[] bottleneck;
    private final int[][] routes;
    private final double[] capacities;
    private double[] remaining;
    /** The fastest rate among the flows crossing each link, once asked for. */
    private double[] fastest;

    /**
     * @param capacities capacity of each link, at least 0
     * @param routes     the links each flow crosses; a link listed twice (two hops of a coflow) is charged twice
     * @param flowCaps   the most each flow can use by itself (a TCP flow limit, an endpoint's speed); may be infinite
     */
    public MaxMinFairShare(double[] capacities, int[][] routes, double[] flowCaps) {
        if (routes.length != flowCaps.length) {
            throw new IllegalArgumentException(routes.length + " routes but " + flowCaps.length + " flow caps");
        }
        for (double c : capacities) {
            if (!(c >= 0)) {
                throw new IllegalArgumentException("link capacity " + c + " is not a non-negative number");
            }
        }
        int flows = routes.length;
        int[] users = new int[capacities.length];
        for (int f = 0; f < flows; f++) {
            if (!(flowCaps[f] >= 0)) {
                throw new IllegalArgumentException("flow " + f + " cap " + flowCaps[f] + " is negative or NaN");
            }
            boolean bounded = flowCaps[f] < Double.POSITIVE_INFINITY;
            for (int l : routes[f]) {
                if (l < 0 || l >= capacities.length) {
                    throw new IllegalArgumentException("flow " + f + " crosses link " + l + ", which does not exist");
                }
                users[l]++;
                bounded |= capacities[l] < Double.POSITIVE_INFINITY;
            }
            if (!bounded) {
                throw new IllegalArgumentException("flow " + f + " is bounded by no link and no cap");
            }
        }
        this.rates = new double[flows];
        this.bottleneck = new int[flows];
        this.routes = routes;
        this.capacities = capacities;
        this.remaining = capacities.clone();
        fill(capacities, remaining, routes, flowCaps, users);
    }

    private void fill(double[] capacity, double[] remaining, int[][] routes, double[] caps, int[] users) {
        int flows = routes.length;
        boolean[] frozen = new boolean[flows];
        Arrays.fill(bottleneck, -2);
        int active = flows;
        while (active > 0) {
            double inc = Double.POSITIVE_INFINITY;
            for (int l = 0; l < remaining.length; l++) {
                if (users[l] > 0) {
                    inc = Math.min(inc, remaining[l] / users[l]);
                }
            }
            for (int f = 0; f < flows; f++) {
                if (!frozen[f]) {
                    inc = Math.min(inc, caps[f] - rates[f]);
                }
            }
            inc = Math.max(inc, 0);
            for (int f = 0; f < flows; f++) {
                if (!frozen[f]) {
                    rates[f] += inc;
                    for (int l : routes[f]) {
                        remaining[l] -= inc;
                    }
                }
            }
            for (int f = 0; f < flows; f++) {
                if (frozen[f]) {
                    continue;
                }
                int why = rates[f] >= caps[f] * (1 - EPS) ? -1 : saturated(routes[f], remaining, capacity);
                if (why != -2) {
                    frozen[f] = true;
                    bottleneck[f] = why;
                    active--;
                    for (int l : routes[f]) {
                        users[l]--;
                    }
                }
            }
        }
    }

    private static int saturated(int[] route, double[] remaining, double[] capacity) {
        for (int l : route) {
            if (remaining[l] <= 1e-9 * capacity[l]) {
                return l;
            }
        }
        return -2;
    }

    /** The max-min fair rate of each flow, in the units of the inputs. */
    public double[] rates() {
        return rates.clone();
    }

    public double rate(int flow) {
        return rates[flow];
    }

    /** The link that stopped each flow's growth, or -1 when its own cap did. */
    public int bottleneck(int flow) {
        return bottleneck[flow];
    }

    /**
     * Every link that bounds {@code flow}: full, and no flow crossing it is faster. Where several links tie (the
     * hops of a ring over equal links), {@link #bottleneck} names one of them and this names them all; none when the
     * flow's own cap bounds it.
     */
    public int[] bottlenecks(int flow) {
        if (bottleneck[flow] < 0) {
            return new int[0];
        }
        if (fastest == null) {
            fastest = new double[capacities.length];
            for (int f = 0; f < routes.length; f++) {
                for (int l : routes[f]) {
                    fastest[l] = Math.max(fastest[l], rates[f]);
                }
            }
        }
        return Arrays.stream(routes[flow]).distinct()
                .filter(l -> remaining[l] <= 1e-9 * capacities[l] && rates[flow] >= fastest[l] * (1 - 1e-9))
                .toArray();
    }
}
