package org.unite4j.tensor;

import org.junit.jupiter.api.Test;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.WignerD;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Decomposition is O(3)-equivariant (irreps rotate by D^L, parity included) and recomposition inverts it. */
class IrrepDecompositionTest {
    static double[][] rotation(Random rnd, boolean improper) {
        double[] q = new double[4];
        double n = 0;
        for (int i = 0; i < 4; i++) { q[i] = rnd.nextGaussian(); n += q[i] * q[i]; }
        n = Math.sqrt(n);
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        double s = improper ? -1 : 1;
        return new double[][]{
                {s * (1 - 2 * (y * y + z * z)), s * 2 * (x * y - w * z), s * 2 * (x * z + w * y)},
                {s * 2 * (x * y + w * z), s * (1 - 2 * (x * x + z * z)), s * 2 * (y * z - w * x)},
                {s * 2 * (x * z - w * y), s * 2 * (y * z + w * x), s * (1 - 2 * (x * x + y * y))}};
    }

    /** The AO rotation of one atom: block-diagonal over its shells, D^l(Q) with parity (-1)^l. */
    static double[][] atomD(Basis b, int atom, double[][] q) {
        int n = b.numAo(atom);
        double[][] d = new double[n][n];
        for (int s = 0; s < b.numShells(atom); s++) {
            int l = b.shell(atom, s).l(), off = b.shellOffset(atom, s);
            double[][] dl = WignerD.matrix(new Irrep(l, l % 2 == 0 ? 1 : -1), q);
            for (int i = 0; i <= 2 * l; i++) for (int j = 0; j <= 2 * l; j++) d[off + i][off + j] = dl[i][j];
        }
        return d;
    }

    static double[] rotateIrreps(Irreps irreps, double[][] q, double[] t) {
        double[] out = new double[t.length];
        for (int i = 0; i < irreps.size(); i++) {
            Irreps.MulIrrep mi = irreps.get(i);
            double[][] d = WignerD.matrix(mi.ir(), q);
            int off = irreps.offset(i), mul = mi.mul();
            for (int a = 0; a < d.length; a++)
                for (int u = 0; u < mul; u++) {
                    double s = 0;
                    for (int c = 0; c < d.length; c++) s += d[a][c] * t[off + c * mul + u];
                    out[off + a * mul + u] = s;
                }
        }
        return out;
    }

