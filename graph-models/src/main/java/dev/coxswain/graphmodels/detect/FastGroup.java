package dev.coxswain.graphmodels.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ideal step level of a job: the median level of its fastest workers. Unlike the median of all workers it stays
 * at the healthy level when half the job (or, with the default fraction, up to three quarters) is slow; taking the
 * median of a group rather than the single fastest worker keeps one unusually fast worker from setting it.
 * Inputs are checked in the constructor and the group is computed there: O(n log n) for n workers.
 */
public final class FastGroup {

    private final double level;
    private final Set<String> members;

    /**
     * @param levels   each active worker's rolling level; at least one, all positive and finite
     * @param fraction the share of workers in the fast group, in (0, 1]; at least one worker is always in it
     */
    public FastGroup(Map<String, Double> levels, double fraction) {
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("no worker levels");
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(levels.entrySet());
        for (Map.Entry<String, Double> e : sorted) {
            if (!(e.getValue() > 0) || Double.isInfinite(e.getValue())) {
                throw new IllegalArgumentException("level of " + e.getKey() + " must be positive, got "
                        + e.getValue());
            }
        }
        sorted.sort(Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        int k = Math.max(1, (int) Math.ceil(sorted.size() * fraction - 1e-9));
        List<Map.Entry<String, Double>> group = sorted.subList(0, k);
        this.level = k % 2 == 1 ? group.get(k / 2).getValue()
                : (group.get(k / 2 - 1).getValue() + group.get(k / 2).getValue()) / 2;
        this.members = group.stream().map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** The ideal level: the median level of the fast group. */
    public double level() {
        return level;
    }

    /** The workers in the fast group. */
    public Set<String> members() {
        return members;
    }

}
