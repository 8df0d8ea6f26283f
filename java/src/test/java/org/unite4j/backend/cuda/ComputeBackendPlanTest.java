package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.unite4j.backend.CompiledTp;
import org.unite4j.irreps.TensorProductDescriptor;

/** The compute backend's host-side translations (no GPU): descriptor -> kernel plan, broadcasting strides. */
class ComputeBackendPlanTest {
    @Test
    void compiledDescriptorKeepsBlocksAndPathsIncludingBlocksNoPathUses() {
        // out 4e has no path (its kernel rows write zeros), node 0e is unused by 1o paths only
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("4x0e+4x1o", "4x0e+4x2e", "4x0e+4x1o+4x4e");
        CompiledTp compiled = new CudaComputeBackend().compile(d);
        assertSame(d, compiled.descriptor());
        CudaTpPlan cp = CudaTpPlan.forDescriptor(d);
        assertEquals(d.numPaths(), cp.numPaths());
        assertEquals(d.outDim(), cp.outDim());
        assertFalse(cp.hasGaps(), "a descriptor's blocks are contiguous");
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
    }

    @Test
    void transposedDescriptorCompilesWithTheTransposeScale() {
        // C[m1, m2, M] read as (l1, l_out -> l_node) is a multiple of that triple's CG table:
        // |scale| = sqrt((2 l_out + 1) / (2 l_node + 1)) (both tables have unit-norm columns)
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("2x0e+2x1o+2x2e", "2x0e+2x1o", "2x0e+2x1o+2x2e");
        CudaTpPlan cp = CudaTpPlan.forDescriptor(d.transposed());
        for (int p = 0; p < d.numPaths(); p++) {
            var path = d.path(p);
            int lNode = path.cg().l2(), lOut = path.cg().l3();
            assertEquals(Math.sqrt((2.0 * lOut + 1) / (2.0 * lNode + 1)), Math.abs(cp.scale(p)), 1e-6, "path " + p);
        }
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
