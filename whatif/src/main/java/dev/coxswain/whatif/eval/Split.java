package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A division of measured rows into the rows a model is fitted on and the rows it must predict. Query rows are never
 * shown to the fit.
 */
public record Split(String name, List<Measurement> measured, List<Measurement> query) {
    public Split {
        measured = List.copyOf(measured);
        query = List.copyOf(query);
    }

    /** Split (a): a seeded random {@code fraction} of the rows is measured, the rest is queried. */
    public static Split random(List<Measurement> rows, double fraction, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        int k = (int) Math.round(fraction * rows.size());
        boolean[] in = new boolean[rows.size()];
        for (int i = 0; i < k; i++) {
            in[idx.get(i)] = true;
        }
        List<Measurement> m = new ArrayList<>();
        List<Measurement> q = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (in[i] ? m : q).add(rows.get(i));
        }
        return new Split("a", m, q);
    }

    /** Split (b): rows on at most {@code maxNodes} nodes are measured, the others are queried. */
    public static Split byNodes(List<Measurement> rows, int maxNodes) {
        List<Measurement> m = new ArrayList<>();
        List<Measurement> q = new ArrayList<>();
        for (Measurement r : rows) {
            (r.placement().nodes() <= maxNodes ? m : q).add(r);
        }
        return new Split("b", m, q);
    }
}
