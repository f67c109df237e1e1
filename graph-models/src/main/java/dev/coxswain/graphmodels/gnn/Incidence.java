package dev.coxswain.graphmodels.gnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Which rows meet which columns (flows and the links they cross, links and the devices they join), as a sparse COO
 * matrix of ones: DJL has no scatter-add or segment sum, so a message-passing step aggregates by multiplying with
 * it. {@code incidence.matMul(messages)} sums, for each row, the messages of the columns it meets.
 *
 * @param rows    the number of rows (e.g. flows)
 * @param columns the number of columns (e.g. links)
 * @param row     the row of each entry
 * @param column  the column of each entry, as long as {@code row}
 */
public record Incidence(int rows, int columns, int[] row, int[] column) {
    public Incidence {
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("an incidence needs at least one row and one column, got " + rows
                    + " x " + columns);
        }
        if (row.length != column.length) {
            throw new IllegalArgumentException(row.length + " rows but " + column.length + " columns of entries");
        }
        for (int i = 0; i < row.length; i++) {
            if (row[i] < 0 || row[i] >= rows || column[i] < 0 || column[i] >= columns) {
                throw new IllegalArgumentException("entry " + i + " (" + row[i] + ", " + column[i]
                        + ") is outside " + rows + " x " + columns);
            }
        }
        row = row.clone();
        column = column.clone();
    }

    /** The sparse matrix, {@code rows x columns}. */
    public NDArray sparse(NDManager manager) {
        float[] ones = new float[row.length];
        Arrays.fill(ones, 1f);
        return coo(manager, ones);
    }

    /**
     * The sparse matrix with each row's entries scaled to sum to one: {@code mean.matMul(messages)} averages, for
     * each row, the messages of the columns it meets (a column met twice counts twice), so that a row's input does
     * not grow with how many it meets.
     */
    public NDArray mean(NDManager manager) {
        int[] degree = new int[rows];
        for (int r : row) {
            degree[r]++;
        }
        float[] values = new float[row.length];
        for (int i = 0; i < row.length; i++) {
            values[i] = 1f / degree[row[i]];
        }
        return coo(manager, values);
    }

    private NDArray coo(NDManager manager, float[] values) {
        long[][] indices = new long[2][row.length];
        for (int i = 0; i < row.length; i++) {
            indices[0][i] = row[i];
            indices[1][i] = column[i];
        }
        // The engine's COO tensor points into the buffers it was made from, which are not its own; its copy is.
        try (NDArray borrowed = manager.createCoo(FloatBuffer.wrap(values), indices, new Shape(rows, columns))) {
            return borrowed.duplicate();
        }
    }

    /** The same matrix, dense: for checks and for tiny graphs. */
    public NDArray dense(NDManager manager) {
        float[] values = new float[rows * columns];
        for (int i = 0; i < row.length; i++) {
            values[row[i] * columns + column[i]] += 1f;
        }
        return manager.create(values, new Shape(rows, columns));
    }

    /** The transpose: columns to rows (links to the flows that cross them). */
    public Incidence transpose() {
        return new Incidence(columns, rows, column, row);
    }
}
