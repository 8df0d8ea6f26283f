package org.unite4j.irreps;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class ClebschGordanTest {

    /** max |(D1 (x) D2) C - C D3| over all entries. */
    static double equivarianceError(int l1, int l2, int l3, double[][] q, Irrep i1, Irrep i2, Irrep i3) {
        double[][][] c = ClebschGordan.dense(l1, l2, l3);
        double[][] d1 = i1 == null ? WignerD.matrix(l1, q) : WignerD.matrix(i1, q);
        double[][] d2 = i2 == null ? WignerD.matrix(l2, q) : WignerD.matrix(i2, q);
        double[][] d3 = i3 == null ? WignerD.matrix(l3, q) : WignerD.matrix(i3, q);
        int n1 = 2 * l1 + 1, n2 = 2 * l2 + 1, n3 = 2 * l3 + 1;
        // left[a][b][k] = sum_{m1,m2} d1[a][m1] d2[b][m2] c[m1][m2][k]
        double[][][] tmp = new double[n1][n2][n3];
        for (int a = 0; a < n1; a++)
            for (int m1 = 0; m1 < n1; m1++) {
                double f = d1[a][m1];
                if (f == 0) continue;
                for (int m2 = 0; m2 < n2; m2++) for (int k = 0; k < n3; k++) tmp[a][m2][k] += f * c[m1][m2][k];
            }
        double err = 0;
        for (int a = 0; a < n1; a++)
            for (int b = 0; b < n2; b++)
                for (int k = 0; k < n3; k++) {
                    double left = 0, right = 0;
                    for (int m2 = 0; m2 < n2; m2++) left += d2[b][m2] * tmp[a][m2][k];
                    for (int j = 0; j < n3; j++) right += c[a][b][j] * d3[j][k];
                    err = Math.max(err, Math.abs(left - right));
                }
        return err;
    }

    static double orthonormalityError(int l1, int l2, int l3) {
        double[][][] c = ClebschGordan.dense(l1, l2, l3);
        double err = 0;
        for (int k = 0; k < 2 * l3 + 1; k++)
            for (int j = 0; j < 2 * l3 + 1; j++) {
                double s = 0;
                for (double[][] a : c) for (double[] b : a) s += b[k] * b[j];
                err = Math.max(err, Math.abs(s - (k == j ? 1 : 0)));
            }
        return err;
    }

    @Test
    void equivariantAndOrthonormalForAllL1L2UpTo6() {
        Random rng = new Random(2024);
        for (int l1 = 0; l1 <= 6; l1++)
            for (int l2 = 0; l2 <= 6; l2++)
                for (int l3 = Math.abs(l1 - l2); l3 <= l1 + l2; l3++) {
                    double[][] r = Rotations.random(rng);
                    double e = equivarianceError(l1, l2, l3, r, null, null, null);
                    assertTrue(e < 1e-12, "equivariance (" + l1 + "," + l2 + "," + l3 + "): " + e);
                    double o = orthonormalityError(l1, l2, l3);
                    assertTrue(o < 1e-13, "orthonormality (" + l1 + "," + l2 + "," + l3 + "): " + o);
                    assertTrue(ClebschGordan.sparse(l1, l2, l3).nnz() > 0);
                }
    }

    @Test
    void spotChecksAtL8() {
        Random rng = new Random(88);
        for (int[] t : new int[][]{{8, 8, 8}, {8, 4, 6}, {7, 8, 1}, {8, 8, 16}, {8, 8, 0}}) {
            double e = equivarianceError(t[0], t[1], t[2], Rotations.random(rng), null, null, null);
            assertTrue(e < 1e-12, "equivariance " + java.util.Arrays.toString(t) + ": " + e);
            assertTrue(orthonormalityError(t[0], t[1], t[2]) < 1e-13);
        }
    }

    @Test
    void equivariantUnderO3WithTheParityRule() {
        // with irreps whose parities follow the product rule, improper Q works too
        Random rng = new Random(4);
        for (int[] t : new int[][]{{1, 1, 1}, {1, 1, 0}, {2, 1, 2}, {3, 2, 4}, {2, 2, 3}}) {
            double[][] q = Rotations.scale(-1, Rotations.random(rng));
            for (int p1 : new int[]{1, -1})
                for (int p2 : new int[]{1, -1}) {
                    Irrep a = new Irrep(t[0], p1), b = new Irrep(t[1], p2);
                    Irrep good = new Irrep(t[2], p1 * p2), bad = new Irrep(t[2], -p1 * p2);
                    assertTrue(Irrep.allowed(a, b, good) && !Irrep.allowed(a, b, bad));
                    assertTrue(equivarianceError(t[0], t[1], t[2], q, a, b, good) < 1e-12);
                    // the wrong parity is not equivariant (C is non-zero)
                    assertTrue(equivarianceError(t[0], t[1], t[2], q, a, b, bad) > 1e-3);
                }
        }
    }

    @Test
    void forbiddenTriplesAreZero() {
        for (int l1 = 0; l1 <= 5; l1++)
            for (int l2 = 0; l2 <= 5; l2++)
                for (int l3 = 0; l3 <= 11; l3++) {
                    if (ClebschGordan.allowed(l1, l2, l3)) continue;
                    assertEquals(0, ClebschGordan.sparse(l1, l2, l3).nnz());
                    for (double[][] a : ClebschGordan.dense(l1, l2, l3))
                        for (double[] b : a) for (double v : b) assertEquals(0.0, v);
                }
        assertThrows(IllegalArgumentException.class, () -> ClebschGordan.sparse(-1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ClebschGordan.dense(1, 1, -2));
    }

    @Test
    void oneTimesOneToZeroIsTheDotProduct() {
        double[][][] c = ClebschGordan.dense(1, 1, 0);
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++) assertEquals(a == b ? 1 / Math.sqrt(3) : 0, c[a][b][0], 2e-16);
    }

    @Test
    void oneTimesOneToOneIsTheCrossProductInYZXOrder() {
        double[][][] c = ClebschGordan.dense(1, 1, 1);
        Random rng = new Random(12);
        double[] u = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()}; // (x, y, z)
        double[] v = {rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian()};
        double[] w = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
        int[] p = {1, 2, 0};
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += c[a][b][k] * u[p[a]] * v[p[b]];
            assertEquals(w[p[k]] / Math.sqrt(2), s, 1e-15);
        }
    }

    @Test
    void oneTimesOneToTwoIsTheTracelessSymmetricProduct() {
        // (u (x) u) -> l=2 is proportional to Y_2(u) with a positive constant (Gaunt: C ~ <10 10|20> > 0)
        double[][][] c = ClebschGordan.dense(1, 1, 2);
        double[] u = {0.3, -0.7, 0.5};
        double[] yu = SphericalHarmonics.real(1, u[0], u[1], u[2]);
        double[] y2 = SphericalHarmonics.real(2, u[0], u[1], u[2]);
        double k = Double.NaN;
        for (int m = 0; m < 5; m++) {
            double s = 0;
            for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += c[a][b][m] * yu[a] * yu[b];
            if (Double.isNaN(k)) k = s / y2[m];
            assertEquals(k * y2[m], s, 1e-14);
        }
        assertTrue(k > 0);
    }

    @Test
    void complexCGKnownValues() {
        assertEquals(1 / Math.sqrt(3), ClebschGordan.complexCG(1, 1, 1, -1, 0, 0), 2e-16);
        assertEquals(-1 / Math.sqrt(3), ClebschGordan.complexCG(1, 0, 1, 0, 0, 0), 2e-16);
        assertEquals(Math.sqrt(2.0 / 3), ClebschGordan.complexCG(1, 0, 1, 0, 2, 0), 2e-16);
        assertEquals(1 / Math.sqrt(2), ClebschGordan.complexCG(1, 1, 1, 0, 1, 1), 2e-16);
        assertEquals(-1 / Math.sqrt(2), ClebschGordan.complexCG(1, 0, 1, 1, 1, 1), 2e-16);
        assertEquals(0, ClebschGordan.complexCG(1, 0, 1, 0, 1, 0));
        // tabulated: <2 0 2 0|2 0> = -sqrt(2/7), <2 0 2 0|4 0> = sqrt(18/35)
        assertEquals(-Math.sqrt(2.0 / 7), ClebschGordan.complexCG(2, 0, 2, 0, 2, 0), 2e-16);
        assertEquals(Math.sqrt(2.0 / 35) * 3, ClebschGordan.complexCG(2, 0, 2, 0, 4, 0), 1e-15);
    }

    @Test
    void sparseMatchesDenseSortedAndCached() {
        for (int[] t : new int[][]{{2, 3, 4}, {4, 4, 4}, {3, 1, 3}}) {
            CGTable s = ClebschGordan.sparse(t[0], t[1], t[2]);
            assertSame(s, ClebschGordan.sparse(t[0], t[1], t[2]));
            double[][][] d = ClebschGordan.dense(t[0], t[1], t[2]);
            int count = 0;
            for (double[][] a : d) for (double[] b : a) for (double v : b) if (v != 0) count++;
            assertEquals(count, s.nnz());
            for (int j = 0; j < s.nnz(); j++) {
                assertEquals(d[s.i1[j]][s.i2[j]][s.i3[j]], s.value[j]);
                if (j > 0) {
                    long prev = ((long) s.i3[j - 1] << 40) | ((long) s.i1[j - 1] << 20) | s.i2[j - 1];
                    long cur = ((long) s.i3[j] << 40) | ((long) s.i1[j] << 20) | s.i2[j];
                    assertTrue(cur > prev, "sorted by (i3, i1, i2)");
                }
            }
            assertTrue(s.value[0] > 0, "first entry in (m3, m1, m2) order is positive");
            // dense returns copies
            d[s.i1[0]][s.i2[0]][s.i3[0]] = 99;
            assertEquals(s.value[0], ClebschGordan.dense(t[0], t[1], t[2])[s.i1[0]][s.i2[0]][s.i3[0]]);
        }
    }

    @Test
    void worksAtL12() {
        Random rng = new Random(12);
        double e = equivarianceError(12, 12, 12, Rotations.random(rng), null, null, null);
        assertTrue(e < 1e-11, "equivariance (12,12,12): " + e);
        assertTrue(orthonormalityError(12, 12, 24) < 1e-13);
        assertTrue(orthonormalityError(12, 12, 12) < 1e-13);
    }

    @Test
    void concurrentFirstUseGivesOneTable() throws Exception {
        CGTable[] got = new CGTable[8];
        Thread[] ts = new Thread[8];
        for (int i = 0; i < 8; i++) {
            int k = i;
            ts[i] = new Thread(() -> got[k] = ClebschGordan.sparse(5, 6, 7));
            ts[i].start();
        }
        for (Thread t : ts) t.join();
        for (CGTable g : got) assertSame(got[0], g);
    }
}
