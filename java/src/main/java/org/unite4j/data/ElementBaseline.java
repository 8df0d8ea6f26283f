package org.unite4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

/**
 * Linear fit of a size-extensive property on element counts, y ~ sum_Z n_Z(mol) b_Z, by
 * least squares: minimise sum_i (y_i - sum_Z n_iZ b_Z)^2 + lambda |b|^2, solved from the normal
 * equations (N^T N + lambda I) b = N^T y by Cholesky decomposition. Serves as the per-element
 * shift of an energy readout and as the simplest baseline to beat (issue: "a linear fit on
 * element counts").
 */
public final class ElementBaseline {
    private final int[] elements;
    private final double[] coefficients;

    private ElementBaseline(int[] elements, double[] coefficients) {
        this.elements = elements;
        this.coefficients = coefficients;
    }

    /**
     * Fits without ridge; where the counts are collinear (a single composition, as in rMD17) falls
     * back to a tiny ridge (1e-9 times the mean diagonal of N^T N).
     */
    public static ElementBaseline fit(List<Molecule> molecules, double[] y) {
        return fit(molecules, y, -1);
    }

    /** Fits with ridge {@code lambda} (negative: the default above). */
    public static ElementBaseline fit(List<Molecule> molecules, double[] y, double lambda) {
        if (molecules.size() != y.length)
            throw new IllegalArgumentException(molecules.size() + " molecules but " + y.length + " targets");
        if (molecules.isEmpty()) throw new IllegalArgumentException("cannot fit an element baseline on no molecules");
        int[] zs = molecules.stream().flatMapToInt(m -> Arrays.stream(m.atomicNumbers())).distinct().sorted().toArray();
        int k = zs.length;
        int[] slot = new int[Elements.MAX_Z + 1];
        Arrays.fill(slot, -1);
        for (int j = 0; j < k; j++) slot[zs[j]] = j;
        double[][] a = new double[k][k];
        double[] b = new double[k];
        double[] n = new double[k];
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) throw new IllegalArgumentException("target " + i + " is " + y[i]);
            Arrays.fill(n, 0);
            for (int z : molecules.get(i).atomicNumbers()) n[slot[z]]++;
            for (int p = 0; p < k; p++) {
                if (n[p] == 0) continue;
                b[p] += n[p] * y[i];
                for (int q = 0; q < k; q++) a[p][q] += n[p] * n[q];
            }
        }
        double diag = 0;
        for (int p = 0; p < k; p++) diag += a[p][p];
        if (lambda < 0) {
            try {
                return new ElementBaseline(zs, cholSolve(a, b));
            } catch (IllegalArgumentException singular) {
                // e.g. one molecule's conformers (rMD17): counts are collinear; a tiny ridge picks
                // the near-minimum-norm solution, whose predictions are still exact on that composition
                lambda = 1e-9 * diag / k;
            }
        }
        for (int p = 0; p < k; p++) a[p][p] += lambda;
        return new ElementBaseline(zs, cholSolve(a, b));
    }

    /** Solves the symmetric positive definite system a x = b. */
    static double[] cholSolve(double[][] a, double[] b) {
        int k = b.length;
        double[][] l = new double[k][k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int m = 0; m < j; m++) s -= l[i][m] * l[j][m];
                if (i == j) {
                    if (!(s > 1e-12 * a[i][i])) throw new IllegalArgumentException("element-count system is singular (element "
                            + (i + 1) + " of " + k + "); add more varied molecules or a ridge");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        double[] x = new double[k];
        for (int i = 0; i < k; i++) {
            double s = b[i];
            for (int m = 0; m < i; m++) s -= l[i][m] * x[m];
            x[i] = s / l[i][i];
        }
        for (int i = k - 1; i >= 0; i--) {
            double s = x[i];
            for (int m = i + 1; m < k; m++) s -= l[m][i] * x[m];
            x[i] = s / l[i][i];
        }
        return x;
    }

    /** The per-element coefficients b_Z by atomic number. */
    public Map<Integer, Double> coefficients() {
        Map<Integer, Double> m = new TreeMap<>();
        for (int j = 0; j < elements.length; j++) m.put(elements[j], coefficients[j]);
        return m;
    }

    /** sum_A b_{Z_A}; an element not seen in the fit is an error naming it. */
    public double predict(Molecule m) {
        double s = 0;
        for (int z : m.atomicNumbers()) {
            int j = Arrays.binarySearch(elements, z);
            if (j < 0) throw new IllegalArgumentException(m + ": element " + Elements.symbol(z) + " was not in the baseline fit");
            s += coefficients[j];
        }
        return s;
    }

    public double[] predict(List<Molecule> ms) {
        return ms.stream().mapToDouble(this::predict).toArray();
    }
}
