package org.unite4j.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.cpu.CpuTp;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The fused gather - CG tensor product - reduce on the CPU, float32, node and edge irreps
 * 32x0e+32x1o+32x2e, all allowed paths (11 paths, 83 CG non-zeros), random graphs where every
 * node receives {@link #DEGREE} edges. Plus the copy bandwidth (System.arraycopy of 64 MiB) as
 * the machine's own yardstick in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TpBenchmark {
    public static final String IRREPS = "32x0e+32x1o+32x2e";
    public static final int DEGREE = 12;
    public static final int COPY_FLOATS = 16 << 20;

    @Param({"250", "1000", "4000", "16000"})
    public int nodes;

    TensorProductDescriptor d;
    CpuTp tp;
    CsrGraph g;
    float[] e, h, w, out, gradOut, gradE, gradH, gradW;

    /** The graph every benchmark of this size uses: node a receives DEGREE edges from random senders. */
    public static CsrGraph graph(int nodes) {
        Random r = new Random(42);
        int[] recv = new int[nodes * DEGREE], send = new int[nodes * DEGREE];
        for (int k = 0; k < recv.length; k++) {
            recv[k] = k / DEGREE;
            send[k] = r.nextInt(nodes);
        }
        return CsrGraph.fromEdges(nodes, recv, send);
    }

    public static TensorProductDescriptor descriptor() {
        return TensorProductDescriptor.allPaths(IRREPS, IRREPS, IRREPS);
    }

    static float[] randn(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Setup
    public void setup() {
        d = descriptor();
        tp = CpuTp.of(d);
        g = graph(nodes);
        int c = d.channels();
        Random r = new Random(1);
        e = randn(r, g.numEdges() * d.edgeDim() * c);
        h = randn(r, nodes * d.nodeDim() * c);
        w = randn(r, g.numEdges() * d.numPaths() * c);
        gradOut = randn(r, nodes * d.outDim() * c);
        out = new float[nodes * d.outDim() * c];
        gradE = new float[e.length];
        gradH = new float[h.length];
        gradW = new float[w.length];
        g.tEdge(); // build the transposed view outside the timed region
    }

    @Benchmark
    public float[] forward() {
        tp.forward(g, e, h, w, out);
        return out;
    }

    @Benchmark
    public float[] backward() {
        tp.backward(g, e, h, w, gradOut, gradE, gradH, gradW);
        return gradH;
    }

    /** Bytes of one forward: e, h, w, rowPtr, sender read once, out written once. */
    public static long forwardBytes(int nodes) {
        TensorProductDescriptor d = descriptor();
        long ne = (long) nodes * DEGREE, c = d.channels();
        return 4 * (ne * d.edgeDim() * c + (long) nodes * d.nodeDim() * c + ne * d.numPaths() * c
                + (nodes + 1) + ne + (long) nodes * d.outDim() * c);
    }

    /**
     * Bytes of one backward: e, h, w, gradOut and both CSR views (rowPtr, sender, tRowPtr, tEdge,
     * receiver) read once; gradE, gradH, gradW written once.
     */
    public static long backwardBytes(int nodes) {
        TensorProductDescriptor d = descriptor();
        long ne = (long) nodes * DEGREE, c = d.channels();
        long e = ne * d.edgeDim() * c, h = (long) nodes * d.nodeDim() * c, w = ne * d.numPaths() * c,
                o = (long) nodes * d.outDim() * c, idx = 2L * (nodes + 1) + 3 * ne;
        return 4 * (2 * e + 2 * h + 2 * w + o + idx);
    }

    /** Copy bandwidth yardstick: 64 MiB read + 64 MiB written. */
    @State(Scope.Benchmark)
    public static class CopyState {
        float[] src = new float[COPY_FLOATS];
        float[] dst = new float[COPY_FLOATS];
    }

    @Benchmark
    public float[] copy(CopyState s) {
        System.arraycopy(s.src, 0, s.dst, 0, COPY_FLOATS);
        return s.dst;
    }
}
