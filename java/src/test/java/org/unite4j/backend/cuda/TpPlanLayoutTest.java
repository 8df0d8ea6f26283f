package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan layout the kernels read, the compiled CG tables, and CSR transposition (no GPU). */
class TpPlanLayoutTest {
    /** All parity-allowed paths for blocks given as (l, parity), in (out, edge, node) order. */
    static CudaTpPlan allPaths(int c, int[][] edge, int[][] node, int[][] out) {
        List<int[]> ps = new ArrayList<>();
        for (int o = 0; o < out.length; o++)
            for (int ie = 0; ie < edge.length; ie++)
                for (int ih = 0; ih < node.length; ih++) {
                    int l1 = edge[ie][0], l2 = node[ih][0], l3 = out[o][0];
                    if (l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2 && out[o][1] == edge[ie][1] * node[ih][1]) ps.add(new int[] {ie, ih, o});
                }
        int n = ps.size();
        int[] pe = new int[n], pn = new int[n], po = new int[n];
        float[] s = new float[n];
        for (int p = 0; p < n; p++) { pe[p] = ps.get(p)[0]; pn[p] = ps.get(p)[1]; po[p] = ps.get(p)[2]; s[p] = 1f; }
        return CudaTpPlan.of(c, ls(edge), ls(node), ls(out), pe, pn, po, s);
    }

    static int[] ls(int[][] b) {
        int[] l = new int[b.length];
        for (int i = 0; i < b.length; i++) l[i] = b[i][0];
        return l;
    }

    @Test
    void layoutListsEveryPathOnceUnderEachBlockKind() {
        int[][] irr = {{0, 1}, {1, -1}, {2, 1}};
        CudaTpPlan plan = allPaths(32, irr, irr, irr);
        assertEquals(11, plan.numPaths(), "0e+1o+2e (x) 0e+1o+2e -> 0e+1o+2e has 11 parity-allowed paths");
        assertEquals(9, plan.edgeDim());
        int[] a = plan.layout();
        assertEquals(11, a[0]); assertEquals(3, a[1]); assertEquals(3, a[2]); assertEquals(3, a[3]);
        assertEquals(CudaTpPlan.VERSION, a[7]);
        int[] offs = {0, 1, 4};
        for (int kind = 0; kind < 3; kind++) {
            int base = a[4 + kind];
            int[] seen = new int[11];
            for (int b = 0; b < 3; b++) {
                assertEquals(irr[b][0], a[base + 4 * b]);
                assertEquals(offs[b], a[base + 4 * b + 1]);
                int prev = -1;
                for (int j = a[base + 4 * b + 2]; j < a[base + 4 * b + 3]; j++) {
                    int p = a[j];
                    assertTrue(p > prev, "path ids increase within a block");
                    prev = p;
                    seen[p]++;
                    int blk = kind == 0 ? plan.pathOut(p) : kind == 1 ? plan.pathEdge(p) : plan.pathNode(p);
                    assertEquals(b, blk);
                }
            }
            for (int p = 0; p < 11; p++) assertEquals(1, seen[p], "path " + p + " listed once for kind " + kind);
        }
        for (int p = 0; p < 11; p++) {
            int q = 8 + 8 * p;
            assertEquals(plan.edgeL(plan.pathEdge(p)), a[q]);
            assertEquals(plan.nodeL(plan.pathNode(p)), a[q + 1]);
            assertEquals(plan.outL(plan.pathOut(p)), a[q + 2]);
            assertEquals(offs[plan.pathEdge(p)], a[q + 3]);
            assertEquals(1f, Float.intBitsToFloat(a[q + 6]));
        }
    }

