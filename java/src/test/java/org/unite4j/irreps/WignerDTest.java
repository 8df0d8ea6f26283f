package org.unite4j.irreps;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class WignerDTest {

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) for (int j = 0; j < m; j++) c[i][j] += a[i][p] * b[p][j];
        return c;
    }

    static double maxDiff(double[][] a, double[][] b) {
        double e = 0;
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) e = Math.max(e, Math.abs(a[i][j] - b[i][j]));
        return e;
    }

    static double[][] eye(int n) {
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) c[i][i] = 1;
        return c;
    }

    static double[][] t(double[][] a) {
        double[][] c = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[j][i] = a[i][j];
        return c;
    }

    @Test
    void identityOrthogonalityAndHomomorphismUpToL8() {
        Random rng = new Random(42);
        for (int l = 0; l <= 8; l++) {
            assertTrue(maxDiff(eye(2 * l + 1), WignerD.matrix(l, Rotations.identity())) < 1e-13, "D(I) l=" + l);
            for (int t = 0; t < 3; t++) {
                double[][] r1 = Rotations.random(rng), r2 = Rotations.random(rng);
                double[][] d1 = WignerD.matrix(l, r1), d2 = WignerD.matrix(l, r2);
                assertTrue(maxDiff(eye(2 * l + 1), mul(t(d1), d1)) < 1e-12, "D^T D l=" + l);
                double[][] d12 = WignerD.matrix(l, Rotations.multiply(r1, r2));
                assertTrue(maxDiff(d12, mul(d1, d2)) < 1e-12, "D(R1 R2) = D(R1) D(R2), l=" + l);
                double[][] dinv = WignerD.matrix(l, Rotations.transpose(r1));
                assertTrue(maxDiff(dinv, t(d1)) < 1e-12, "D(R^-1) = D(R)^T, l=" + l);
            }
        }
    }

    @Test
    void rotatesSphericalHarmonicsUpToL8AndL12() {
        Random rng = new Random(7);
        for (int l : new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 12}) {
            for (int t = 0; t < 3; t++) {
                double[][] r = Rotations.random(rng);
                double[][] d = WignerD.matrix(l, r);
                double[] v = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
                double[] rv = Rotations.apply(r, v);
                double[] y = SphericalHarmonics.real(l, v[0], v[1], v[2]);
                double[] yr = SphericalHarmonics.real(l, rv[0], rv[1], rv[2]);
                for (int a = 0; a < y.length; a++) {
                    double s = 0;
                    for (int b = 0; b < y.length; b++) s += d[a][b] * y[b];
                    assertEquals(yr[a], s, 1e-12, "Y(Rr) = D Y(r), l=" + l + " m=" + (a - l));
                }
            }
        }
    }

    @Test
    void l1IsTheRotationMatrixInYZXOrder() {
        double[][] r = Rotations.random(new Random(5));
        double[][] d = WignerD.matrix(1, r);
        int[] p = {1, 2, 0}; // (y, z, x)
        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) assertEquals(r[p[a]][p[b]], d[a][b], 1e-14);
    }

    @Test
    void rotationAboutZActsByMOnComponents() {
        double ang = 0.7;
        double[][] d = WignerD.matrix(3, Rotations.axisAngle(0, 0, 1, ang));
        for (int m = 1; m <= 3; m++) {
            // (Y_m, Y_-m) ~ (cos m f, sin m f): rotating r by +ang is f -> f + ang, so
            // Y_m(Rr) = cos(m ang) Y_m - sin(m ang) Y_-m
            assertEquals(Math.cos(m * ang), d[3 + m][3 + m], 1e-14);
            assertEquals(-Math.sin(m * ang), d[3 + m][3 - m], 1e-14);
            assertEquals(Math.sin(m * ang), d[3 - m][3 + m], 1e-14);
        }
    }

    @Test
    void o3ParityAndInversion() {
        Random rng = new Random(9);
        double[][] minusI = Rotations.scale(-1, Rotations.identity());
        for (int l = 0; l <= 8; l++)
            for (int p : new int[]{1, -1}) {
                Irrep ir = new Irrep(l, p);
                assertTrue(maxDiff(scaled(p, eye(2 * l + 1)),
                        WignerD.matrix(ir, minusI)) < 1e-13, "D_" + ir + "(-I) = parity * I");
                // improper Q = -R: homomorphism across O(3) and Y of the vector transforms as (l, (-1)^l)
                double[][] r = Rotations.random(rng), q = Rotations.scale(-1, r);
                double[][] r2 = Rotations.random(rng);
                double[][] dq = WignerD.matrix(ir, q);
                assertTrue(maxDiff(mul(dq, WignerD.matrix(ir, r2)), WignerD.matrix(ir, Rotations.multiply(q, r2))) < 1e-12);
                assertTrue(maxDiff(mul(dq, dq), WignerD.matrix(ir, Rotations.multiply(q, q))) < 1e-12);
            }
        for (int l = 0; l <= 8; l++) {
            double[][] q = Rotations.scale(-1, Rotations.random(rng));
            double[][] d = WignerD.matrix(Irrep.spherical(l), q);
            double[] v = {0.3, -1.1, 0.4};
            double[] y = SphericalHarmonics.real(l, v[0], v[1], v[2]);
            double[] qv = Rotations.apply(q, v);
            double[] yq = SphericalHarmonics.real(l, qv[0], qv[1], qv[2]);
            for (int a = 0; a < y.length; a++) {
                double s = 0;
                for (int b = 0; b < y.length; b++) s += d[a][b] * y[b];
                assertEquals(yq[a], s, 1e-12, "Y(Qr) = D_{l,(-1)^l}(Q) Y(r) for det Q = -1");
            }
        }
    }

    private static double[][] scaled(double s, double[][] a) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = s * a[i][j];
        return c;
    }

    @Test
    void rotateIrMulMatchesPerBlockD() {
        Irreps irreps = Irreps.parse("3x0e+2x1o+2x2e+1x1e");
        Random rng = new Random(1);
        double[] x = new double[irreps.dim()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        double[][] q = Rotations.scale(-1, Rotations.random(rng));
        double[] out = new double[x.length];
        WignerD.rotateIrMul(irreps, q, x, out);
        // block 1 (2x1o) channel 1: out = -D^1(-Q) x
        double[][] d = WignerD.matrix(1, Rotations.scale(-1, q));
        int off = irreps.offset(1);
        for (int a = 0; a < 3; a++) {
            double s = 0;
            for (int b = 0; b < 3; b++) s += d[a][b] * x[off + b * 2 + 1];
            assertEquals(-s, out[off + a * 2 + 1], 1e-14);
        }
        // scalars even: unchanged; norms preserved
        for (int c = 0; c < 3; c++) assertEquals(x[c], out[c], 1e-15);
        double n0 = 0, n1 = 0;
        for (int i = 0; i < x.length; i++) {
            n0 += x[i] * x[i];
            n1 += out[i] * out[i];
        }
        assertEquals(n0, n1, 1e-12);
    }

    @Test
    void rejectsNonRotations() {
        double[][] bad = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1.1}};
        assertThrows(IllegalArgumentException.class, () -> WignerD.matrix(2, bad));
        assertThrows(IllegalArgumentException.class, () -> WignerD.matrix(2, Rotations.scale(-1, Rotations.identity())));
        assertThrows(IllegalArgumentException.class, () -> WignerD.matrix(-1, Rotations.identity()));
        assertThrows(IllegalArgumentException.class, () -> WignerD.matrix(1, new double[2][3]));
    }
}
