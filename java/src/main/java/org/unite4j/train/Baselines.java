package org.unite4j.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Linear baselines on element counts, the yardstick every learned energy model must beat.
 *
 * <p><b>Element counts</b>: E ~ sum_Z n_Z b_Z + c, where n_Z is the number of atoms of element Z
 * in the molecule. <b>Reference + element counts</b>: the same fit of the residual E - E_ref
 * (e.g. PBE0 - DFTB3, or DFT - xTB: the delta-learning baseline), predicting E_ref + sum n_Z b_Z + c.
 *
 * <p>Solver: the coefficients minimize ||X b - y||^2 + lambda ||b_Z||^2 (the intercept c is not
 * penalized) with lambda = ridge * n for n training molecules, computed by Householder QR of the
 * augmented matrix [X; sqrt(lambda) I_Z] (never forming X^T X, whose condition number is the
 * square of X's). The tiny default ridge ({@value #DEFAULT_RIDGE}) changes nothing measurable when
 * every element varies independently, and keeps the solution finite and unique when two element
 * counts are collinear in the training set (e.g. an element that only ever appears once per
 * molecule together with the intercept in a small set).
 */
public final class Baselines {
    private Baselines() {}

    /** Default relative ridge: lambda = DEFAULT_RIDGE * n. */
    public static final double DEFAULT_RIDGE = 1e-8;

    /** A fitted linear element-count model (optionally on top of a per-molecule reference). */
    public static final class ElementCountModel {
        private final int[] elements;      // sorted atomic numbers
        private final double[] coefficients; // b_Z, per element, in the target's unit
        private final double intercept;
        private final boolean usesReference;

        ElementCountModel(int[] elements, double[] coefficients, double intercept, boolean usesReference) {
            this.elements = elements;
            this.coefficients = coefficients;
            this.intercept = intercept;
            this.usesReference = usesReference;
        }

        /** The atomic numbers seen in training, ascending. */
        public int[] elements() { return elements.clone(); }

        /** b_Z for the element {@code z}. */
        public double coefficient(int z) {
            int i = Arrays.binarySearch(elements, z);
            if (i < 0) throw new IllegalArgumentException("element Z=" + z + " was not in the training set (have " + Arrays.toString(elements) + ")");
            return coefficients[i];
        }

        /** The per-element coefficients b_Z in the order of {@link #elements()}. */
        public double[] coefficients() { return coefficients.clone(); }

        public double intercept() { return intercept; }

        /** Whether predictions add a reference value (the "reference + element counts" model). */
        public boolean usesReference() { return usesReference; }

        /** Prediction for one molecule without reference: sum_Z n_Z b_Z + c. */
        public double predict(int[] atomicNumbers) {
            if (usesReference) throw new IllegalArgumentException("this baseline was fitted on top of a reference value: use predict(z, reference)");
            return countsPart(atomicNumbers, -1);
        }

        /** Prediction for one molecule: reference + sum_Z n_Z b_Z + c (reference ignored if !usesReference()). */
        public double predict(int[] atomicNumbers, double reference) {
            return (usesReference ? reference : 0) + countsPart(atomicNumbers, -1);
        }

        private double countsPart(int[] z, int molecule) {
            double s = intercept;
            for (int a = 0; a < z.length; a++) {
                int i = Arrays.binarySearch(elements, z[a]);
                if (i < 0)
                    throw new IllegalArgumentException((molecule >= 0 ? "molecule " + molecule + ", " : "") + "atom " + a
                            + ": element Z=" + z[a] + " was not in the training set of the baseline (have " + Arrays.toString(elements) + ")");
                s += coefficients[i];
            }
            return s;
        }

        /** Predictions for many molecules; {@code reference} may be null when !usesReference(). */
        public double[] predictAll(int[][] atomicNumbers, double[] reference) {
            if (usesReference && (reference == null || reference.length != atomicNumbers.length))
                throw new IllegalArgumentException("need one reference value per molecule");
            double[] p = new double[atomicNumbers.length];
            for (int m = 0; m < p.length; m++) p[m] = (usesReference ? reference[m] : 0) + countsPart(atomicNumbers[m], m);
            return p;
        }

        /** Mean absolute error against {@code target}. */
        public double mae(int[][] atomicNumbers, double[] reference, double[] target) {
            return Metrics.mae(predictAll(atomicNumbers, reference), target);
        }

        /** JSON-ready description: {"uses_reference":..,"intercept":..,"coefficients":{"1":b_H,...}}. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uses_reference", usesReference);
            m.put("intercept", intercept);
            Map<String, Object> c = new LinkedHashMap<>();
            for (int i = 0; i < elements.length; i++) c.put(Integer.toString(elements[i]), coefficients[i]);
            m.put("coefficients", c);
            return m;
        }

        /** Inverse of {@link #toJson()}. */
        public static ElementCountModel fromJson(Map<String, ?> m) {
            if (!(m.get("coefficients") instanceof Map<?, ?> c) || !(m.get("intercept") instanceof Number ic)
                    || !(m.get("uses_reference") instanceof Boolean ur))
                throw new IllegalArgumentException("element-count baseline JSON needs uses_reference, intercept and coefficients");
            int[] els = new int[c.size()];
            double[] co = new double[c.size()];
            List<Map.Entry<Integer, Double>> list = new ArrayList<>();
            for (Map.Entry<?, ?> e : c.entrySet()) {
                if (!(e.getValue() instanceof Number v)) throw new IllegalArgumentException("coefficient of Z=" + e.getKey() + " is not a number");
                list.add(Map.entry(Integer.parseInt((String) e.getKey()), v.doubleValue()));
            }
            list.sort(Map.Entry.comparingByKey());
            for (int i = 0; i < els.length; i++) {
                els[i] = list.get(i).getKey();
                co[i] = list.get(i).getValue();
            }
            return new ElementCountModel(els, co, ic.doubleValue(), ur);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(usesReference ? "reference + " : "").append(String.format(java.util.Locale.ROOT, "%.6g", intercept));
            for (int i = 0; i < elements.length; i++)
                sb.append(String.format(java.util.Locale.ROOT, " + %.6g n[Z=%d]", coefficients[i], elements[i]));
            return sb.toString();
        }
    }

    /** Fits E ~ sum_Z n_Z b_Z + c with the default ridge. */
    public static ElementCountModel fitElementCounts(int[][] atomicNumbers, double[] target) {
        return fit(atomicNumbers, null, target, DEFAULT_RIDGE);
    }

    /** Fits E ~ sum_Z n_Z b_Z + c with lambda = ridge * n. */
    public static ElementCountModel fitElementCounts(int[][] atomicNumbers, double[] target, double ridge) {
        return fit(atomicNumbers, null, target, ridge);
    }

    /** Fits E - E_ref ~ sum_Z n_Z b_Z + c with the default ridge. */
    public static ElementCountModel fitReferencePlusCounts(int[][] atomicNumbers, double[] reference, double[] target) {
        if (reference == null) throw new IllegalArgumentException("reference values are required");
        return fit(atomicNumbers, reference, target, DEFAULT_RIDGE);
    }

    /** Fits E - E_ref ~ sum_Z n_Z b_Z + c with lambda = ridge * n. */
    public static ElementCountModel fitReferencePlusCounts(int[][] atomicNumbers, double[] reference, double[] target, double ridge) {
        if (reference == null) throw new IllegalArgumentException("reference values are required");
        return fit(atomicNumbers, reference, target, ridge);
    }

    private static ElementCountModel fit(int[][] z, double[] reference, double[] target, double ridge) {
        int n = z.length;
        if (target.length != n) throw new IllegalArgumentException(n + " molecules but " + target.length + " target values");
        if (reference != null && reference.length != n) throw new IllegalArgumentException(n + " molecules but " + reference.length + " reference values");
        if (n == 0) throw new IllegalArgumentException("no molecules to fit");
        if (!(ridge >= 0) || !Double.isFinite(ridge)) throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        TreeSet<Integer> set = new TreeSet<>();
        for (int m = 0; m < n; m++) {
            if (z[m] == null || z[m].length == 0) throw new IllegalArgumentException("molecule " + m + " has no atoms");
            for (int a : z[m]) {
                if (a < 1 || a > 118) throw new IllegalArgumentException("molecule " + m + ": invalid atomic number " + a);
                set.add(a);
            }
        }
        for (int m = 0; m < n; m++) {
            if (!Double.isFinite(target[m])) throw new IllegalArgumentException("molecule " + m + ": non-finite target " + target[m]);
            if (reference != null && !Double.isFinite(reference[m]))
                throw new IllegalArgumentException("molecule " + m + ": non-finite reference " + reference[m]);
        }
        int[] els = set.stream().mapToInt(Integer::intValue).toArray();
        int k = els.length, p = k + 1; // element columns, then the intercept
        double lambda = ridge * n;
        int rows = n + (lambda > 0 ? k : 0);
        double[][] a = new double[rows][p];
        double[] y = new double[rows];
        for (int m = 0; m < n; m++) {
            for (int at : z[m]) a[m][Arrays.binarySearch(els, at)] += 1;
            a[m][k] = 1;
            y[m] = target[m] - (reference != null ? reference[m] : 0);
        }
        if (lambda > 0) for (int j = 0; j < k; j++) a[n + j][j] = Math.sqrt(lambda);
        double[] x = householderLeastSquares(a, y, els);
        return new ElementCountModel(els, Arrays.copyOf(x, k), x[k], reference != null);
    }

    /**
     * Least-squares solution of min ||A x - y|| by Householder QR (A is overwritten). Throws when A
     * is numerically rank deficient (a diagonal of R below 1e-10 times the largest column norm).
     */
    static double[] householderLeastSquares(double[][] a, double[] y, int[] elementsForMessages) {
        int m = a.length, p = a[0].length;
        if (m < p) throw new IllegalArgumentException("underdetermined fit: " + m + " equations for " + p + " unknowns; add molecules or a ridge");
        double maxNorm = 0;
        for (int j = 0; j < p; j++) {
            double s = 0;
            for (int i = 0; i < m; i++) s += a[i][j] * a[i][j];
            maxNorm = Math.max(maxNorm, Math.sqrt(s));
        }
        double[] rdiag = new double[p];
        for (int j = 0; j < p; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) norm = Math.hypot(norm, a[i][j]);
            if (norm <= 1e-10 * maxNorm) {
                String col = j < elementsForMessages.length ? "element Z=" + elementsForMessages[j] : "the intercept";
                throw new IllegalArgumentException("rank-deficient fit: the column of " + col
                        + " is a linear combination of the others in this training set; use a ridge > 0");
            }
            if (a[j][j] > 0) norm = -norm;
            // v = a[j..m][j] - norm e_j, stored in place; H = I - v v^T / (v_j * -norm)... standard LINPACK form
            for (int i = j; i < m; i++) a[i][j] /= -norm;
            a[j][j] += 1;
            for (int c = j + 1; c < p; c++) {
                double s = 0;
                for (int i = j; i < m; i++) s += a[i][j] * a[i][c];
                s = -s / a[j][j];
                for (int i = j; i < m; i++) a[i][c] += s * a[i][j];
            }
            double s = 0;
            for (int i = j; i < m; i++) s += a[i][j] * y[i];
            s = -s / a[j][j];
            for (int i = j; i < m; i++) y[i] += s * a[i][j];
            rdiag[j] = norm;
        }
        // back substitution R x = Q^T y, with R's diagonal in rdiag and its upper part in a
        double[] x = new double[p];
        for (int j = p - 1; j >= 0; j--) {
            double s = y[j];
            for (int c = j + 1; c < p; c++) s -= a[j][c] * x[c];
            x[j] = s / rdiag[j];
        }
        return x;
    }
}
