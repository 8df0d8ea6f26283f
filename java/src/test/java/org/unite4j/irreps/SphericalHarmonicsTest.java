package org.unite4j.irreps;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SphericalHarmonicsTest {

    /** Positive constant k with y = k * f, checked at several random points (same k everywhere). */
    private static void assertPositiveMultiple(int l, java.util.function.Function<double[], double[]> f) {
        Random rng = new Random(11);
        double[] ks = new double[2 * l + 1];
        for (int t = 0; t < 20; t++) {
            double[] r = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
            double n = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
            double[] u = {r[0] / n, r[1] / n, r[2] / n};
            double[] y = SphericalHarmonics.real(l, r[0], r[1], r[2]);
            double[] g = f.apply(u);
            for (int i = 0; i < y.length; i++) {
                double k = y[i] / g[i];
                assertTrue(k > 0, "l=" + l + " component " + i + " has a non-positive constant " + k);
                if (t == 0) ks[i] = k;
                else assertEquals(ks[i], k, 1e-12 * ks[i], "l=" + l + " component " + i);
            }
        }
    }

    @Test
    void l0IsConstant() {
        assertEquals(0.5 / Math.sqrt(Math.PI), SphericalHarmonics.real(0, 0.3, -2, 5)[0], 1e-16);
        assertEquals(0.5 / Math.sqrt(Math.PI), SphericalHarmonics.real(0, 0, 0, 0)[0], 1e-16);
    }

    @Test
    void l1IsYZXTimesAPositiveConstant() {
        assertPositiveMultiple(1, u -> new double[]{u[1], u[2], u[0]});
        double[] y = SphericalHarmonics.real(1, 0, 0, 2);
        assertArrayEquals(new double[]{0, Math.sqrt(3 / (4 * Math.PI)), 0}, y, 1e-15);
    }

    @Test
    void l2IsXyYz3z2XzX2y2TimesPositiveConstants() {
        assertPositiveMultiple(2, u -> new double[]{u[0] * u[1], u[1] * u[2], 3 * u[2] * u[2] - 1, u[0] * u[2],
                u[0] * u[0] - u[1] * u[1]});
    }

    @Test
    void l3SignsFollowPlmCosSinWithoutCondonShortley() {
        // m>0 ~ P_3^m(z) Re(x+iy)^m, m<0 ~ P_3^|m| Im(x+iy)^|m|; P_3^1 ~ (5z^2-1), P_3^2 ~ z, P_3^3 ~ 1
        assertPositiveMultiple(3, u -> {
            double x = u[0], y = u[1], z = u[2];
            return new double[]{3 * x * x * y - y * y * y, 2 * x * y * z, y * (5 * z * z - 1), z * (5 * z * z - 3),
                    x * (5 * z * z - 1), z * (x * x - y * y), x * x * x - 3 * x * y * y};
        });
    }

    @Test
    void orthonormalOnTheSphereUpToL12() {
        // Gauss-Legendre x trapezoid rule exact for degree 2*12 polynomials
        int lmax = 12, nt = 14, nf = 27;
        double[][] gl = WignerD.gaussLegendre(nt);
        int n = (lmax + 1) * (lmax + 1);
        double[][] gram = new double[n][n];
        double[] y = new double[n];
        for (int i = 0; i < nt; i++)
            for (int j = 0; j < nf; j++) {
                double ct = gl[0][i], st = Math.sqrt(1 - ct * ct), f = 2 * Math.PI * j / nf;
                SphericalHarmonics.realAll(lmax, st * Math.cos(f), st * Math.sin(f), ct, y, 0);
                double w = gl[1][i] * 2 * Math.PI / nf;
                for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) gram[a][b] += w * y[a] * y[b];
            }
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) assertEquals(a == b ? 1 : 0, gram[a][b], 1e-12, "gram[" + a + "][" + b + "]");
    }

    @Test
    void inversionGivesMinusOneToTheL() {
        Random rng = new Random(3);
        for (int l = 0; l <= 12; l++) {
            double x = rng.nextGaussian(), y = rng.nextGaussian(), z = rng.nextGaussian();
            double[] a = SphericalHarmonics.real(l, x, y, z), b = SphericalHarmonics.real(l, -x, -y, -z);
            double s = (l % 2 == 0) ? 1 : -1;
            for (int i = 0; i < a.length; i++) assertEquals(s * a[i], b[i], 1e-13);
        }
    }

    @Test
    void scaleInvariantAndNoOverflowAtHighL() {
        double[] a = SphericalHarmonics.real(12, 1e-200, 2e-200, -3e-200);
        double[] b = SphericalHarmonics.real(12, 1e200, 2e200, -3e200);
        double[] c = SphericalHarmonics.real(12, 1, 2, -3);
        assertArrayEquals(c, a, 1e-13);
        assertArrayEquals(c, b, 1e-13);
        for (double v : SphericalHarmonics.real(40, 0.1, 0.2, 0.97)) assertTrue(Double.isFinite(v));
        // additivity theorem: sum_m Y_lm(r)^2 = (2l+1)/(4 pi) for every direction
        for (int l : new int[]{5, 12, 40}) {
            double s = 0;
            for (double v : SphericalHarmonics.real(l, 0.3, -0.5, 0.8)) s += v * v;
            assertEquals((2 * l + 1) / (4 * Math.PI), s, 1e-12 * (2 * l + 1));
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SphericalHarmonics.real(-1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SphericalHarmonics.real(1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> SphericalHarmonics.real(2, Double.NaN, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> SphericalHarmonics.real(2, 1, Double.POSITIVE_INFINITY, 1));
    }
}