    @Test
    void planRejectsBadInputWithClearMessages() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CudaTpPlan.of(8, new int[] {5}, new int[] {0}, new int[] {5}, new int[] {0}, new int[] {0}, new int[] {0}, new float[] {1}));
        assertTrue(e.getMessage().contains("l <= 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaTpPlan.of(8, new int[] {1}, new int[] {0}, new int[] {2}, new int[] {0}, new int[] {0}, new int[] {0}, new float[] {1}));
        assertTrue(e.getMessage().contains("l_out=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaTpPlan.of(8, new int[] {1}, new int[] {0}, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {0}, new float[] {1}));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CudaTpPlan.of(0, new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0}, new int[] {0}, new float[] {1}));
    }

    @Test
    void compiledCgTablesAreOrthonormalChangesOfBasis() {
        int n = 0;
        for (int l1 = 0; l1 <= 4; l1++)
            for (int l2 = 0; l2 <= 4; l2++)
                for (int l3 = 0; l3 <= 4; l3++) {
                    CompiledCg.Table t = CompiledCg.table(l1, l2, l3);
                    boolean allowed = l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2;
                    assertEquals(allowed, t != null, "(" + l1 + "," + l2 + "," + l3 + ")");
                    if (t == null) continue;
                    n++;
                    double[][] dense = new double[(2 * l1 + 1) * (2 * l2 + 1)][2 * l3 + 1];
                    for (int j = 0; j < t.nnz(); j++) dense[t.i1()[j] * (2 * l2 + 1) + t.i2()[j]][t.i3()[j]] += t.value()[j];
                    for (int a = 0; a <= 2 * l3; a++)
                        for (int b = 0; b <= 2 * l3; b++) {
                            double s = 0;
                            for (double[] row : dense) s += row[a] * row[b];
                            assertEquals(a == b ? 1 : 0, s, 1e-12, "C^T C of (" + l1 + "," + l2 + "," + l3 + ")");
                        }
                }
        assertEquals(n, CompiledCg.size());
    }

    @Test
    void scaleForDetectsSignAndRejectsOtherBases() {
        CompiledCg.Table t = CompiledCg.table(2, 1, 2);
        assertEquals(1.0, CompiledCg.scaleFor(2, 1, 2, t.i1(), t.i2(), t.i3(), t.value()), 1e-15);
        double[] neg = t.value().clone();
        for (int j = 0; j < neg.length; j++) neg[j] = -neg[j];
        assertEquals(-1.0, CompiledCg.scaleFor(2, 1, 2, t.i1(), t.i2(), t.i3(), neg), 1e-15);
        int[] swapped = t.i1().clone();
        int[] swapped2 = t.i3().clone();
        // exchange two m indices of the output: the pattern no longer matches
        for (int j = 0; j < swapped2.length; j++) swapped2[j] = swapped2[j] == 0 ? 1 : swapped2[j] == 1 ? 0 : swapped2[j];
        assertThrows(IllegalArgumentException.class, () -> CompiledCg.scaleFor(2, 1, 2, swapped, t.i2(), swapped2, t.value()));
        assertThrows(IllegalArgumentException.class, () -> CompiledCg.scaleFor(5, 1, 4, new int[0], new int[0], new int[0], new double[0]));
    }

    @Test
    void transposedCsrGroupsEdgesBySenderInIncreasingOrder() {
        int[] rowPtr = {0, 2, 2, 5, 6};
        int[] sender = {3, 0, 0, 3, 2, 0};
        int[][] h = CudaGraph.hostArrays(rowPtr, sender);
        assertArrayEquals(new int[] {0, 0, 2, 2, 2, 3}, h[0]);
        assertArrayEquals(new int[] {0, 3, 3, 4, 6}, h[1]);
        assertArrayEquals(new int[] {1, 2, 5, 4, 0, 3}, h[2]);
        assertThrows(IllegalArgumentException.class, () -> CudaGraph.hostArrays(new int[] {0, 2, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> CudaGraph.hostArrays(new int[] {0, 1}, new int[] {4}));
        assertThrows(IllegalArgumentException.class, () -> CudaGraph.hostArrays(new int[] {1, 1}, new int[] {0}));
    }
}
