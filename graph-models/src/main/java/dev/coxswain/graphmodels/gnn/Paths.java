package dev.coxswain.graphmodels.gnn;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Each flow's distinct links with its hops on each (a link crossed by two hops of the flow counts two), and the
 * flows on each link.
 *
 * @param routes the crossed links of each flow, a link twice where two hops cross it
 */
final class Paths {
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

    /** The distinct links flow {@code flow} crosses, in the order of {@link IntermittentEstimate.Estimate#boundSec}. */
    int[] links(int flow) {
        return linksOf[flow].clone();
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
    IntermittentEstimate.Meetings meetings(int f, double[] capacities, double cap) {
        int[] met = new int[0];
        int metCount = 0;
        double steadyRate = cap;
        int n = linksOf[f].length;
        double[] capacity = new double[n];
        int[] ownHops = new int[n];
        int[][] who = new int[n][];
        int[][] theirHops = new int[n][];
        int[] sharedAt = new int[n];
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
            sharedAt[shared] = k;
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
        // The links where it meets no one that bind it when no one it meets is there: its slowest, all where they tie.
        int[] slowest = new int[n - shared];
        int count = 0;
        for (int k = 0, s = 0; k < n; k++) {
            if (s < shared && sharedAt[s] == k) {
                s++;
            } else if (capacities[linksOf[f][k]] / hopsOf[f][k] <= steadyRate * (1 + IntermittentEstimate.TIE)) {
                slowest[count++] = k;
            }
        }
        return new IntermittentEstimate.Meetings(met, steadyRate, Arrays.copyOf(capacity, shared),
                Arrays.copyOf(ownHops, shared), Arrays.copyOf(who, shared), Arrays.copyOf(theirHops, shared), least,
                byLeast, Arrays.copyOf(sharedAt, shared), Arrays.copyOf(slowest, count));
    }
}
