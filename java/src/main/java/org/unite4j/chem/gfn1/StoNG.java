package org.unite4j.chem.gfn1;

import java.util.HashMap;
import java.util.Map;

/**
 * Least-squares expansions of Slater-type orbitals in Gaussians (STO-nG): R. F. Stewart, J. Chem.
 * Phys. 52, 431 (1970), Tables I-V, for exponent zeta = 1 (the exponents scale with zeta^2). Only
 * the expansions GFN1-xTB uses: 1s with 4 Gaussians, hydrogen's 2s with 3, s and p of shells 2 to 6
 * with 6, d of shells 3 to 5 with 4. For 4s and 4p, the older six-Gaussian fit that xtb keeps (one
 * set of exponents for both, seven digits; GFN1-xTB was parametrized with it) replaces Stewart's.
 */
final class StoNG {
    private StoNG() {
    }

    private record Row(String shell, int ng, double[] alpha, double[] coeff) {
    }

    private static final Map<String, Row> TABLE = new HashMap<>();

    private static Row row(String shell, int ng, double[] alpha, double[] coeff) {
        return new Row(shell, ng, alpha, coeff);
    }

    static {
        for (Row r : new Row[]{
            row("2s", 3, new double[]{2.581578398e+0, 1.567622104e-1, 6.018332272e-2},
                    new double[]{-5.994474934e-2, 5.960385398e-1, 4.581786291e-1}),
            row("1s", 4, new double[]{5.216844534e+0, 9.546182760e-1, 2.652034102e-1, 8.801862774e-2},
                    new double[]{5.675242080e-2, 2.601413550e-1, 5.328461143e-1, 2.916254405e-1}),
            row("3d", 4, new double[]{9.185846715e-1, 2.920461109e-1, 1.187568890e-1, 5.286755896e-2},
                    new double[]{5.799057705e-2, 3.045581349e-1, 5.601358038e-1, 2.432423313e-1}),
            row("4d", 4, new double[]{1.995825422e+0, 1.823461280e-1, 8.197240896e-2, 4.000634951e-2},
                    new double[]{-2.816702620e-3, 2.177095871e-1, 6.058047348e-1, 2.717811257e-1}),
            row("5d", 4, new double[]{4.230617826e-1, 8.293863702e-2, 4.590326388e-2, 2.628744797e-2},
                    new double[]{-2.421626009e-2, 3.937644956e-1, 5.489520286e-1, 1.190436963e-1}),
            row("2s", 6, new double[]{2.768496241e+1, 5.077140627e+0, 1.426786050e+0, 2.040335729e-1, 9.260298399e-2, 4.416183978e-2},
                    new double[]{-4.151277819e-3, -2.067024148e-2, -5.150303337e-2, 3.346271174e-1, 5.621061301e-1, 1.712994697e-1}),
            row("3s", 6, new double[]{3.273031938e+0, 9.200611311e-1, 3.593349765e-1, 8.636686991e-2, 4.797373812e-2, 2.724741144e-2},
                    new double[]{-6.775596947e-3, -5.639325779e-2, -1.587856086e-1, 5.534527651e-1, 5.015351020e-1, 7.223633674e-2}),
            row("4s", 6, new double[]{1.365346e+00, 4.393213e-01, 1.877069e-01, 9.360270e-02, 5.052263e-02, 2.809354e-02},
                    new double[]{3.775056e-03, -5.585965e-02, -3.192946e-01, -2.764780e-02, 9.049199e-01, 3.406258e-01}),
            row("5s", 6, new double[]{1.410128298e+0, 5.077878915e-1, 1.847926858e-1, 1.061070594e-1, 3.669584901e-2, 2.213558430e-2},
                    new double[]{2.695439582e-3, 1.850157487e-2, -9.588628125e-2, -5.200673560e-1, 1.087619490e+0, 3.103964343e-1}),
            row("2p", 6, new double[]{5.868285913e+0, 1.530329631e+0, 5.475665231e-1, 2.288932733e-1, 1.046655969e-1, 4.948220127e-2},
                    new double[]{7.924233646e-3, 5.144104825e-2, 1.898400060e-1, 4.049863191e-1, 4.012362861e-1, 1.051855189e-1}),
            row("3p", 6, new double[]{5.077973607e+0, 1.340786940e+0, 2.248434849e-1, 1.131741848e-1, 6.076408893e-2, 3.315424265e-2},
                    new double[]{-3.329929840e-3, -1.419488340e-2, 1.639395770e-1, 4.485358256e-1, 3.908813050e-1, 7.411456232e-2}),
            row("4p", 6, new double[]{1.365346e+00, 4.393213e-01, 1.877069e-01, 9.360270e-02, 5.052263e-02, 2.809354e-02},
                    new double[]{-7.052075e-03, -5.259505e-02, -3.773450e-02, 3.874773e-01, 5.791672e-01, 1.221817e-01}),
            row("5p", 6, new double[]{3.778623374e+0, 3.499121109e-1, 1.683175469e-1, 5.404070736e-2, 3.328911801e-2, 2.063815019e-2},
                    new double[]{1.163246387e-4, -2.920771322e-2, -1.381051233e-1, 5.706134877e-1, 4.768808140e-1, 6.021665516e-2}),
            row("6s", 6, new double[]{5.800292686e-1, 2.718262251e-1, 7.938523262e-2, 4.975088254e-2, 2.983643556e-2, 1.886067216e-2},
                    new double[]{4.554359511e-3, 5.286443143e-2, -7.561016358e-1, -2.269803820e-1, 1.332494651e+0, 3.622518293e-1}),
            row("6p", 6, new double[]{6.696537714e-1, 1.395089793e-1, 8.163894960e-2, 4.586329272e-2, 2.961305556e-2, 1.882221321e-2},
                    new double[]{2.782723680e-3, -1.282887780e-1, -2.266255943e-1, 4.682259383e-1, 6.752048848e-1, 1.091534212e-1}),
        }) TABLE.put(r.shell() + r.ng(), r);
    }

