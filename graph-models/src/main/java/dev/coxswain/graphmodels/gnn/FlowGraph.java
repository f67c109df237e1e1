package dev.coxswain.graphmodels.gnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A network as the graph model reads it, in the manner of RouteNet: links with their features, flows with theirs,
 * and which links each flow crosses. A link crossed twice by one flow (two hops of a collective) counts twice.
 *
 * @param linkFeatures   one row per link, all of {@link #linkWidth()}
 * @param flowFeatures   one row per flow, all of {@link #flowWidth()}
 * @param flowsOverLinks flows x links
 */
public record FlowGraph(float[][] linkFeatures, float[][] flowFeatures, Incidence flowsOverLinks) {
    public FlowGraph {
        requireRectangular("link", linkFeatures);
        requireRectangular("flow", flowFeatures);
        if (flowsOverLinks.rows() != flowFeatures.length || flowsOverLinks.columns() != linkFeatures.length) {
            throw new IllegalArgumentException("the incidence is " + flowsOverLinks.rows() + " x "
                    + flowsOverLinks.columns() + " but there are " + flowFeatures.length + " flows and "
                    + linkFeatures.length + " links");
        }
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

    public int linkWidth() {
        return linkFeatures[0].length;
    }

    public int flowWidth() {
        return flowFeatures[0].length;
    }

    public NDArray links(NDManager manager) {
        return matrix(manager, linkFeatures);
    }

    public NDArray flows(NDManager manager) {
        return matrix(manager, flowFeatures);
    }

    private static NDArray matrix(NDManager manager, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }
}
