package org.unite4j.backend.cpu;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.unite4j.backend.CompiledTp;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * A tensor-product descriptor lowered for the CPU: its flattened {@link TpPlan}, and the CG
 * entries grouped by destination row for the two gathers (the forward by output row; the node
 * gradient, which is the product with node and output exchanged ({@link TensorProductDescriptor#transposed()}),
 * by node row). The loops are {@link TpKernelsDouble} and {@link TpKernelsFloat}, generated from
 * one template; this class picks the dtype and whether the channels run in SIMD vectors
 * ({@link CpuKernels#vectorKernels()}; same bits either way).
 *
 * <p>Array-level use, e.g. by another framework on its own arrays:
 * {@code CpuTp.of(d).forward(graph, e, h, w, out)}; e [E][edgeWidth], h [N][nodeWidth],
 * w [E][numPaths*C], out [N][outWidth], all in the "ir_mul" layout. The lowered data are cached
 * per descriptor (the CPU backend's one plan cache); instances are immutable, so threads may share
 * them.
 */
public final class CpuTp implements CompiledTp {
    /**
     * Lowered kernel data per descriptor. The values must not reach their keys (a WeakHashMap
     * whose value holds its key never drops the entry), so they hold no descriptor.
     */
    private static final Map<TensorProductDescriptor, Lowered> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** What the loops read: the flattened plan, the two gathers, the plan's values in float. */
    record Lowered(TpPlan plan, Gather forward, Gather node, float[] valueFloat) {
        static Lowered of(TpPlan plan, TpPlan transposed) {
            return new Lowered(plan, Gather.of(plan), Gather.of(transposed), plan.valueF());
        }
    }

    /**
     * The CG entries of a plan grouped by destination row (rows of C channels): entries of row r
     * are start[r] .. start[r+1]-1 in (path, table) order; idx holds three offsets per entry
     * (x into e, y into w, z into the other operand; already multiplied by C) and valDouble/valFloat its value.
     */
    record Gather(int rows, int[] start, int[] idx, double[] valDouble, float[] valFloat) {
        /** The gather of plan pl by output row: x = eOff+i1, y = p*C, z = hOff+i2. */
        static Gather of(TpPlan pl) {
            int c = pl.channels(), np = pl.numPaths(), n = pl.cgStart()[np], rows = pl.outWidth() / c;
            int[] start = new int[rows + 1], row = new int[n];
            for (int p = 0; p < np; p++) {
                for (int j = pl.cgStart()[p]; j < pl.cgStart()[p + 1]; j++) {
                    row[j] = (pl.oOff()[p] + pl.i3()[j]) / c;
                    start[row[j] + 1]++;
                }
            }
            for (int r = 0; r < rows; r++) {
                start[r + 1] += start[r];
            }
            int[] fill = start.clone(), idx = new int[3 * n];
            double[] val = new double[n];
            float[] valF = new float[n];
            for (int p = 0; p < np; p++) {
                for (int j = pl.cgStart()[p]; j < pl.cgStart()[p + 1]; j++) { // stable: (path, table) order within a row
                    int at = fill[row[j]]++;
                    idx[3 * at] = pl.eOff()[p] + pl.i1()[j];
                    idx[3 * at + 1] = p * c;
                    idx[3 * at + 2] = pl.hOff()[p] + pl.i2()[j];
                    val[at] = pl.value()[j];
                    valF[at] = (float) pl.value()[j];
                }
            }
            return new Gather(rows, start, idx, val, valF);
        }
    }

    private final TensorProductDescriptor descriptor; // null for a plan given directly
    private final Lowered lowered;
    private final TpPlan plan;

    private CpuTp(TensorProductDescriptor descriptor, Lowered lowered) {
        this.descriptor = descriptor;
        this.lowered = lowered;
        this.plan = lowered.plan();
    }

    /** The CPU lowering of d (its kernel data cached while d, or an equal descriptor, is reachable). */
    public static CpuTp of(TensorProductDescriptor d) {
        Lowered l = CACHE.get(d);
        if (l == null) {
            l = Lowered.of(TpPlan.of(d), TpPlan.of(d.transposed()));
            CACHE.put(d, l);
        }
        return new CpuTp(d, l);
    }

    /** The kernels of a flattened plan given directly (not cached). */
    public static CpuTp of(TpPlan plan) {
        return new CpuTp(null, Lowered.of(plan, plan.transposed()));
    }

    /** The lowered data this product runs (shared by every CpuTp of equal descriptors). */
    Lowered lowered() {
        return lowered;
    }

    @Override
    public TensorProductDescriptor descriptor() {
        if (descriptor == null) {
            throw new IllegalStateException("this CPU tensor product was made from a flattened plan, not a descriptor");
        }
        return descriptor;
    }

    /** The flattened plan the loops run. */
    public TpPlan plan() {
        return plan;
    }

    Gather forwardGather() {
        return lowered.forward();
    }

    Gather nodeGather() {
        return lowered.node();
    }

    float[] edgeValuesFloat() {
        return lowered.valueFloat();
    }

    double[] edgeValuesDouble() {
        return plan.value();
    }

    /** Float64 forward (out overwritten). */
    public void forward(CsrGraph g, double[] e, double[] h, double[] w, double[] out) {
        TpKernelsDouble.forward(this, g, e, h, w, out, CpuKernels.vectorKernels());
    }

    /** Float32 forward, accumulated in float in the same order. */
    public void forward(CsrGraph g, float[] e, float[] h, float[] w, float[] out) {
        TpKernelsFloat.forward(this, g, e, h, w, out, CpuKernels.vectorKernels());
    }

    /** Float64 gradients to e, h and w given gradOut (overwritten; null ones skipped). */
    public void backward(CsrGraph g, double[] e, double[] h, double[] w, double[] gradOut, double[] gradE,
                         double[] gradH, double[] gradW) {
        TpKernelsDouble.backward(this, g, e, h, w, gradOut, gradE, gradH, gradW, CpuKernels.vectorKernels());
    }

    /** Float32 gradients, accumulated in float. */
    public void backward(CsrGraph g, float[] e, float[] h, float[] w, float[] gradOut, float[] gradE,
                         float[] gradH, float[] gradW) {
        TpKernelsFloat.backward(this, g, e, h, w, gradOut, gradE, gradH, gradW, CpuKernels.vectorKernels());
    }

    @Override
    public void forward(CsrGraph g, Storage e, Storage h, Storage w, Storage out) {
        CpuStorage o = CpuBackend.cpu(out);
        if (o.dtype() == DType.FLOAT64) {
            forward(g, CpuBackend.f64(e), CpuBackend.f64(h), CpuBackend.f64(w), o.doubles());
        } else {
            forward(g, CpuBackend.f32(e), CpuBackend.f32(h), CpuBackend.f32(w), o.floats());
        }
    }

    @Override
    public void backward(CsrGraph g, Storage e, Storage h, Storage w, Storage gradOut, Storage gradE, Storage gradH,
                         Storage gradW) {
        if (CpuBackend.cpu(gradOut).dtype() == DType.FLOAT64) {
            backward(g, CpuBackend.f64(e), CpuBackend.f64(h), CpuBackend.f64(w), CpuBackend.f64(gradOut),
                    gradE == null ? null : CpuBackend.f64(gradE), gradH == null ? null : CpuBackend.f64(gradH),
                    gradW == null ? null : CpuBackend.f64(gradW));
        } else {
            backward(g, CpuBackend.f32(e), CpuBackend.f32(h), CpuBackend.f32(w), CpuBackend.f32(gradOut),
                    gradE == null ? null : CpuBackend.f32(gradE), gradH == null ? null : CpuBackend.f32(gradH),
                    gradW == null ? null : CpuBackend.f32(gradW));
        }
    }

    void checkShapes(CsrGraph g, int eLen, int hLen, int wLen, int outLen) {
        long ne = g.numEdges(), nn = g.numNodes();
        TpPlan pl = plan;
        if (eLen != ne * pl.edgeWidth()) {
            throw new IllegalArgumentException("tensor product: e has " + eLen + " values, expected numEdges "
                    + ne + " x edge width " + pl.edgeWidth());
        }
        if (hLen != nn * pl.nodeWidth()) {
            throw new IllegalArgumentException("tensor product: h has " + hLen + " values, expected numNodes "
                    + nn + " x node width " + pl.nodeWidth());
        }
        if (wLen != ne * pl.weightWidth()) {
            throw new IllegalArgumentException("tensor product: w has " + wLen + " values, expected numEdges "
                    + ne + " x paths " + pl.numPaths() + " x channels " + pl.channels());
        }
        if (outLen != nn * pl.outWidth()) {
            throw new IllegalArgumentException("tensor product: out/gradOut has " + outLen
                    + " values, expected numNodes " + nn + " x out width " + pl.outWidth());
        }
    }

    /** length -1 means the array is absent (skipped). */
    static void checkLength(String name, int length, int expected) {
        if (length >= 0 && length != expected) {
            throw new IllegalArgumentException(name + " has " + length + " values, expected " + expected);
        }
    }

    @Override
    public String toString() {
        return "CpuTp[" + (descriptor != null ? descriptor : plan) + "]";
    }
}
