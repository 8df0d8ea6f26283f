package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.unite4j.backend.cuda.GpuTestSupport.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.cpu.CpuKernels;
import org.unite4j.backend.cpu.CpuReduce;
import org.unite4j.backend.cpu.CpuTp;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * GPU float32 against the CPU float64 reference {@link CpuKernels} (skipped without a GPU): fresh
 * random inputs, GPU outputs poisoned with NaN before each run, error measured as
 * max|gpu - cpu| / max|cpu| per output array, which must stay below 1e-5.
 */
class CudaCpuParityTest {
    static final double TOL = 1e-5;

    static double relErr(float[] gpu, double[] cpu, String what) {
        double maxErr = 0, maxRef = 0;
        for (int i = 0; i < cpu.length; i++) {
            if (!Float.isFinite(gpu[i])) fail(what + "[" + i + "] = " + gpu[i] + " on the GPU (unwritten?)");
            maxErr = Math.max(maxErr, Math.abs(gpu[i] - cpu[i]));
            maxRef = Math.max(maxRef, Math.abs(cpu[i]));
        }
        double rel = maxRef == 0 ? maxErr : maxErr / maxRef;
        System.out.printf("[cuda] parity %-28s max|err| %.3e  max|ref| %.3e  rel %.2e%n", what, maxErr, maxRef, rel);
        return rel;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static CsrGraph randomGraph(SplittableRandom r, int n, int maxDeg) {
        int[][] csr = randomCsr(r, n, maxDeg);
        return new CsrGraph(n, csr[0], csr[1]);
    }

    void checkTp(String name, TensorProductDescriptor d, int n, int maxDeg, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        CsrGraph g = randomGraph(r, n, maxDeg);
        int C = d.channels(), m = g.numEdges();
        float[] e = random(r, (long) m * d.edgeDim() * C), h = random(r, (long) n * d.nodeDim() * C),
                w = random(r, (long) m * d.numPaths() * C), go = random(r, (long) n * d.outDim() * C);
        double[] out = new double[n * d.outDim() * C], gE = new double[e.length], gH = new double[h.length], gW = new double[w.length];
        CpuTp.of(d).forward(g, toDouble(e), toDouble(h), toDouble(w), out);
        CpuTp.of(d).backward(g, toDouble(e), toDouble(h), toDouble(w), toDouble(go), gE, gH, gW);
        CudaTpPlan.forDescriptor(d); // the descriptor compiles to a kernel plan (checked without a GPU too)
        CudaBackend b = requireGpu();   // the reference above runs everywhere; the rest needs the GPU
        for (CudaKernels.TpSchedule schedule : CudaKernels.TpSchedule.presets())
            checkOnGpu(name + " " + schedule, new CudaKernels(b, schedule), d, g, e, h, w, go, out, gE, gH, gW);
    }

    void checkOnGpu(String name, CudaKernels K, TensorProductDescriptor d, CsrGraph g, float[] e, float[] h, float[] w, float[] go,
                    double[] out, double[] gE, double[] gH, double[] gW) {
        CudaBackend b = K.backend();
        int n = g.numNodes();
        try (DeviceBuffer de = b.upload(e); DeviceBuffer dh = b.upload(h); DeviceBuffer dw = b.upload(w); DeviceBuffer dg = b.upload(go);
             DeviceBuffer dOut = b.allocateFloats(out.length).fill(Float.NaN); DeviceBuffer dE = b.allocateFloats(e.length).fill(Float.NaN);
             DeviceBuffer dH = b.allocateFloats(h.length).fill(Float.NaN); DeviceBuffer dW = b.allocateFloats(w.length).fill(Float.NaN)) {
            K.tpForward(d, g, de, dh, dw, dOut);
            K.tpBackward(d, g, de, dh, dw, dg, dE, dH, dW);
            b.synchronize();
            assertTrue(relErr(dOut.downloadFloats(), out, name + " out") < TOL, name + " forward");
            assertTrue(relErr(dE.downloadFloats(), gE, name + " gradE") < TOL, name + " gradE");
            assertTrue(relErr(dH.downloadFloats(), gH, name + " gradH") < TOL, name + " gradH");
            assertTrue(relErr(dW.downloadFloats(), gW, name + " gradW") < TOL, name + " gradW");
            // the raw-pointer entry point on the same buffers gives bitwise the same forward
            float[] viaBuffers = dOut.downloadFloats();
            dOut.fill(Float.NaN);
            try (CudaGraph cg = CudaGraph.upload(b, g.rowPtr(), g.sender())) {
                K.tpForwardRaw(CudaTpPlan.forDescriptor(d), n, cg.rowPtr().address(), cg.sender().address(), de.address(), dh.address(),
                        dw.address(), dOut.address(), 0L);
                b.synchronize();
            }
            assertTrue(bitwiseEqual(viaBuffers, dOut.downloadFloats()), "raw-pointer forward equals the buffer forward");
        }
    }

    @Test
    void tensorProductMatchesCpuFloat64OnTheBenchmarkIrreps() {
        checkTp("0e+1o+2e C=32", TensorProductDescriptor.allPaths("32x0e+32x1o+32x2e", "32x0e+32x1o+32x2e", "32x0e+32x1o+32x2e"), 200, 24, 11);
    }

    @Test
    void tensorProductMatchesCpuFloat64UpToL4WithPartialChannelTiles() {
        checkTp("l<=4 C=40", TensorProductDescriptor.allPaths("40x0e+40x1o+40x2e+40x3o", "40x0e+40x1o+40x2e+40x4e",
                "40x0e+40x1o+40x1e+40x2e+40x3o+40x4e"), 61, 9, 12);
    }

    @Test
    void tensorProductMatchesCpuFloat64WithFewChannelsAndIsolatedNodes() {
        checkTp("odd C=5", TensorProductDescriptor.allPaths("5x1o+5x2e", "5x0e+5x1e", "5x1o+5x2o+5x3o"), 40, 3, 13);
    }

    @Test
    void segmentSumMatchesCpuFloat64() {
        SplittableRandom r = new SplittableRandom(21);
        int[] seg = {0, 0, 7, 8, 30, 30, 64};
        int width = 45;
        float[] x = random(r, 64L * width);
        double[] ref = new double[(seg.length - 1) * width];
        CpuReduce.segmentSum(seg, width, toDouble(x), ref);
        CudaBackend b = requireGpu();
        CudaKernels K = new CudaKernels(b);
        try (DeviceBuffer dx = b.upload(x); DeviceBuffer out = b.allocateFloats(ref.length).fill(Float.NaN)) {
            K.segmentSum(seg, width, dx, out);
            b.synchronize();
            assertTrue(relErr(out.downloadFloats(), ref, "segmentSum") < TOL);
        }
    }
}
