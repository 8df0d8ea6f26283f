package org.unite4j.irreps;

/**
 * Real spherical harmonics, orthonormal on the unit sphere, in the project's convention
 * (DESIGN.md section 3): for the direction {@code r/|r|} = (sin t cos f, sin t sin f, cos t),
 * <pre>
 *   Y_l^0      = N_l0 P_l(cos t)
 *   Y_l^m      = sqrt(2) N_lm P_l^m(cos t) cos(m f)      (m &gt; 0)
 *   Y_l^{-m}   = sqrt(2) N_lm P_l^m(cos t) sin(m f)      (m &gt; 0)
 *   N_lm       = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!)
 * </pre>
 * with P_l^m the associated Legendre function WITHOUT the Condon-Shortley phase, stored at
 * index m + l. So l = 1 is sqrt(3/(4 pi)) (y, z, x) and l = 2 is proportional to
 * (xy, yz, 3z^2-r^2, xz, x^2-y^2) with positive constants.
 *
 * <p>Computed for any l by the stable recurrence of the fully normalized associated Legendre
 * functions divided by sin^m t (no factorials):
 * Q_m^m = sqrt((2m+1)/(2m)) Q_{m-1}^{m-1}, Q_{m+1}^m = sqrt(2m+3) z Q_m^m,
 * Q_l^m = a_lm (z Q_{l-1}^m - Q_{l-2}^m / a_{l-1,m}), a_lm = sqrt((4l^2-1)/(l^2-m^2)),
 * times sin^m t cos(m f) = Re (x + i y)^m and sin^m t sin(m f) = Im (x + i y)^m.
 */
public final class SphericalHarmonics {
    private SphericalHarmonics() {}

    private static final double SQRT2 = Math.sqrt(2.0);

    /** Y_l(r/|r|) as double[2l+1], m = -l..l at index m + l. */
    public static double[] real(int l, double x, double y, double z) {
        if (l < 0) throw new IllegalArgumentException("spherical harmonic degree l must be >= 0, got " + l);
        double[] all = new double[(l + 1) * (l + 1)];
        realAll(l, x, y, z, all, 0);
        double[] out = new double[2 * l + 1];
        System.arraycopy(all, l * l, out, 0, 2 * l + 1);
        return out;
    }

    /** Y_0 .. Y_lmax as a jagged array: result[l][m + l]. */
    public static double[][] realUpTo(int lmax, double x, double y, double z) {
        if (lmax < 0) throw new IllegalArgumentException("spherical harmonic degree lmax must be >= 0, got " + lmax);
        double[] all = new double[(lmax + 1) * (lmax + 1)];
        realAll(lmax, x, y, z, all, 0);
        double[][] out = new double[lmax + 1][];
        for (int l = 0; l <= lmax; l++) {
            out[l] = new double[2 * l + 1];
            System.arraycopy(all, l * l, out[l], 0, 2 * l + 1);
        }
        return out;
    }

    /**
     * Writes Y_0 .. Y_lmax of the direction of (x, y, z), flat: {@code out[off + l*l + m + l]}
     * ((lmax+1)^2 values).
     *
     * @throws IllegalArgumentException for a non-finite vector, or the zero vector when lmax &gt; 0
     */
    public static void realAll(int lmax, double x, double y, double z, double[] out, int off) {
        if (lmax < 0) throw new IllegalArgumentException("spherical harmonic degree lmax must be >= 0, got " + lmax);
        if (!(Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z)))
            throw new IllegalArgumentException("spherical harmonics of a non-finite vector (" + x + ", " + y + ", " + z + ")");
        int n = (lmax + 1) * (lmax + 1);
        if (off < 0 || off + n > out.length)
            throw new IllegalArgumentException("output array too short: need " + n + " values at offset " + off);
        double scale = Math.max(Math.abs(x), Math.max(Math.abs(y), Math.abs(z)));
        if (scale == 0) {
            if (lmax > 0)
                throw new IllegalArgumentException("spherical harmonics of the zero vector are undefined for l > 0");
            out[off] = 0.5 / Math.sqrt(Math.PI);
            return;
        }
        x /= scale;
        y /= scale;
        z /= scale;
        double r = Math.sqrt(x * x + y * y + z * z);
        x /= r;
        y /= r;
        z /= r;
        // Q[l][m] stored in a rolling way per m: iterate m outer, l inner.
        double qmm = 0.5 / Math.sqrt(Math.PI); // Q_0^0 = 1/sqrt(4 pi)
        double cm = 1, sm = 0;                 // Re, Im of (x + i y)^m
        for (int m = 0; m <= lmax; m++) {
            if (m > 0) {
                qmm *= Math.sqrt((2.0 * m + 1) / (2.0 * m));
                double c = cm * x - sm * y;
                sm = sm * x + cm * y;
                cm = c;
            }
            double cfac = m == 0 ? 1.0 : SQRT2 * cm;
            double sfac = SQRT2 * sm;
            double qPrev2 = 0, qPrev = qmm;
            for (int l = m; l <= lmax; l++) {
                double q;
                if (l == m) q = qmm;
                else if (l == m + 1) q = Math.sqrt(2.0 * m + 3) * z * qmm;
                else {
                    double a = Math.sqrt((4.0 * l * l - 1) / ((double) l * l - (double) m * m));
                    double lm1 = l - 1;
                    double b = Math.sqrt((lm1 * lm1 - (double) m * m) / (4.0 * lm1 * lm1 - 1));
                    q = a * (z * qPrev - b * qPrev2);
                }
                if (l > m) {
                    qPrev2 = qPrev;
                    qPrev = q;
                }
                int base = off + l * l + l;
                if (m == 0) out[base] = q;
                else {
                    out[base + m] = q * cfac;
                    out[base - m] = q * sfac;
                }
            }
        }
    }
}
