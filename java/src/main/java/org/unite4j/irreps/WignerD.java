package org.unite4j.irreps;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Wigner D matrices in the real spherical-harmonic basis of {@link SphericalHarmonics}:
 * the unique real orthogonal D^l(R) with {@code Y_l(R r) = D^l(R) Y_l(r)} for all r.
 *
 * <p>Computed exactly (up to rounding) by quadrature over the sphere:
 * <pre>  D^l(R)[a][b] = integral Y_l^a(R r) Y_l^b(r) dOmega = sum_q w_q Y_l^a(R r_q) Y_l^b(r_q)</pre>
 * with Gauss-Legendre nodes in cos(theta) (lmax+1 of them) times 2 lmax + 1 equally spaced
 * phi: the integrand is a polynomial of degree 2 lmax on the sphere, which this rule integrates
 * exactly. Cost O(lmax^4); about a millisecond at l = 12. Being built from Y itself, D can
 * never disagree with the harmonics' sign or order convention.
 *
 * <p>For O(3): {@code D_ir(Q) = parity^[det Q = -1] * D^l(det(Q) Q)}.
 */
public final class WignerD {
    private WignerD() {}

    /** D^l(R) for a proper rotation R (3x3, orthogonal to 1e-6, det +1); double[2l+1][2l+1]. */
    public static double[][] matrix(int l, double[][] r) {
        if (l < 0) throw new IllegalArgumentException("Wigner D degree l must be >= 0, got " + l);
        if (Rotations.checkOrthogonal(r) != 1)
            throw new IllegalArgumentException("matrix has det -1: not a proper rotation (use matrix(Irrep, Q) for O(3))");
        return compute(l, r)[l];
    }

    /** D^0(R) .. D^lmax(R) for a proper rotation R: result[l] is (2l+1)x(2l+1). */
    public static double[][][] matrices(int lmax, double[][] r) {
        if (lmax < 0) throw new IllegalArgumentException("Wigner D degree lmax must be >= 0, got " + lmax);
        if (Rotations.checkOrthogonal(r) != 1)
            throw new IllegalArgumentException("matrix has det -1: not a proper rotation");
        return compute(lmax, r);
    }

    /**
     * D of irrep {@code ir} for any orthogonal Q: {@code D^l(Q)} when det Q = +1 and
     * {@code parity * D^l(-Q)} when det Q = -1.
     */
    public static double[][] matrix(Irrep ir, double[][] q) {
        int det = Rotations.checkOrthogonal(q);
        if (det == 1) return compute(ir.l(), q)[ir.l()];
        double[][] d = compute(ir.l(), Rotations.scale(-1, q))[ir.l()];
        if (ir.parity() == -1)
            for (double[] row : d) for (int j = 0; j < row.length; j++) row[j] = -row[j];
        return d;
    }

    /**
     * The block-diagonal action of orthogonal Q on a feature vector of {@code irreps} in the
     * "ir_mul" layout (block i at {@code irreps.offset(i)}, index {@code offset + m * mul + c}):
     * {@code out[block i][a][c] = sum_b D_{ir_i}(Q)[a][b] x[block i][b][c]}. {@code x} and
     * {@code out} must not alias.
     */
    public static void rotateIrMul(Irreps irreps, double[][] q, double[] x, double[] out) {
        if (x.length != irreps.dim() || out.length != irreps.dim())
            throw new IllegalArgumentException("feature length " + x.length + " / " + out.length + " != irreps dim "
                    + irreps.dim() + " of " + irreps);
        for (int i = 0; i < irreps.size(); i++) {
            Irreps.MulIrrep b = irreps.get(i);
            double[][] d = matrix(b.ir(), q);
            int off = irreps.offset(i), mul = b.mul(), n = b.ir().dim();
            for (int a = 0; a < n; a++)
                for (int c = 0; c < mul; c++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += d[a][k] * x[off + k * mul + c];
                    out[off + a * mul + c] = s;
                }
        }
    }

