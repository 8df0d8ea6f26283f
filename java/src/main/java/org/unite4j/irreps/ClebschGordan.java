package org.unite4j.irreps;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real Clebsch-Gordan coefficients C^{l3}_{l1 l2} in the basis of {@link SphericalHarmonics},
 * in float64 for any l: the real tensor C[m1][m2][m3] (indices m + l) with
 * <pre>
 *   (D^{l1}(R) (x) D^{l2}(R)) C = C D^{l3}(R)                      (equivariance)
 *   sum_{m1,m2} C[m1][m2][m3] C[m1][m2][m3'] = delta(m3, m3')        (orthonormality)
 * </pre>
 * non-zero only when |l1 - l2| &lt;= l3 &lt;= l1 + l2 (otherwise all zeros).
 *
 * <p>Method: the complex (Condon-Shortley) coefficients &lt;l1 m1 l2 m2 | l3 m3&gt; by the Racah
 * formula in exact rational arithmetic (BigInteger factorials), rounded once to double; then the
 * change of basis y = U Y from complex to our real harmonics (U[m][m] = (-1)^m/sqrt2,
 * U[m][-m] = 1/sqrt2, U[-m][-m] = i/sqrt2, U[-m][m] = -i(-1)^m/sqrt2 for m &gt; 0, U[0][0] = 1):
 * C_real[a][b][c] = sum conj(U1[a][m1]) conj(U2[b][m2]) C[m1][m2][m3] U3[c][m3]. The result is
 * real (l1+l2+l3 even) or purely imaginary (odd; then multiplied by -i). Exact cancellations stay
 * exact zeros. Sign convention: the first non-zero entry in (m3, m1, m2) order is positive. With it,
 * 1 (x) 1 -> 0 is the dot product / sqrt(3) and 1 (x) 1 -> 1 is the cross product / sqrt(2), both in
 * the (y, z, x) order of l = 1.
 *
 * <p>Tables are computed once per (l1, l2, l3) and cached (thread-safe).
 */
public final class ClebschGordan {
    private ClebschGordan() {}

    private record Key(int l1, int l2, int l3) {}

    private record Entry(double[][][] dense, CGTable sparse) {}

    private static final ConcurrentHashMap<Key, Entry> CACHE = new ConcurrentHashMap<>();

    /** Whether |l1 - l2| &lt;= l3 &lt;= l1 + l2 (all l &gt;= 0). */
    public static boolean allowed(int l1, int l2, int l3) {
        return l1 >= 0 && l2 >= 0 && l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2;
    }

    /** A fresh copy of the dense tensor double[2l1+1][2l2+1][2l3+1] (all zeros for a forbidden triple). */
    public static double[][][] dense(int l1, int l2, int l3) {
        double[][][] c = entry(l1, l2, l3).dense;
        double[][][] out = new double[c.length][c[0].length][];
        for (int a = 0; a < c.length; a++) for (int b = 0; b < c[0].length; b++) out[a][b] = c[a][b].clone();
        return out;
    }

    /** The cached sparse table (nnz 0 for a forbidden triple). */
    public static CGTable sparse(int l1, int l2, int l3) {
        return entry(l1, l2, l3).sparse;
    }

    private static Entry entry(int l1, int l2, int l3) {
        if (l1 < 0 || l2 < 0 || l3 < 0)
            throw new IllegalArgumentException("Clebsch-Gordan degrees must be >= 0, got (" + l1 + ", " + l2 + ", " + l3 + ")");
        if (l1 > 1000 || l2 > 1000 || l3 > 1000)
            throw new IllegalArgumentException("Clebsch-Gordan degree too large (max 1000): (" + l1 + ", " + l2 + ", " + l3 + ")");
        return CACHE.computeIfAbsent(new Key(l1, l2, l3), k -> build(k.l1, k.l2, k.l3));
    }

