package org.unite4j.backend.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.util.Arrays;
import jcuda.driver.CUevent;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * GPU benchmark of the fused tensor-product kernels: node and edge irreps 32x0e+32x1o+32x2e, out the
 * same, all 11 parity-allowed paths, weights per edge/path/channel; graphs with N nodes and 16 edges
 * per receiver, senders (a + 7j - 56) mod N for j = 0..15 (a local window, as in molecules;
 * benchmarks/e3nn_compare.py builds the same graph). Times are medians of CUDA-event timings after
 * warm-up; GB/s count each input read once and each output written once (the least traffic any
 * implementation needs), compared with the device-to-device copy bandwidth measured in the same run
 * (bytes read + written per second). Every kernel variant is timed (BLOCK: rows named tp_fwd,
 * bwd_edge, bwd_node; ROW: *_row; STAGED: *_stg; see {@link CudaKernels.Kind}), then the whole backward
 * of every preset {@link CudaKernels.TpSchedule} (tp_bwd_NAME, with its ratio to its own forward
 * kernel), and per size a "best" line: the fastest forward, the fastest backward preset and their ratio.
 *
 * <p>Usage: {@code java -cp ... org.unite4j.backend.cuda.CudaTpBenchmark [N1,N2,...] [reps]}.
 * Exit 3 with the reason where there is no usable GPU.
 */
public final class CudaTpBenchmark {
    static final int C = 32, DEG = 16;

    private CudaTpBenchmark() {}

    /** The benchmark graph: 16 edges per receiver a, senders (a + 7j - 56) mod n. */
    public static int[][] graph(int n) {
        int[] rowPtr = new int[n + 1];
        int[] sender = new int[n * DEG];
        for (int a = 0; a < n; a++) {
            rowPtr[a + 1] = rowPtr[a] + DEG;
            for (int j = 0; j < DEG; j++) sender[a * DEG + j] = Math.floorMod(a + 7 * j - 56, n);
        }
        return new int[][] {rowPtr, sender};
    }

    /** All parity-allowed paths of 0e+1o+2e (x) 0e+1o+2e -> 0e+1o+2e with 32 channels (11 paths). */
    public static TensorProductDescriptor descriptor() {
        String irreps = C + "x0e+" + C + "x1o+" + C + "x2e";
        return TensorProductDescriptor.allPaths(irreps, irreps, irreps);
    }

    /** Median of {@code reps} timings (ms) of {@code body}, after {@code warm} untimed runs. */
    static double medianMs(CudaBackend b, int warm, int reps, Runnable body) {
        for (int i = 0; i < warm; i++) body.run();
        b.synchronize();
        CUevent t0 = new CUevent(), t1 = new CUevent();
        CudaException.check(cuEventCreate(t0, 0), "cuEventCreate");
        CudaException.check(cuEventCreate(t1, 0), "cuEventCreate");
        double[] ms = new double[reps];
        float[] f = new float[1];
        try {
            for (int i = 0; i < reps; i++) {
                CudaException.check(cuEventRecord(t0, null), "cuEventRecord");
                body.run();
                CudaException.check(cuEventRecord(t1, null), "cuEventRecord");
                CudaException.check(cuEventSynchronize(t1), "cuEventSynchronize");
                CudaException.check(cuEventElapsedTime(f, t0, t1), "cuEventElapsedTime");
                ms[i] = f[0];
            }
        } finally {
            cuEventDestroy(t0);
            cuEventDestroy(t1);
        }
        Arrays.sort(ms);
        return reps % 2 == 1 ? ms[reps / 2] : 0.5 * (ms[reps / 2 - 1] + ms[reps / 2]);
    }

    static int argMin(double[] t) {
        int j = 0;
        for (int i = 1; i < t.length; i++) if (t[i] < t[j]) j = i;
        return j;
    }

    static String row(String kernel, String size, double ms, double bytes, double copyGBs) {
        double gbs = bytes / (ms * 1e-3) / 1e9;
        return String.format("%-19s %-22s %10.4f %10.1f %9.1f%%", kernel, size, ms, gbs, 100 * gbs / copyGBs);
    }

