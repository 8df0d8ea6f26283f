package org.unite4j.bench;

import org.unite4j.backend.Backend;
import org.unite4j.backend.CompiledTp;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;
import org.unite4j.tensor.IrrepDecomposition;
import org.unite4j.tensor.NBodyTensor;

import java.util.SplittableRandom;

/**
 * The ops a scaling sweep times on one {@link Workload}, on one backend:
 * <ul>
 *   <li>{@code decompose}: the CG decomposition ({@link IrrepDecomposition}, GFN1 slots s, s', p, d)
 *       of every kept block of every tensor, t_{AB;s1 s2;L}[M] = sum C^{LM}_{l1 m1 l2 m2} T[A s1 m1, B s2 m2];
 *       float64 on the CPU, whatever the backend.</li>
 *   <li>{@code tp_forward}: the fused gather - CG tensor product - reduce over the union graph,
 *       m[a] = sum_{k: receiver a} TP_{w[k]}(e[k], h[sender k]), edge irreps
 *       Cx0e+Cx1o+Cx1e+Cx2e, node and output irreps Cx0e+Cx1o+Cx2e, all allowed paths.</li>
 *   <li>{@code tp_backward}: its backward, gradients to e, h and w.</li>
 *   <li>{@code pool}: segment sums of the edge features into their receivers (CSR order) and of
 *       those atom rows into the molecule: out = sum_a sum_{k: receiver a} e[k].</li>
 * </ul>
 * Inputs are random (uniform in [-1, 1), fixed seed) in the backend's float32 when it has it (else float64). Every
 * timed call ends with a device-to-host copy of one element, so asynchronous backends are timed
 * to completion.
 */
public final class ScalingOps {
    /** Node / output irreps of the timed tensor product, per channel. */
    public static final String NODE_IRREPS = "0e+1o+2e";
    /** Edge irreps of the timed tensor product, per channel (the irreps of a decomposed s, p pair). */
    public static final String EDGE_IRREPS = "0e+1o+1e+2e";

    private final Workload w;
    private final Backend backend;
    private final DType dtype;
    private final IrrepDecomposition decomposition;
    private final TensorProductDescriptor descriptor;
    private final CompiledTp tp;
    private final Storage e, h, wt, out, gradOut, gradE, gradH, gradW, nodeRows, molRow, probe;
    private final double[] decomposed;
    private final int[] molPtr;

    public ScalingOps(Workload w, Backend backend, int channels, long seed) {
        if (channels < 1) throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        this.w = w;
        this.backend = backend;
        this.dtype = backend.supports(DType.FLOAT32) ? DType.FLOAT32 : DType.FLOAT64;
        this.decomposition = new IrrepDecomposition(XtbBasisSet.slots(XtbMethod.GFN1), 2);
        this.decomposed = new double[Math.toIntExact(w.blocks() * decomposition.dim())];
        this.descriptor = descriptor(channels);
        this.tp = backend.compile(descriptor);
        CsrGraph g = w.graph();
        g.tEdge(); // the transposed view, built once outside the timed region
        int ne = g.numEdges(), nn = g.numNodes();
        SplittableRandom rng = new SplittableRandom(seed);
        e = random(rng, (long) ne * descriptor.edgeWidth());
        h = random(rng, (long) nn * descriptor.nodeWidth());
        wt = random(rng, (long) ne * descriptor.weightWidth());
        gradOut = random(rng, (long) nn * descriptor.outWidth());
        out = backend.allocate(dtype, nn * descriptor.outWidth());
        gradE = backend.allocate(dtype, ne * descriptor.edgeWidth());
        gradH = backend.allocate(dtype, nn * descriptor.nodeWidth());
        gradW = backend.allocate(dtype, ne * descriptor.weightWidth());
        nodeRows = backend.allocate(dtype, nn * descriptor.edgeWidth());
        molRow = backend.allocate(dtype, descriptor.edgeWidth());
        probe = backend.allocate(dtype, 1);
        molPtr = new int[]{0, nn};
    }

    /** The timed tensor product for C channels. */
    public static TensorProductDescriptor descriptor(int channels) {
        return TensorProductDescriptor.allPaths(Irreps.parse(mul(channels, EDGE_IRREPS)),
                Irreps.parse(mul(channels, NODE_IRREPS)), Irreps.parse(mul(channels, NODE_IRREPS)));
    }

    private static String mul(int c, String irreps) {
        StringBuilder sb = new StringBuilder();
        for (String ir : irreps.split("\\+")) sb.append(sb.isEmpty() ? "" : "+").append(c).append('x').append(ir);
        return sb.toString();
    }

    /** Values per host chunk of {@link #random}: inputs of 10^6 blocks are GBs, in float32 on a GPU. */
    static final int RANDOM_CHUNK = 1 << 24;

    private Storage random(SplittableRandom rng, long n) {
        return random(backend, dtype, rng, n, RANDOM_CHUNK);
    }

    /**
     * n values uniform in [-1, 1) (timing does not depend on them) on backend, written in chunks of
     * {@code chunk} values, so that no host array of all n doubles is needed; the same values
     * whatever the chunk.
     */
    static Storage random(Backend backend, DType dtype, SplittableRandom rng, long n, int chunk) {
        int size = Math.toIntExact(n);
        if (size <= chunk) return backend.fromDoubles(chunk(rng, size), dtype);
        Storage s = backend.allocate(dtype, size);
        for (int off = 0; off < size; off += chunk) {
            int len = Math.min(chunk, size - off);
            backend.copyBlocks(backend.fromDoubles(chunk(rng, len), dtype), 0, 0, s, 0, off, 1, len);
        }
        return s;
    }

    private static double[] chunk(SplittableRandom rng, int len) {
        double[] d = new double[len];
        for (int i = 0; i < len; i++) d[i] = 2 * rng.nextDouble() - 1;
        return d;
    }

    public DType dtype() { return dtype; }

    public TensorProductDescriptor tensorProduct() { return descriptor; }

    /** CG decomposition of every kept block of every tensor. */
    public void decompose() {
        int off = 0, dim = decomposition.dim();
        for (NBodyTensor t : w.tensors())
            for (int b = 0; b < t.numBlocks(); b++) {
                decomposition.decompose(t.basis(), t.tuple(b), t.block(b), decomposed, off);
                off += dim;
            }
    }

    public void tpForward() {
        tp.forward(w.graph(), e, h, wt, out);
        sync(out);
    }

    public void tpBackward() {
        tp.backward(w.graph(), e, h, wt, gradOut, gradE, gradH, gradW);
        sync(gradH);
    }

    public void pool() {
        backend.csrGatherSum(w.graph().rowPtr(), null, e, descriptor.edgeWidth(), nodeRows);
        backend.csrGatherSum(molPtr, null, nodeRows, descriptor.edgeWidth(), molRow);
        sync(molRow);
    }

    /** Waits for the backend: copies one element of s back to the host. */
    private void sync(Storage s) {
        backend.copyBlocks(s, 1, 0, probe, 1, 0, 1, 1);
        backend.toDoubles(probe);
    }

    /** The decomposed blocks of the last {@link #decompose()} (for checks). */
    double[] decomposed() { return decomposed; }
}