    private static Entry build(int l1, int l2, int l3) {
        int n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
        double[][][] real = new double[n1][n2][n3];
        if (allowed(l1, l2, l3)) {
            // complex CG, [m1+l1][m2+l2] with m3 = m1 + m2
            double[][] cc = new double[n1][n2];
            for (int m1 = -l1; m1 <= l1; m1++)
                for (int m2 = -l2; m2 <= l2; m2++) {
                    int m3 = m1 + m2;
                    if (Math.abs(m3) <= l3) cc[m1 + l1][m2 + l2] = complexCG(l1, m1, l2, m2, l3, m3);
                }
            double[][][] re = new double[n1][n2][n3], im = new double[n1][n2][n3];
            double normRe = 0, normIm = 0;
            int[] pm = new int[2], ph = new int[2];
            for (int a = -l1; a <= l1; a++)
                for (int b = -l2; b <= l2; b++)
                    for (int c = -l3; c <= l3; c++) {
                        // All terms of this entry share the factor (1/sqrt2)^(number of non-zero a, b, c);
                        // phases are powers of i, tracked exactly as integers mod 4.
                        double sr = 0, si = 0;
                        int na = uRow(a, pm, ph);
                        int[] ma = pm.clone(), pa = ph.clone();
                        int nb = uRow(b, pm, ph);
                        int[] mb = pm.clone(), pb = ph.clone();
                        int nc = uRow(c, pm, ph);
                        int[] mc = pm.clone(), pc = ph.clone();
                        for (int i = 0; i < na; i++)
                            for (int j = 0; j < nb; j++)
                                for (int k = 0; k < nc; k++) {
                                    if (ma[i] + mb[j] != mc[k]) continue;
                                    double v = cc[ma[i] + l1][mb[j] + l2];
                                    if (v == 0) continue;
                                    // conj(U1) conj(U2) U3: phases -pa - pb + pc (units of i)
                                    int phase = Math.floorMod(-pa[i] - pb[j] + pc[k], 4);
                                    switch (phase) {
                                        case 0 -> sr += v;
                                        case 1 -> si += v;
                                        case 2 -> sr -= v;
                                        default -> si -= v;
                                    }
                                }
                        int nz = (a != 0 ? 1 : 0) + (b != 0 ? 1 : 0) + (c != 0 ? 1 : 0);
                        double f = nz == 0 ? 1 : nz == 1 ? INV_SQRT2 : nz == 2 ? 0.5 : 0.5 * INV_SQRT2;
                        re[a + l1][b + l2][c + l3] = sr * f;
                        im[a + l1][b + l2][c + l3] = si * f;
                        normRe += sr * f * sr * f;
                        normIm += si * f * si * f;
                    }
            // The real-basis invariant is a complex multiple of a real tensor: take the part that carries it.
            // Multiplying by -i maps im to the real part.
            double[][][] pick = normRe >= normIm ? re : im;
            double other = Math.min(normRe, normIm);
            if (other > 1e-20 || Math.abs(Math.max(normRe, normIm) - n3) > 1e-9 * n3)
                throw new IllegalStateException("internal error: real CG (" + l1 + "," + l2 + "," + l3
                        + ") is not a real multiple of a phase (|Re|^2=" + normRe + ", |Im|^2=" + normIm + ")");
            // sign: first non-zero entry in (m3, m1, m2) order positive
            double sign = 0;
            outer:
            for (int c = 0; c < n3; c++)
                for (int a = 0; a < n1; a++)
                    for (int b = 0; b < n2; b++)
                        if (pick[a][b][c] != 0) {
                            sign = Math.signum(pick[a][b][c]);
                            break outer;
                        }
            for (int a = 0; a < n1; a++)
                for (int b = 0; b < n2; b++)
                    for (int c = 0; c < n3; c++) real[a][b][c] = pick[a][b][c] * sign + 0.0; // +0.0: no -0.0
        }
        List<int[]> idx = new ArrayList<>();
        for (int c = 0; c < n3; c++)
            for (int a = 0; a < n1; a++)
                for (int b = 0; b < n2; b++)
                    if (real[a][b][c] != 0) idx.add(new int[]{a, b, c});
        int nnz = idx.size();
        int[] i1 = new int[nnz], i2 = new int[nnz], i3 = new int[nnz];
        double[] val = new double[nnz];
        for (int j = 0; j < nnz; j++) {
            int[] t = idx.get(j);
            i1[j] = t[0];
            i2[j] = t[1];
            i3[j] = t[2];
            val[j] = real[t[0]][t[1]][t[2]];
        }
        return new Entry(real, new CGTable(l1, l2, l3, i1, i2, i3, val));
    }

