package dev.coxswain.whatif.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LeastSquaresTest {
    private static final double[] X = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void findsTheParametersOfAnExponentialDecay() {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = 3 * Math.exp(-0.4 * X[i]);
        }
        LeastSquares ls = new LeastSquares(p -> {
            double[] r = new double[X.length];
            for (int i = 0; i < X.length; i++) {
                r[i] = p[0] * Math.exp(-p[1] * X[i]) - y[i];
            }
            return r;
        }, new LeastSquares.Options(200, Double.POSITIVE_INFINITY, 1e-14));
        double[] p = ls.minimise(new double[]{1, 0.1}).x();
        assertThat(p[0]).isCloseTo(3, within(1e-5));
        assertThat(p[1]).isCloseTo(0.4, within(1e-6));
    }

    @Test
    void robustLossIgnoresAnOutlierThatPullsPlainSquares() {
        double[] y = {1, 1, 1, 1, 1, 1, 1, 1, 1, 11};
        java.util.function.Function<double[], double[]> f = p -> {
            double[] r = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                r[i] = p[0] - y[i];
            }
            return r;
        };
        double plain = new LeastSquares(f, new LeastSquares.Options(200, Double.POSITIVE_INFINITY, 1e-14))
                .minimise(new double[]{0}).x()[0];
        double robust = new LeastSquares(f, LeastSquares.Options.robust(0.1)).minimise(new double[]{0}).x()[0];
        assertThat(plain).isCloseTo(2, within(1e-6));
        assertThat(robust).isCloseTo(1, within(0.05));
    }
}
