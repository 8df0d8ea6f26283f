package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unite4j.backend.cuda.GpuTestSupport.requireGpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The tensor product's second derivatives on CUDA (skipped without a GPU): the gradient of
 * S = <u, dL/dh> + <u_e, dL/de> + <u_w, dL/dw>, L = <v, TP(e, h; w)>, with respect to e, h, w and
 * v (every first and second derivative slot) against the CPU float64 reference, bitwise equal on a
 * rerun, and the time of that double backward relative to the forward (printed).
 */
class CudaTpSecondDerivativeGpuTest {
    @Test
    void doubleBackwardMatchesTheCpuAndIsDeterministic() {
        requireGpu();
        Backend cuda = Backends.get("cuda");
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("16x0e+16x1o+16x2e", "16x0e+16x1o+16x2e", "16x0e+16x1o+16x2e");
        int n = 2000, perNode = 12;
        Random r = new Random(3);
        int[] recv = new int[n * perNode], send = new int[n * perNode];
        for (int k = 0; k < recv.length; k++) {
            recv[k] = k / perNode;
            send[k] = r.nextInt(n);
        }
        CsrGraph g = CsrGraph.fromEdges(n, recv, send);
        int ne = g.numEdges();
        double[][] data = {gauss(r, ne * d.edgeWidth()), gauss(r, n * d.nodeWidth()), gauss(r, ne * d.weightWidth()),
                gauss(r, n * d.outWidth()), gauss(r, ne * d.edgeWidth()), gauss(r, n * d.nodeWidth()), gauss(r, ne * d.weightWidth())};
        double[] ref = second(Backends.cpu(), DType.FLOAT64, d, g, data);
        double[] one = second(cuda, DType.FLOAT32, d, g, data), two = second(cuda, DType.FLOAT32, d, g, data);
        assertArrayEquals(one, two, 0.0, "bitwise equal reruns");
        double diff = 0, scale = 1;
        for (int i = 0; i < ref.length; i++) {
            diff = Math.max(diff, Math.abs(ref[i] - one[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        System.out.printf("[cuda] TP double backward vs CPU float64: max rel err %.2e over %d values%n", diff / scale, ref.length);
        assertTrue(diff / scale < 1e-4, "CUDA double backward rel err " + diff / scale);
        // cost relative to the forward (warm: both already ran)
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) forward(cuda, d, g, data).item();
        long t1 = System.nanoTime();
        for (int i = 0; i < 5; i++) second(cuda, DType.FLOAT32, d, g, data);
        long t2 = System.nanoTime();
        System.out.printf("[cuda] TP %d nodes %d edges: forward %.3f ms, double backward (all slots) %.3f ms, ratio %.1f%n", n, ne,
                (t1 - t0) / 5e6, (t2 - t1) / 5e6, (double) (t2 - t1) / (t1 - t0));
    }

    private static Tensor forward(Backend b, TensorProductDescriptor d, CsrGraph g, double[][] x) {
        int ne = g.numEdges(), n = g.numNodes();
        return F.sum(F.tensorProduct(d, g, Tensor.of(b, DType.FLOAT32, x[0], ne, d.edgeWidth()),
                Tensor.of(b, DType.FLOAT32, x[1], n, d.nodeWidth()), Tensor.of(b, DType.FLOAT32, x[2], ne, d.weightWidth())));
    }

    /** dS/d(e, h, w, v), concatenated. */
    private static double[] second(Backend b, DType dt, TensorProductDescriptor d, CsrGraph g, double[][] x) {
        int ne = g.numEdges(), n = g.numNodes();
        Tensor e = Tensor.of(b, dt, x[0], ne, d.edgeWidth()).requiresGrad(true), h = Tensor.of(b, dt, x[1], n, d.nodeWidth()).requiresGrad(true),
                w = Tensor.of(b, dt, x[2], ne, d.weightWidth()).requiresGrad(true), v = Tensor.of(b, dt, x[3], n, d.outWidth()).requiresGrad(true);
        Tensor l = F.sum(F.mul(F.tensorProduct(d, g, e, h, w), v));
        Tensor[] gr = Tensor.grad(l, true, e, h, w);
        Tensor s = F.add(F.add(F.sum(F.mul(gr[0], Tensor.of(b, dt, x[4], ne, d.edgeWidth()))),
                F.sum(F.mul(gr[1], Tensor.of(b, dt, x[5], n, d.nodeWidth())))), F.sum(F.mul(gr[2], Tensor.of(b, dt, x[6], ne, d.weightWidth()))));
        List<Double> out = new ArrayList<>();
        for (Tensor t : Tensor.grad(s, false, e, h, w, v)) for (double y : t.toDoubles()) out.add(y);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] gauss(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * 0.5;
        return v;
    }
}