    private static final double INV_SQRT2 = 1 / Math.sqrt(2.0);

    /**
     * Row a of U (real index a, complex indices): writes complex m's and phases (powers of i, with
     * the sign folded in: -1 = i^2) into ms/phases; returns the count. Magnitudes (1/sqrt2 for a != 0)
     * are applied by the caller.
     */
    private static int uRow(int a, int[] ms, int[] phases) {
        if (a == 0) {
            ms[0] = 0;
            phases[0] = 0;
            return 1;
        }
        int m = Math.abs(a);
        boolean odd = (m & 1) == 1;
        if (a > 0) {           // y_m = ((-1)^m Y^m + Y^-m)/sqrt2
            ms[0] = m;
            phases[0] = odd ? 2 : 0;
            ms[1] = -m;
            phases[1] = 0;
        } else {               // y_-m = (i Y^-m - i (-1)^m Y^m)/sqrt2
            ms[0] = -m;
            phases[0] = 1;
            ms[1] = m;
            phases[1] = odd ? 1 : 3; // -i(-1)^m: m odd -> +i, m even -> -i = i^3
        }
        return 2;
    }

    // ---- complex Clebsch-Gordan (Racah formula, exact rationals) ---------------------------

    private static final MathContext MC = new MathContext(40);
    private static volatile BigInteger[] facts = {BigInteger.ONE};

    private static BigInteger fact(int n) {
        BigInteger[] f = facts;
        if (n < f.length) return f[n];
        synchronized (ClebschGordan.class) {
            f = facts;
            if (n >= f.length) {
                BigInteger[] g = new BigInteger[Math.max(n + 1, 2 * f.length)];
                System.arraycopy(f, 0, g, 0, f.length);
                for (int i = f.length; i < g.length; i++) g[i] = g[i - 1].multiply(BigInteger.valueOf(i));
                facts = g;
                f = g;
            }
            return f[n];
        }
    }

    /**
     * The standard (Condon-Shortley) Clebsch-Gordan coefficient &lt;j1 m1 j2 m2 | j3 m3&gt; for integer
     * j, correctly rounded to double (computed exactly, then one 40-digit square root).
     */
    public static double complexCG(int j1, int m1, int j2, int m2, int j3, int m3) {
        if (m1 + m2 != m3 || !allowed(j1, j2, j3) || Math.abs(m1) > j1 || Math.abs(m2) > j2 || Math.abs(m3) > j3)
            return 0;
        int kmin = Math.max(0, Math.max(j2 - j3 - m1, j1 - j3 + m2));
        int kmax = Math.min(j1 + j2 - j3, Math.min(j1 - m1, j2 + m2));
        BigInteger num = BigInteger.ZERO, den = BigInteger.ONE;
        for (int k = kmin; k <= kmax; k++) {
            BigInteger d = fact(k).multiply(fact(j1 + j2 - j3 - k)).multiply(fact(j1 - m1 - k))
                    .multiply(fact(j2 + m2 - k)).multiply(fact(j3 - j2 + m1 + k)).multiply(fact(j3 - j1 - m2 + k));
            // num/den + (-1)^k / d
            BigInteger term = (k & 1) == 0 ? den : den.negate();
            num = num.multiply(d).add(term);
            den = den.multiply(d);
            BigInteger g = num.gcd(den);
            if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
                num = num.divide(g);
                den = den.divide(g);
            }
        }
        if (num.signum() == 0) return 0;
        BigInteger top = BigInteger.valueOf(2L * j3 + 1)
                .multiply(fact(j3 + j1 - j2)).multiply(fact(j3 - j1 + j2)).multiply(fact(j1 + j2 - j3))
                .multiply(fact(j3 + m3)).multiply(fact(j3 - m3)).multiply(fact(j1 - m1)).multiply(fact(j1 + m1))
                .multiply(fact(j2 - m2)).multiply(fact(j2 + m2)).multiply(num).multiply(num);
        BigInteger bottom = fact(j1 + j2 + j3 + 1).multiply(den).multiply(den);
        double mag = new BigDecimal(top).divide(new BigDecimal(bottom), MC).sqrt(MC).doubleValue();
        return num.signum() > 0 ? mag : -mag;
    }
}
