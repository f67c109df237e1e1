package dev.coxswain.whatif.calibrate;

import java.util.Arrays;
import java.util.function.Function;

/**
 * Robust non-linear least squares by Levenberg-Marquardt with iteratively re-weighted residuals. Minimises
 * {@code sum_i s^2 rho((r_i / s)^2)} with the soft-L1 loss {@code rho(z) = 2 (sqrt(1 + z) - 1)} (quadratic for
 * residuals well below the scale {@code s}, linear above it, so that a few outlying measurements do not drag the
 * fit), or plain squares when the scale is infinite. The Jacobian is taken by forward differences.
 *
 * <p>Complexity per iteration: {@code p + 1} residual evaluations and {@code O(m p^2 + p^3)} arithmetic for
 * {@code m} residuals and {@code p} parameters. Deterministic: no randomness, no threads. Not thread-safe; one
 * instance per fit.
 */
public final class LeastSquares {

    /**
     * @param robustScale the residual size at which the loss turns from quadratic to linear; infinite for plain
     *                    least squares
     */
    public record Options(int maxIterations, double robustScale, double tolerance) {
        public Options {
            if (maxIterations < 1 || !(robustScale > 0) || !(tolerance > 0)) {
                throw new IllegalArgumentException("bad least-squares options " + maxIterations + ", "
                        + robustScale + ", " + tolerance);
            }
        }

        public static Options robust(double scale) {
            return new Options(400, scale, 1e-10);
        }
    }

    /** The minimiser found, its robust cost, and whether the relative improvement fell below the tolerance. */
    public record Result(double[] x, double cost, int iterations, boolean converged) {
        public Result {
            x = x.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }
    }

    private final Function<double[], double[]> residuals;
    private final Options options;

    public LeastSquares(Function<double[], double[]> residuals, Options options) {
        this.residuals = residuals;
        this.options = options;
    }

    public Result minimise(double[] start) {
        double[] x = start.clone();
        double[] r = residuals.apply(x);
        double cost = cost(r);
        double lambda = 1e-3;
        int p = x.length;
        int it = 0;
        boolean converged = false;
        while (it < options.maxIterations() && !converged) {
            it++;
            double[] w = weights(r);
            double[][] jac = jacobian(x, r);
            double[][] a = new double[p][p];
            double[] g = new double[p];
            normalEquations(jac, r, w, a, g);
            boolean improved = false;
            for (int attempt = 0; attempt < 30 && !improved; attempt++) {
                double[] step = solve(damped(a, lambda), g);
                if (step == null) {
                    lambda *= 10;
                    continue;
                }
                double[] next = new double[p];
                for (int j = 0; j < p; j++) {
                    next[j] = x[j] - step[j];
                }
                double[] rn = residuals.apply(next);
                double cn = cost(rn);
                if (Double.isFinite(cn) && cn < cost) {
                    converged = (cost - cn) <= options.tolerance() * Math.max(cost, 1e-300);
                    x = next;
                    r = rn;
                    cost = cn;
                    lambda = Math.max(lambda / 3, 1e-12);
                    improved = true;
                } else {
                    lambda *= 4;
                }
            }
            if (!improved) {
                converged = true;
            }
        }
        return new Result(x, cost, it, converged);
    }

    private double cost(double[] r) {
        double s = options.robustScale();
        double c = 0;
        for (double v : r) {
            if (!Double.isFinite(v)) {
                return Double.POSITIVE_INFINITY;
            }
            c += Double.isInfinite(s) ? v * v : 2 * s * s * (Math.sqrt(1 + (v / s) * (v / s)) - 1);
        }
        return c;
    }

    private double[] weights(double[] r) {
        double s = options.robustScale();
        double[] w = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            w[i] = Double.isInfinite(s) ? 1 : 1 / Math.sqrt(1 + (r[i] / s) * (r[i] / s));
        }
        return w;
    }

    private double[][] jacobian(double[] x, double[] r) {
        double[][] jac = new double[x.length][];
        for (int j = 0; j < x.length; j++) {
            double h = 1e-6 * Math.max(1, Math.abs(x[j]));
            double[] xh = x.clone();
            xh[j] += h;
            double[] rh = residuals.apply(xh);
            double[] col = new double[r.length];
            for (int i = 0; i < r.length; i++) {
                col[i] = (rh[i] - r[i]) / h;
            }
            jac[j] = col;
        }
        return jac;
    }

    private static void normalEquations(double[][] jac, double[] r, double[] w, double[][] a, double[] g) {
        int p = jac.length;
        for (int j = 0; j < p; j++) {
            double[] cj = jac[j];
            double gj = 0;
            for (int i = 0; i < r.length; i++) {
                gj += cj[i] * w[i] * r[i];
            }
            g[j] = gj;
            for (int k = 0; k <= j; k++) {
                double[] ck = jac[k];
                double s = 0;
                for (int i = 0; i < r.length; i++) {
                    s += cj[i] * w[i] * ck[i];
                }
                a[j][k] = s;
                a[k][j] = s;
            }
        }
    }

    private static double[][] damped(double[][] a, double lambda) {
        double[][] d = new double[a.length][];
        for (int j = 0; j < a.length; j++) {
            d[j] = a[j].clone();
            d[j][j] += lambda * Math.max(a[j][j], 1e-12);
        }
        return d;
    }

    /** Gaussian elimination with partial pivoting; null when the matrix is singular. */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = Arrays.copyOf(m[i], n + 1);
            a[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int i = c + 1; i < n; i++) {
                if (Math.abs(a[i][c]) > Math.abs(a[piv][c])) {
                    piv = i;
                }
            }
            if (Math.abs(a[piv][c]) < 1e-300) {
                return null;
            }
            double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            for (int i = c + 1; i < n; i++) {
                double f = a[i][c] / a[c][c];
                for (int k = c; k <= n; k++) {
                    a[i][k] -= f * a[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int k = i + 1; k < n; k++) {
                s -= a[i][k] * x[k];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
