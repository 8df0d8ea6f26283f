package org.unite4j.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class NBodyTensorTest {
    static Basis gfn1Like() {
        Basis.Shell s1 = new Basis.Shell(1, 0), s2 = new Basis.Shell(2, 0), p2 = new Basis.Shell(2, 1),
                s3 = new Basis.Shell(3, 0), p3 = new Basis.Shell(3, 1), d3 = new Basis.Shell(3, 2),
                s4 = new Basis.Shell(4, 0), p4 = new Basis.Shell(4, 1);
        return new Basis(List.of(List.of(s1, s2), List.of(s2, p2), List.of(s3, p3, d3), List.of(d3, s4, p4), List.of(s1, s2)));
    }

    static double[] random(int n, Random rnd) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rnd.nextGaussian();
        return x;
    }

    @Test
    void basisLayout() {
        Basis b = gfn1Like();
        assertEquals(2 + 4 + 9 + 9 + 2, b.numAo());
        assertEquals(6, b.aoOffset(2));
        assertEquals(4, b.shellOffset(2, 2)); // 3s (1) + 3p (3)
        assertEquals(b, Basis.fromShellTable(b.numAtoms(), b.shellTable()));
        assertEquals("s,s',p,d", ShellSlots.covering(b).toString());
        assertArrayEquals(new int[]{3, 0, 2}, ShellSlots.covering(b).slotsOf(b.shells(3)));
        assertArrayEquals(new int[]{0, 1}, ShellSlots.covering(b).slotsOf(b.shells(0)));
        assertThrows(IllegalArgumentException.class, () -> new ShellSlots(0, 1).slotsOf(b.shells(2)));
    }

    @Test
    void denseRoundTripForOrdersOneTwoThree() {
        Basis b = gfn1Like();
        Random rnd = new Random(1);
        for (int order = 1; order <= 3; order++) {
            int n = (int) Math.pow(b.numAo(), order);
            double[] dense = random(n, rnd);
            NBodyTensor t = NBodyTensor.fromDense(b, order, dense, Double.POSITIVE_INFINITY);
            assertEquals((long) Math.pow(b.numAtoms(), order), t.numBlocks());
            assertEquals(n, t.numElements());
            assertEquals(n, t.numNonZeroElements());
            assertArrayEquals(dense, t.toDense(), 0.0);
            // block contents and norms
            int[] tuple = order == 1 ? new int[]{2} : order == 2 ? new int[]{2, 3} : new int[]{2, 3, 0};
            int bi = t.find(tuple);
            assertArrayEquals(tuple, t.tuple(bi));
            double[] block = t.block(bi);
            double ss = 0;
            for (double v : block) ss += v * v;
            assertEquals(Math.sqrt(ss), t.norm(bi), 1e-12);
            if (order == 2) assertEquals(dense[(b.aoOffset(2) + 4) * b.numAo() + b.aoOffset(3) + 1], block[4 * 9 + 1]);
            if (order == 3) {
                int nao = b.numAo();
                assertEquals(dense[((b.aoOffset(2) + 1) * nao + b.aoOffset(3) + 2) * nao + b.aoOffset(0) + 1], block[(9 + 2) * 2 + 1]);
            }
        }
    }

    @Test
    void cutoffKeepsExactlyTheBlocksWithMinusLogNormBelowTau() {
        Basis b = gfn1Like();
        int na = b.numAtoms(), nao = b.numAo();
        double[] dense = new double[nao * nao];
        Random rnd = new Random(2);
        double[][] norm = new double[na][na];
        for (int a = 0; a < na; a++)
            for (int c = 0; c < na; c++) {
                // block norms spread over e^-0 .. e^-20; zero for (0, 4)
                double target = (a == 0 && c == 4) ? 0 : Math.exp(-20.0 * rnd.nextDouble());
                double[] blk = random(b.numAo(a) * b.numAo(c), rnd);
                double f = target / NBodyTensor.frobenius(blk);
                for (int i = 0; i < b.numAo(a); i++)
                    for (int j = 0; j < b.numAo(c); j++)
                        dense[(b.aoOffset(a) + i) * nao + b.aoOffset(c) + j] = f * blk[i * b.numAo(c) + j];
                norm[a][c] = target;
            }
        NBodyTensor t = NBodyTensor.fromDense(b, 2, dense); // tau = 12
        int expected = 0;
        long elements = 0;
        for (int a = 0; a < na; a++)
            for (int c = 0; c < na; c++) {
                boolean keep = norm[a][c] > 0 && -Math.log(norm[a][c]) < 12;
                assertEquals(keep, t.find(a, c) >= 0, "block " + a + "," + c + " norm " + norm[a][c]);
                if (keep) { expected++; elements += (long) b.numAo(a) * b.numAo(c); }
            }
        assertTrue(expected > 3 && expected < na * na - 3, "test needs blocks on both sides of the cutoff");
        assertEquals(expected, t.numBlocks());
        assertEquals(elements, t.numElements());
        NBodyTensor tighter = t.withCutoff(5);
        for (int i = 0; i < tighter.numBlocks(); i++) assertTrue(-Math.log(tighter.norm(i)) < 5);
        assertTrue(tighter.numBlocks() < t.numBlocks());
        // sorted by (A, B)
        for (int i = 1; i < t.numBlocks(); i++)
            assertTrue(java.util.Arrays.compare(t.tuple(i - 1), t.tuple(i)) < 0);
    }

    @Test
    void ofBlocksValidatesAndSorts() {
        Basis b = gfn1Like();
        List<int[]> tuples = new ArrayList<>(List.of(new int[]{3, 1}, new int[]{0, 2}));
        List<double[]> blocks = new ArrayList<>(List.of(new double[9 * 4], new double[2 * 9]));
        blocks.get(0)[5] = 1;
        blocks.get(1)[0] = 2;
        NBodyTensor t = NBodyTensor.ofBlocks(b, 2, tuples, blocks);
        assertArrayEquals(new int[]{0, 2}, t.tuple(0));
        assertEquals(2, t.numNonZeroElements());
        assertThrows(IllegalArgumentException.class, () -> NBodyTensor.ofBlocks(b, 2, List.of(new int[]{0, 0}), List.of(new double[3])));
        assertThrows(IllegalArgumentException.class, () -> NBodyTensor.fromDense(b, 2, new double[7]));
        assertThrows(IllegalArgumentException.class, () -> NBodyTensor.fromDense(b, 4, new double[1]));
    }
}
