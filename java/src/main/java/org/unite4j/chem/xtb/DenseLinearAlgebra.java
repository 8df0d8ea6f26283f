package org.unite4j.chem.xtb;

/** Small dense float64 helpers for the featurizer (row-major square matrices). */
final class DenseLinearAlgebra {
    private DenseLinearAlgebra() {
    }

    /** A^-1 by LU decomposition with partial pivoting; throws if A is numerically singular. */
    static double[] inverse(double[] a, int n, String what) {
        double[] lu = a.clone();
        int[] piv = new int[n];
        for (int i = 0; i < n; i++) piv[i] = i;
        double scale = 0;
        for (double v : a) scale = Math.max(scale, Math.abs(v));
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(lu[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(lu[i * n + k]);
                if (v > best) { best = v; p = i; }
            }
            if (!(best > 1e-14 * scale))
                throw new XtbException(what + " is singular (pivot " + best + " at column " + k + ")");
            if (p != k) {
                for (int j = 0; j < n; j++) {
                    double t = lu[k * n + j]; lu[k * n + j] = lu[p * n + j]; lu[p * n + j] = t;
                }
                int t = piv[k]; piv[k] = piv[p]; piv[p] = t;
            }
            double d = lu[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / d;
                lu[i * n + k] = f;
                if (f != 0) for (int j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
            }
        }
        // Solve A X = I column by column: P A = L U.
        double[] inv = new double[n * n];
        double[] col = new double[n];
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < n; i++) col[i] = piv[i] == c ? 1 : 0;
            for (int i = 0; i < n; i++) {
                double s = col[i];
                for (int j = 0; j < i; j++) s -= lu[i * n + j] * col[j];
                col[i] = s;
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = col[i];
                for (int j = i + 1; j < n; j++) s -= lu[i * n + j] * col[j];
                col[i] = s / lu[i * n + i];
            }
            for (int i = 0; i < n; i++) inv[i * n + c] = col[i];
        }
        return inv;
    }
}