    /** Double factorials (2l-1)!! for l = 0, 1, 2. */
    private static final double[] DOUBLE_FACTORIAL = {1, 1, 3};

    /**
     * The contracted Gaussian shell of the Slater function with principal number n, angular momentum
     * l and exponent zeta, with ng primitives; the coefficients include the normalization of each
     * primitive r^l-type Gaussian (2a/pi)^(3/4) (4a)^(l/2) / sqrt((2l-1)!!).
     */
    static Cgto slater(int n, int l, double zeta, int ng) {
        Row r = TABLE.get(n + "spd".substring(l, l + 1) + ng);
        if (r == null) throw new IllegalArgumentException("no STO-" + ng + "G expansion for a " + n + "spd".charAt(l) + " shell");
        double[] a = new double[ng], c = new double[ng];
        for (int i = 0; i < ng; i++) {
            a[i] = r.alpha()[i] * zeta * zeta;
            c[i] = r.coeff()[i] * Math.pow(2 * a[i] / Math.PI, 0.75) * Math.pow(4 * a[i], 0.5 * l) / Math.sqrt(DOUBLE_FACTORIAL[l]);
        }
        return new Cgto(l, a, c);
    }

    /** A contracted Cartesian-Gaussian shell: sum_i coeff[i] r^l-type primitives of exponent alpha[i]. */
    record Cgto(int l, double[] alpha, double[] coeff) {
        int size() { return alpha.length; }

        /** Overlap of two s-type contractions on the same centre. */
        static double sameCentreS(Cgto a, Cgto b) {
            double s = 0;
            for (int i = 0; i < a.size(); i++)
                for (int j = 0; j < b.size(); j++)
                    s += a.coeff[i] * b.coeff[j] * Math.pow(Math.PI / (a.alpha[i] + b.alpha[j]), 1.5);
            return s;
        }

        /**
         * Gram-Schmidt of this s shell against an s shell {@code core} of the same atom, then
         * normalized: (this - <core|this> core) / norm, as one longer contraction.
         */
        Cgto orthogonalizedAgainst(Cgto core) {
            if (l != 0 || core.l != 0) throw new IllegalArgumentException("only s shells are orthogonalized");
            double s = sameCentreS(core, this);
            double[] a = new double[size() + core.size()], c = new double[a.length];
            for (int i = 0; i < size(); i++) { a[i] = alpha[i]; c[i] = coeff[i]; }
            for (int i = 0; i < core.size(); i++) { a[size() + i] = core.alpha[i]; c[size() + i] = -s * core.coeff[i]; }
            Cgto t = new Cgto(0, a, c);
            double norm = Math.sqrt(sameCentreS(t, t));
            for (int i = 0; i < c.length; i++) c[i] /= norm;
            return t;
        }
    }
}
