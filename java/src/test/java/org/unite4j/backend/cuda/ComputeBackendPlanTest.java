package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.unite4j.backend.TpPlan;
import org.unite4j.backend.TpPlans;
import org.unite4j.irreps.TensorProductDescriptor;

/** The compute backend's host-side translations (no GPU): TpPlan -> kernel plan, broadcasting strides. */
class ComputeBackendPlanTest {
    @Test
    void tpPlanIsRecoveredIncludingBlocksNoPathUses() {
        // out 4e has no path (gap in the output rows), node 0e is unused by 1o paths only
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("4x0e+4x1o", "4x0e+4x2e", "4x0e+4x1o+4x4e");
        TpPlan tp = TpPlans.of(d);
        CudaTpPlan cp = CudaComputeBackend.toCudaPlan(tp);
        assertEquals(d.numPaths(), cp.numPaths());
        assertEquals(d.outDim(), cp.outDim());
        assertTrue(cp.hasGaps(), "the 4e output block has no path");
        int[] a = cp.layout();
        for (int p = 0; p < d.numPaths(); p++) {
            var path = d.path(p);
            assertEquals(path.cg().l1(), a[8 + 8 * p]);
            assertEquals(path.cg().l2(), a[8 + 8 * p + 1]);
            assertEquals(path.cg().l3(), a[8 + 8 * p + 2]);
            assertEquals(d.edgeOffset(path.iEdge()), a[8 + 8 * p + 3]);
            assertEquals(d.nodeOffset(path.iNode()), a[8 + 8 * p + 4]);
            assertEquals(d.outOffset(path.iOut()), a[8 + 8 * p + 5]);
            assertEquals(1f, cp.scale(p));
        }
        CudaTpPlan full = CudaComputeBackend.toCudaPlan(TpPlans.of(CudaTpBenchmark.descriptor()));
        assertFalse(full.hasGaps());
        assertArrayEquals(CudaTpPlan.forDescriptor(CudaTpBenchmark.descriptor()).layout(), full.layout(),
                "same kernel plan from the TpPlan as from the descriptor");
    }

    @Test
    void broadcastStridesFollowNumpyRules() {
        assertArrayEquals(new int[] {0, 1}, CudaComputeBackend.broadcastStrides(new int[] {3}, new int[] {2, 3}));
        assertArrayEquals(new int[] {1, 0}, CudaComputeBackend.broadcastStrides(new int[] {2, 1}, new int[] {2, 3}));
        assertArrayEquals(new int[] {3, 1}, CudaComputeBackend.broadcastStrides(new int[] {2, 3}, new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 0}, CudaComputeBackend.broadcastStrides(new int[] {}, new int[] {2, 3}));
        assertThrows(IllegalArgumentException.class, () -> CudaComputeBackend.broadcastStrides(new int[] {2}, new int[] {2, 3}));
    }
}
