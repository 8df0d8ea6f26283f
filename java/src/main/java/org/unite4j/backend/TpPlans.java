package org.unite4j.backend;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.TensorProductDescriptor;

/** Flattens a {@link TensorProductDescriptor} into the {@link TpPlan} the kernels run (cached). */
public final class TpPlans {
    private static final Map<TensorProductDescriptor, TpPlan> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private TpPlans() {
    }

    /** The plan of d: offsets and CG indices pre-multiplied by the channel count, paths in p order. */
    public static TpPlan of(TensorProductDescriptor d) {
        TpPlan p = CACHE.get(d);
        if (p == null) {
            p = build(d);
            CACHE.put(d, p);
        }
        return p;
    }

    private static TpPlan build(TensorProductDescriptor d) {
        int c = d.channels(), np = d.numPaths();
        int[] eOff = new int[np], hOff = new int[np], oOff = new int[np], cs = new int[np + 1];
        for (int p = 0; p < np; p++) {
            cs[p + 1] = cs[p] + d.path(p).cg().nnz();
        }
        int nnz = cs[np];
        int[] i1 = new int[nnz], i2 = new int[nnz], i3 = new int[nnz];
        double[] v = new double[nnz];
        for (int p = 0; p < np; p++) {
            TensorProductDescriptor.Path path = d.path(p);
            eOff[p] = c * d.edgeOffset(path.iEdge());
            hOff[p] = c * d.nodeOffset(path.iNode());
            oOff[p] = c * d.outOffset(path.iOut());
            CGTable cg = path.cg();
            for (int j = 0; j < cg.nnz(); j++) {
                i1[cs[p] + j] = c * cg.i1()[j];
                i2[cs[p] + j] = c * cg.i2()[j];
                i3[cs[p] + j] = c * cg.i3()[j];
                v[cs[p] + j] = cg.value()[j];
            }
        }
        return new TpPlan(c, c * d.edgeDim(), c * d.nodeDim(), c * d.outDim(), np, eOff, hOff, oOff, cs, i1, i2, i3, v);
    }
}
