package org.unite4j.chem.gfn1;

/**
 * Overlap integrals of contracted Gaussian shells (l <= 2) on two centres, in the project's real
 * solid harmonics: p = (y, z, x); d = (sqrt3 xy, sqrt3 yz, (3z^2 - r^2)/2, sqrt3 xz,
 * sqrt3/2 (x^2 - y^2)), all normalized with the r^l-type normalization of {@link StoNG}.
 * Cartesian integrals by the Obara-Saika recurrence of the one-dimensional overlaps.
 */
final class Overlap {
    private Overlap() {
    }

    /** Cartesian exponents per l: l = 1 as (x, y, z); l = 2 as (xx, yy, zz, xy, xz, yz). */
    static final int[][][] CART = {
            {{0, 0, 0}},
            {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}},
            {{2, 0, 0}, {0, 2, 0}, {0, 0, 2}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}},
    };
    private static final double R3 = Math.sqrt(3.0);
    /** TRAFO[l][m][c]: spherical function m (ours, m = -l..l) in Cartesian components c. */
    static final double[][][] TRAFO = {
            {{1}},
            {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}},
            {{0, 0, 0, R3, 0, 0}, {0, 0, 0, 0, 0, R3}, {-0.5, -0.5, 1, 0, 0, 0}, {0, 0, 0, 0, R3, 0},
                    {R3 / 2, -R3 / 2, 0, 0, 0, 0}},
    };

    /** One primitive pair's contribution: its exponent on centre a, its prefactor and 1D overlap tables. */
    private interface PrimitivePair {
        void accept(double alphaA, double prefactor, double[][] oneDim);
    }

    /**
     * Calls {@code f} for every pair of primitives of a (at ra) and b (at rb) with the prefactor
     * c_i c_j exp(-mu R^2) (pi/p)^(3/2) and the 1D overlaps of x, y, z up to la + extraA and lb
     * (row length lb + 1); the tables are reused between calls.
     */
    private static void forEachPrimitivePair(StoNG.Cgto a, double[] ra, StoNG.Cgto b, double[] rb, int extraA, PrimitivePair f) {
        int la = a.l() + extraA, lb = b.l();
        double[][] s1 = {new double[(la + 1) * (lb + 1)], new double[(la + 1) * (lb + 1)], new double[(la + 1) * (lb + 1)]};
        double dx = ra[0] - rb[0], dy = ra[1] - rb[1], dz = ra[2] - rb[2];
        double r2 = dx * dx + dy * dy + dz * dz;
        for (int i = 0; i < a.size(); i++) {
            double ai = a.alpha()[i];
            for (int j = 0; j < b.size(); j++) {
                double bj = b.alpha()[j];
                double p = ai + bj, mu = ai * bj / p;
                double pre = a.coeff()[i] * b.coeff()[j] * Math.exp(-mu * r2) * Math.pow(Math.PI / p, 1.5);
                if (pre == 0) continue;
                for (int k = 0; k < 3; k++) {
                    double pk = (ai * ra[k] + bj * rb[k]) / p;
                    oneDimensional(pk - ra[k], pk - rb[k], p, la, lb, s1[k]);
                }
                f.accept(ai, pre, s1);
            }
        }
    }

    /**
     * S[i][j] = <a_i | b_j> of shell a at centre ra and shell b at rb (bohr), row-major
     * (2la+1) x (2lb+1) into out.
     */
    static void block(StoNG.Cgto a, double[] ra, StoNG.Cgto b, double[] rb, double[] out) {
        int la = a.l(), lb = b.l(), w = lb + 1;
        int ca = CART[la].length, cb = CART[lb].length;
        double[] cart = new double[ca * cb];
        forEachPrimitivePair(a, ra, b, rb, 0, (ai, pre, s1) -> {
            for (int u = 0; u < ca; u++) {
                int[] ea = CART[la][u];
                for (int v = 0; v < cb; v++) {
                    int[] eb = CART[lb][v];
                    cart[u * cb + v] += pre * s1[0][ea[0] * w + eb[0]] * s1[1][ea[1] * w + eb[1]] * s1[2][ea[2] * w + eb[2]];
                }
            }
        });
        toSpherical(cart, la, lb, out);
    }

    /** One-dimensional overlaps s[i][j] (i <= la, j <= lb) divided by the Gaussian prefactor. */
    static void oneDimensional(double xpa, double xpb, double p, int la, int lb, double[] s) {
        int w = lb + 1;
        double h = 0.5 / p;
        s[0] = 1;
        for (int i = 0; i <= la; i++) {
            if (i > 0) {
                double v = xpa * s[(i - 1) * w];
                if (i > 1) v += (i - 1) * h * s[(i - 2) * w];
                s[i * w] = v;
            }
            for (int j = 1; j <= lb; j++) {
                double v = xpb * s[i * w + j - 1];
                if (j > 1) v += (j - 1) * h * s[i * w + j - 2];
                if (i > 0) v += i * h * s[(i - 1) * w + j - 1];
                s[i * w + j] = v;
            }
        }
    }

    /** out = T_la cart T_lb^T. */
    static void toSpherical(double[] cart, int la, int lb, double[] out) {
        int ca = CART[la].length, cb = CART[lb].length, na = 2 * la + 1, nb = 2 * lb + 1;
        for (int m = 0; m < na; m++)
            for (int n = 0; n < nb; n++) {
                double s = 0;
                for (int u = 0; u < ca; u++) {
                    double tu = TRAFO[la][m][u];
                    if (tu == 0) continue;
                    for (int v = 0; v < cb; v++) {
                        double tv = TRAFO[lb][n][v];
                        if (tv != 0) s += tu * cart[u * cb + v] * tv;
                    }
                }
                out[m * nb + n] = s;
            }
    }

    /**
     * d S[i][j] / d ra (the derivative with respect to the centre of shell a; that with respect to
     * rb is its negative), row-major (2la+1) x (2lb+1) per Cartesian direction into out[0..2]:
     * d/dA_x of x_A^i exp(-alpha x_A^2) is 2 alpha x_A^(i+1) - i x_A^(i-1), so the one-dimensional
     * overlaps are needed up to la + 1.
     */
    static void gradientBlock(StoNG.Cgto a, double[] ra, StoNG.Cgto b, double[] rb, double[][] out) {
        int la = a.l(), lb = b.l(), w = lb + 1;
        int ca = CART[la].length, cb = CART[lb].length;
        double[][] cart = new double[3][ca * cb];
        double[] val = new double[3], der = new double[3];
        forEachPrimitivePair(a, ra, b, rb, 1, (ai, pre, s1) -> {
            for (int u = 0; u < ca; u++) {
                int[] ea = CART[la][u];
                for (int v = 0; v < cb; v++) {
                    int[] eb = CART[lb][v];
                    for (int k = 0; k < 3; k++) {
                        double[] t = s1[k];
                        int ia = ea[k], ib = eb[k];
                        val[k] = t[ia * w + ib];
                        double d = 2 * ai * t[(ia + 1) * w + ib];
                        if (ia > 0) d -= ia * t[(ia - 1) * w + ib];
                        der[k] = d;
                    }
                    cart[0][u * cb + v] += pre * der[0] * val[1] * val[2];
                    cart[1][u * cb + v] += pre * val[0] * der[1] * val[2];
                    cart[2][u * cb + v] += pre * val[0] * val[1] * der[2];
                }
            }
        });
        for (int k = 0; k < 3; k++) toSpherical(cart[k], la, lb, out[k]);
    }
}