    public static void main(String[] args) {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1000, 10000, 50000, 200000};
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        if (!CudaBackend.isAvailable()) {
            System.out.println("no GPU: " + CudaBackend.unavailableReason());
            System.exit(3);
        }
        CudaBackend b = CudaBackend.get();
        CudaKernels K = new CudaKernels(b);
        System.out.println("device: " + b.describe());
        // copy bandwidth: 1 GiB device to device
        long copyBytes = 1L << 30;
        double copyGBs;
        try (DeviceBuffer src = b.allocate(copyBytes); DeviceBuffer dst = b.allocate(copyBytes)) {
            K.fillUniform(src, copyBytes / 4, 1, -1f, 1f);
            double ms = medianMs(b, 2, 11, () -> CudaException.check(cuMemcpyDtoD(dst.ptr(), src.ptr(), copyBytes), "cuMemcpyDtoD"));
            copyGBs = 2.0 * copyBytes / (ms * 1e-3) / 1e9;
            System.out.printf("copy bandwidth (device to device, 1 GiB, read+write): %.1f GB/s (%.3f ms)%n", copyGBs, ms);
        }
        b.pool().trim();
        System.out.println("irreps " + descriptor().edgeIrreps() + " (edge, node, out), " + descriptor().numPaths()
                + " paths, 16 edges/node; median of " + reps + " runs");
        System.out.printf("%-19s %-22s %10s %10s %10s%n", "kernel", "size", "time ms", "GB/s", "of copy");
        try (CudaTpPlan plan = CudaTpPlan.forDescriptor(descriptor())) {
            for (int n : sizes) {
                int[][] gr = graph(n);
                try (CudaGraph g = CudaGraph.upload(b, gr[0], gr[1])) {
                    long m = g.numEdges();
                    long nE = m * plan.edgeDim() * C, nH = (long) n * plan.nodeDim() * C, nW = m * plan.numPaths() * C, nO = (long) n * plan.outDim() * C;
                    try (DeviceBuffer e = b.allocateFloats(nE); DeviceBuffer h = b.allocateFloats(nH); DeviceBuffer w = b.allocateFloats(nW);
                         DeviceBuffer out = b.allocateFloats(nO); DeviceBuffer go = b.allocateFloats(nO); DeviceBuffer gE = b.allocateFloats(nE);
                         DeviceBuffer gH = b.allocateFloats(nH); DeviceBuffer gW = b.allocateFloats(nW)) {
                        K.fillUniform(e, nE, 11, -1f, 1f); K.fillUniform(h, nH, 12, -1f, 1f); K.fillUniform(w, nW, 13, -1f, 1f);
                        K.fillUniform(go, nO, 14, -1f, 1f);
                        String size = n + " nodes/" + m + " edges";
                        double idx = 4.0 * (n + 1 + m);
                        double fwdBytes = 4.0 * (nE + nH + nW + nO) + idx;
                        double edgeBytes = 4.0 * (nE + nH + nW + nO + nE + nW) + 8.0 * m;              // e,h,w,g read; gE,gW written; sender, receiver
                        double nodeBytes = 4.0 * (nE + nW + nO + nH) + 4.0 * (2 * m + n + 1);           // e,w,g read; gH written; receiver, tEdge, tRowPtr
                        double bwdBytes = edgeBytes + nodeBytes;                                         // the two launches
                        // each kernel variant once (forward, per-edge backward, per-node backward) ...
                        double[] tf = new double[3], te = new double[3], tn = new double[3];
                        for (CudaKernels.Kind k : CudaKernels.Kind.values()) {
                            CudaKernels Ks = new CudaKernels(b, new CudaKernels.TpSchedule(k.name(), k, k, k));
                            int i = k.ordinal();
                            tf[i] = medianMs(b, 3, reps, () -> Ks.tpForward(plan, g, e, h, w, out));
                            te[i] = medianMs(b, 3, reps, () -> Ks.tpBackwardEdgeRaw(plan, n, (int) m, g.rowPtr().address(), g.sender().address(),
                                    g.receiver().address(), e.address(), h.address(), w.address(), go.address(), gE.address(), gW.address(), 0L));
                            tn[i] = medianMs(b, 3, reps, () -> Ks.tpBackwardNodeRaw(plan, n, g.receiver().address(), g.tRowPtr().address(),
                                    g.tEdge().address(), e.address(), w.address(), go.address(), gH.address(), 0L));
                            System.out.println(row("tp_fwd" + k.suffix(), size, tf[i], fwdBytes, copyGBs));
                            System.out.println(row(" bwd_edge" + k.suffix(), size, te[i], edgeBytes, copyGBs));
                            System.out.println(row(" bwd_node" + k.suffix(), size, tn[i], nodeBytes, copyGBs));
                        }
                        // ... and the whole backward (both launches) of every preset schedule
                        int bestF = argMin(tf);
                        String bestName = null;
                        double bestT = Double.MAX_VALUE;
                        for (CudaKernels.TpSchedule sched : CudaKernels.TpSchedule.presets()) {
                            CudaKernels Ks = new CudaKernels(b, sched);
                            double tb = medianMs(b, 3, reps, () -> Ks.tpBackward(plan, g, e, h, w, go, gE, gH, gW));
                            System.out.println(row("tp_bwd_" + sched.name(), size, tb, bwdBytes, copyGBs)
                                    + String.format("  bwd/fwd %.2f", tb / tf[sched.fwd().ordinal()]));
                            if (tb < bestT) { bestT = tb; bestName = sched.name(); }
                        }
                        CudaKernels.Kind[] kinds = CudaKernels.Kind.values();
                        int bestE = argMin(te), bestN = argMin(tn);
                        System.out.printf("best %s: fwd %s %.4f ms; bwd %s %.4f ms; bwd/fwd %.2f (%.2f vs the BLOCK fwd); halves edge %s %.4f + node %s %.4f = %.4f ms%n",
                                size, kinds[bestF], tf[bestF], bestName, bestT, bestT / tf[bestF], bestT / tf[CudaKernels.Kind.BLOCK.ordinal()],
                                kinds[bestE], te[bestE], kinds[bestN], tn[bestN], te[bestE] + tn[bestN]);
                    }
                }
                b.pool().trim();
            }
        }
        System.out.println("pool: " + Arrays.toString(b.pool().counts()) + " (driver allocations, reuses)");
    }
}