    @Test
    void gfn1SlotsGiveTheSameHundredComponentsForEveryPair() {
        IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(NBodyTensorTest.gfn1Like()), 2);
        assertEquals(100, dec.dim()); // (1 + 1 + 3 + 5)^2
        assertEquals(Irreps.parse("6x0e+6x1o+2x1e+6x2e+2x2o+2x3o+1x3e+1x4e").sort().simplify().toString(), dec.irreps().toString());
        IrrepDecomposition one = new IrrepDecomposition(ShellSlots.covering(NBodyTensorTest.gfn1Like()), 1);
        assertEquals("2x0e+1x1o+1x2e", one.irreps().toString());
    }

    @Test
    void pairDecompositionIsEquivariantAndRecompositionInverts() {
        Basis b = NBodyTensorTest.gfn1Like();
        Random rnd = new Random(7);
        double[] dense = NBodyTensorTest.random(b.numAo() * b.numAo(), rnd);
        NBodyTensor t = NBodyTensor.fromDense(b, 2, dense);
        IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(b), 2);
        for (boolean improper : new boolean[]{false, true}) {
            double[][] q = rotation(rnd, improper);
            // rotated tensor: T'_AB = D_A T_AB D_B^T
            int nao = b.numAo();
            double[] rotated = new double[nao * nao];
            for (int a = 0; a < b.numAtoms(); a++)
                for (int c = 0; c < b.numAtoms(); c++) {
                    double[][] da = atomD(b, a, q), dc = atomD(b, c, q);
                    double[] blk = t.block(t.find(a, c));
                    int na = b.numAo(a), nc = b.numAo(c);
                    for (int i = 0; i < na; i++)
                        for (int j = 0; j < nc; j++) {
                            double s = 0;
                            for (int k = 0; k < na; k++)
                                for (int m = 0; m < nc; m++) s += da[i][k] * blk[k * nc + m] * dc[j][m];
                            rotated[(b.aoOffset(a) + i) * nao + b.aoOffset(c) + j] = s;
                        }
                }
            NBodyTensor tr = NBodyTensor.fromDense(b, 2, rotated);
            double[][] x = dec.decomposeAll(t), y = dec.decomposeAll(tr);
            for (int blk = 0; blk < t.numBlocks(); blk++) {
                double[] expect = rotateIrreps(dec.irreps(), q, x[blk]);
                assertArrayEquals(expect, y[blk], 1e-10, "block " + java.util.Arrays.toString(t.tuple(blk)) + " improper " + improper);
                assertArrayEquals(t.block(blk), dec.recompose(b, t.tuple(blk), x[blk]), 1e-12, "recomposition");
                assertEquals(t.norm(blk), norm(x[blk]), 1e-10, "orthonormal CG: the decomposition keeps the norm");
            }
        }
    }

    @Test
    void mergedDecompositionInterleavesTheOperatorsForEveryOrder() {
        Basis b = threeAtoms();
        Random rnd = new Random(10);
        int[][] tuples = {{2}, {2, 1}, {1, 2, 0}};
        for (int[] atoms : tuples) {
            IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(b), atoms.length);
            int size = 1;
            for (int a : atoms) size *= b.numAo(a);
            for (int n : new int[]{1, 3}) {
                double[][] blocks = new double[n][];
                for (int o = 0; o < n; o++) blocks[o] = NBodyTensorTest.random(size, rnd);
                double[] merged = new double[5 + n * dec.dim() + 2];
                java.util.Arrays.fill(merged, Double.NaN); // overwritten inside, untouched outside
                dec.decomposeMerged(b, atoms, blocks, merged, 5);
                assertTrue(Double.isNaN(merged[4]) && Double.isNaN(merged[5 + n * dec.dim()]), "wrote outside its row");
                Irreps ir = dec.irreps();
                double[] one = new double[dec.dim()];
                for (int o = 0; o < n; o++) {
                    dec.decompose(b, atoms, blocks[o], one, 0);
                    for (int i = 0; i < ir.size(); i++) {
                        int mul = ir.get(i).mul();
                        for (int mm = 0; mm < ir.get(i).ir().dim(); mm++)
                            for (int u = 0; u < mul; u++)
                                assertEquals(one[ir.offset(i) + mm * mul + u], merged[5 + n * ir.offset(i) + mm * n * mul + o * mul + u], 0.0,
                                        "order " + atoms.length + ", " + n + " operators, operator " + o + ", block " + i);
                    }
                }
            }
        }
    }

    static double norm(double[] x) {
        double s = 0;
        for (double v : x) s += v * v;
        return Math.sqrt(s);
    }

    /** Atoms with shells (1s 2s), (2s 2p), (3s 3p 3d). */
    static Basis threeAtoms() {
        Basis.Shell s1 = new Basis.Shell(1, 0), s2 = new Basis.Shell(2, 0), p2 = new Basis.Shell(2, 1),
                s3 = new Basis.Shell(3, 0), p3 = new Basis.Shell(3, 1), d3 = new Basis.Shell(3, 2);
        return new Basis(java.util.List.of(java.util.List.of(s1, s2), java.util.List.of(s2, p2), java.util.List.of(s3, p3, d3)));
    }

    @Test
    void mergedAdjointIsTheTransposeOfTheDecomposition() {
        Basis b = threeAtoms();
        Random rnd = new Random(12);
        for (int[] atoms : new int[][]{{2}, {0, 1}, {2, 1}, {1, 1}, {1, 2, 0}}) {
            IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(b), atoms.length);
            int size = 1;
            for (int a : atoms) size *= b.numAo(a);
            int n = 4;
            double[][] x = new double[n][];
            for (int o = 0; o < n; o++) x[o] = NBodyTensorTest.random(size, rnd);
            double[] g = NBodyTensorTest.random(n * dec.dim() + 3, rnd);
            double[] y = new double[n * dec.dim() + 3];
            dec.decomposeMerged(b, atoms, x, y, 3);
            double lhs = 0, rhs = 0;
            for (int j = 3; j < y.length; j++) lhs += g[j] * y[j];
            double[][] at = dec.decomposeMergedAdjoint(b, atoms, g, 3, n);
            for (int o = 0; o < n; o++)
                for (int j = 0; j < size; j++) rhs += at[o][j] * x[o][j];
            assertEquals(lhs, rhs, 1e-12 * Math.abs(lhs), "tuple " + java.util.Arrays.toString(atoms));
        }
    }

    @Test
    void atomDecompositionIsEquivariantAndRecompositionInverts() {
        Basis b = NBodyTensorTest.gfn1Like();
        Random rnd = new Random(8);
        double[] vec = NBodyTensorTest.random(b.numAo(), rnd);
        NBodyTensor t = NBodyTensor.fromDense(b, 1, vec);
        IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(b), 1);
        double[][] q = rotation(rnd, true);
        double[] rv = new double[vec.length];
        for (int a = 0; a < b.numAtoms(); a++) {
            double[][] d = atomD(b, a, q);
            for (int i = 0; i < d.length; i++)
                for (int k = 0; k < d.length; k++) rv[b.aoOffset(a) + i] += d[i][k] * vec[b.aoOffset(a) + k];
        }
        NBodyTensor tr = NBodyTensor.fromDense(b, 1, rv);
        for (int blk = 0; blk < t.numBlocks(); blk++) {
            double[] x = dec.decompose(t, blk);
            assertArrayEquals(rotateIrreps(dec.irreps(), q, x), dec.decompose(tr, blk), 1e-12);
            assertArrayEquals(t.block(blk), dec.recompose(b, t.tuple(blk), x), 0.0);
        }
    }

    @Test
    void tripleDecompositionIsEquivariantAndRecompositionInverts() {
        Basis b = threeAtoms();
        IrrepDecomposition dec = new IrrepDecomposition(ShellSlots.covering(b), 3);
        assertEquals(1000, dec.dim()); // (1 + 1 + 3 + 5)^3
        Random rnd = new Random(9);
        int nao = b.numAo();
        double[] dense = NBodyTensorTest.random(nao * nao * nao, rnd);
        NBodyTensor t = NBodyTensor.fromDense(b, 3, dense);
        for (boolean improper : new boolean[]{false, true}) {
            double[][] q = rotation(rnd, improper);
            double[][] dFull = new double[nao][nao];
            for (int a = 0; a < b.numAtoms(); a++) {
                double[][] da = atomD(b, a, q);
                for (int i = 0; i < da.length; i++)
                    for (int j = 0; j < da.length; j++) dFull[b.aoOffset(a) + i][b.aoOffset(a) + j] = da[i][j];
            }
            // T'[i,j,k] = sum D[i,a] D[j,b] D[k,c] T[a,b,c], one index at a time
            double[] x = dense;
            for (int axis = 0; axis < 3; axis++) {
                double[] y = new double[x.length];
                for (int i = 0; i < nao; i++)
                    for (int j = 0; j < nao; j++)
                        for (int k = 0; k < nao; k++) {
                            double s = 0;
                            for (int c = 0; c < nao; c++) {
                                double dv = dFull[axis == 0 ? i : axis == 1 ? j : k][c];
                                if (dv == 0) continue;
                                int src = axis == 0 ? (c * nao + j) * nao + k : axis == 1 ? (i * nao + c) * nao + k : (i * nao + j) * nao + c;
                                s += dv * x[src];
                            }
                            y[(i * nao + j) * nao + k] = s;
                        }
                x = y;
            }
            NBodyTensor tr = NBodyTensor.fromDense(b, 3, x);
            for (int blk = 0; blk < t.numBlocks(); blk++) {
                double[] d0 = dec.decompose(t, blk);
                double[] d1 = dec.decompose(tr, tr.find(t.tuple(blk)));
                assertArrayEquals(rotateIrreps(dec.irreps(), q, d0), d1, 1e-10, "block " + java.util.Arrays.toString(t.tuple(blk)));
                assertEquals(t.norm(blk), norm(d0), 1e-10, "norm kept");
                assertArrayEquals(t.block(blk), dec.recompose(b, t.tuple(blk), d0), 1e-12, "recomposition");
            }
        }
    }
}
