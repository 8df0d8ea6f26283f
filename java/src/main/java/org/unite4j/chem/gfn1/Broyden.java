package org.unite4j.chem.gfn1;

import java.util.ArrayList;
import java.util.List;

/**
 * Modified Broyden mixing (D. D. Johnson, Phys. Rev. B 38, 12807 (1988)) of the SCF's input
 * vector x with residual F(x) = x_out - x: the first step is simple mixing x + alpha F, later
 * steps correct it with the inverse-Jacobian estimate built from all previous steps (weights 1,
 * w0 = 0.01). Deterministic: plain loops in a fixed order.
 */
final class Broyden {
    private final double alpha;
    private final double w0 = 0.01;
    private final List<double[]> dF = new ArrayList<>();
    private final List<double[]> u = new ArrayList<>();
    private double[] lastX, lastF;

    Broyden(double alpha) {
        this.alpha = alpha;
    }

    /** The next input given the current input x and its output xOut. */
    double[] next(double[] x, double[] xOut) {
        int n = x.length;
        double[] f = new double[n];
        for (int i = 0; i < n; i++) f[i] = xOut[i] - x[i];
        double[] next = new double[n];
        for (int i = 0; i < n; i++) next[i] = x[i] + alpha * f[i];
        if (lastF != null) {
            double[] df = new double[n], dx = new double[n];
            double norm = 0;
            for (int i = 0; i < n; i++) {
                df[i] = f[i] - lastF[i];
                norm += df[i] * df[i];
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                double[] um = new double[n];
                for (int i = 0; i < n; i++) {
                    df[i] /= norm;
                    dx[i] = (x[i] - lastX[i]) / norm;
                    um[i] = alpha * df[i] + dx[i];
                }
                dF.add(df);
                u.add(um);
            }
            int m = dF.size();
            if (m > 0) {
                double[] a = new double[m * m];
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++) a[i * m + j] = dot(dF.get(i), dF.get(j)) + (i == j ? w0 * w0 : 0);
                double[] c = new double[m];
                for (int k = 0; k < m; k++) c[k] = dot(dF.get(k), f);
                double[] gamma = solve(a, c, m);
                for (int k = 0; k < m; k++) {
                    double[] uk = u.get(k);
                    for (int i = 0; i < n; i++) next[i] -= gamma[k] * uk[i];
                }
            }
        }
        lastX = x.clone();
        lastF = f;
        return next;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Solves the small symmetric positive definite system a x = b by Gaussian elimination. */
    private static double[] solve(double[] a, double[] b, int m) {
        double[] l = a.clone(), x = b.clone();
        for (int k = 0; k < m; k++) {
            int p = k;
            for (int i = k + 1; i < m; i++) if (Math.abs(l[i * m + k]) > Math.abs(l[p * m + k])) p = i;
            if (p != k) {
                for (int j = 0; j < m; j++) { double t = l[k * m + j]; l[k * m + j] = l[p * m + j]; l[p * m + j] = t; }
                double t = x[k]; x[k] = x[p]; x[p] = t;
            }
            double d = l[k * m + k];
            for (int i = k + 1; i < m; i++) {
                double f = l[i * m + k] / d;
                if (f == 0) continue;
                for (int j = k; j < m; j++) l[i * m + j] -= f * l[k * m + j];
                x[i] -= f * x[k];
            }
        }
        for (int k = m - 1; k >= 0; k--) {
            double s = x[k];
            for (int j = k + 1; j < m; j++) s -= l[k * m + j] * x[j];
            x[k] = s / l[k * m + k];
        }
        return x;
    }
}
