package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.TensorProductDescriptor;

/** A descriptor's plan reproduces the descriptor's paths and CG tables exactly (no GPU needed). */
class DescriptorPlanTest {
    @Test
    void planOfDescriptorMatchesItsPathsAndCgTables() {
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("8x0e+8x1o+8x2e+8x3o+8x4e", "8x0e+8x1o+8x2e+8x4e",
                "8x0e+8x1o+8x1e+8x2e+8x3o+8x4e");
        CudaTpPlan plan = CudaTpPlan.forDescriptor(d);
        assertSame(plan, CudaTpPlan.forDescriptor(d), "cached per descriptor");
        assertEquals(d.numPaths(), plan.numPaths());
        assertEquals(d.edgeDim(), plan.edgeDim());
        assertEquals(d.nodeDim(), plan.nodeDim());
        assertEquals(d.outDim(), plan.outDim());
        assertEquals(8, plan.channels());
        for (int p = 0; p < d.numPaths(); p++) {
            var path = d.path(p);
            assertEquals(path.iEdge(), plan.pathEdge(p));
            assertEquals(path.iNode(), plan.pathNode(p));
            assertEquals(path.iOut(), plan.pathOut(p));
            CGTable cg = path.cg();
            CompiledCg.Table t = CompiledCg.table(cg.l1(), cg.l2(), cg.l3());
            assertEquals(cg.nnz(), t.nnz(), "non-zeros of path " + p);
            // scale x compiled entry == descriptor entry, entry by entry (both sorted by (i3, i1, i2))
            for (int j = 0; j < cg.nnz(); j++) {
                assertEquals(cg.i1()[j], t.i1()[j]);
                assertEquals(cg.i2()[j], t.i2()[j]);
                assertEquals(cg.i3()[j], t.i3()[j]);
                assertEquals(cg.value()[j], plan.scale(p) * t.value()[j], 1e-7 * Math.abs(cg.value()[j]), "path " + p + " entry " + j);
            }
        }
    }

    @Test
    void degreesAboveFourAreRejectedWithAClearMessage() {
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("4x1o", "4x4e", "4x5o");
        var e = assertThrows(IllegalArgumentException.class, () -> CudaTpPlan.forDescriptor(d));
        assertTrue(e.getMessage().contains("l <= 4"), e.getMessage());
    }
}