    // ---------------------------------------------------------------------------------------

    private static double[][][] compute(int lmax, double[][] r) {
        double[][] rule = sphereRule(lmax);
        double[] px = rule[0], py = rule[1], pz = rule[2], pw = rule[3];
        int n = (lmax + 1) * (lmax + 1);
        double[] y = new double[n], yr = new double[n];
        double[][][] d = new double[lmax + 1][][];
        for (int l = 0; l <= lmax; l++) d[l] = new double[2 * l + 1][2 * l + 1];
        for (int q = 0; q < pw.length; q++) {
            double x0 = px[q], y0 = py[q], z0 = pz[q];
            SphericalHarmonics.realAll(lmax, x0, y0, z0, y, 0);
            double rx = r[0][0] * x0 + r[0][1] * y0 + r[0][2] * z0;
            double ry = r[1][0] * x0 + r[1][1] * y0 + r[1][2] * z0;
            double rz = r[2][0] * x0 + r[2][1] * y0 + r[2][2] * z0;
            SphericalHarmonics.realAll(lmax, rx, ry, rz, yr, 0);
            double w = pw[q];
            for (int l = 0; l <= lmax; l++) {
                int o = l * l, dim = 2 * l + 1;
                double[][] dl = d[l];
                for (int a = 0; a < dim; a++) {
                    double wa = w * yr[o + a];
                    double[] row = dl[a];
                    for (int b = 0; b < dim; b++) row[b] += wa * y[o + b];
                }
            }
        }
        return d;
    }

    private static final ConcurrentHashMap<Integer, double[][]> RULES = new ConcurrentHashMap<>();

    /** Points (x, y, z) and weights of a product rule exact for polynomials of degree 2 lmax on S^2. */
    private static double[][] sphereRule(int lmax) {
        return RULES.computeIfAbsent(lmax, WignerD::buildRule);
    }

    private static double[][] buildRule(int lmax) {
        int nt = lmax + 1, nf = 2 * lmax + 1;
        double[][] gl = gaussLegendre(nt);
        int n = nt * nf;
        double[] x = new double[n], y = new double[n], z = new double[n], w = new double[n];
        int k = 0;
        for (int i = 0; i < nt; i++) {
            double ct = gl[0][i], st = Math.sqrt(Math.max(0, 1 - ct * ct));
            for (int j = 0; j < nf; j++) {
                // A generic phase offset keeps no point on a coordinate plane (harmless either way).
                double f = 2 * Math.PI * (j + 0.3) / nf;
                x[k] = st * Math.cos(f);
                y[k] = st * Math.sin(f);
                z[k] = ct;
                w[k] = gl[1][i] * 2 * Math.PI / nf;
                k++;
            }
        }
        return new double[][]{x, y, z, w};
    }

    /** Nodes and weights of n-point Gauss-Legendre quadrature on [-1, 1] (Newton on P_n). */
    static double[][] gaussLegendre(int n) {
        double[] xs = new double[n], ws = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = t;
                if (n == 0) break;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? t : p1, pn1 = n == 1 ? 1 : p0;
                dp = n * (t * pn - pn1) / (t * t - 1);
                double dt = pn / dp;
                t -= dt;
                if (Math.abs(dt) < 1e-16) {
                    // one more evaluation of the derivative at the converged node
                    p0 = 1;
                    p1 = t;
                    for (int k = 2; k <= n; k++) {
                        double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                        p0 = p1;
                        p1 = p2;
                    }
                    pn = n == 1 ? t : p1;
                    pn1 = n == 1 ? 1 : p0;
                    dp = n * (t * pn - pn1) / (t * t - 1);
                    break;
                }
            }
            double wt = 2 / ((1 - t * t) * dp * dp);
            xs[i] = t;
            xs[n - 1 - i] = -t;
            ws[i] = wt;
            ws[n - 1 - i] = wt;
        }
        if (n % 2 == 1) xs[n / 2] = 0; // exact middle node
        return new double[][]{xs, ws};
    }
}
