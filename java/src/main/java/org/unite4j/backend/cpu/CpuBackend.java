package org.unite4j.backend.cpu;

import org.unite4j.backend.Backend;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.backend.LinearPlan;
import org.unite4j.backend.Storage;
import org.unite4j.backend.CompiledTp;
import org.unite4j.backend.UnaryOp;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The pure-Java backend: multi-threaded ({@link Parallel}), deterministic, float32 and float64.
 * The tensor product runs natively in both precisions ({@link CpuKernels}); the other kernels
 * compute float32 storages in float64 and round each result once. (Not final: tests subclass it
 * to stand in for a float32-only backend.)
 */
public class CpuBackend implements Backend {

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public CpuBackend() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative storage size " + size);
        }
        return dtype == DType.FLOAT64 ? new CpuStorage(this, new double[size]) : new CpuStorage(this, new float[size]);
    }

    /** Wraps an existing array without copying. */
    public Storage wrap(double[] data) {
        return new CpuStorage(this, data);
    }

    /** Wraps an existing array without copying. */
    public Storage wrap(float[] data) {
        return new CpuStorage(this, data);
    }

    @Override
    public Storage fromDoubles(double[] data, DType dtype) {
        if (dtype == DType.FLOAT64) return new CpuStorage(this, data.clone());
        CpuStorage s = (CpuStorage) allocate(dtype, data.length);
        s.commit(data);
        return s;
    }

    @Override
    public double[] toDoubles(Storage s) {
        CpuStorage c = cpu(s);
        return c.dtype() == DType.FLOAT64 ? c.doubles().clone() : c.widened();
    }

    @Override
    public Storage convert(Storage s, DType dtype) {
        return fromDoubles(cpu(s).widened(), dtype);
    }

    @Override
    public void unary(UnaryOp op, double p, Storage x, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuKernels.unary(op, p, cpu(x).widened(), t);
        o.commit(t);
    }

    @Override
    public void unaryBackward(UnaryOp op, double p, Storage x, Storage gy, Storage gx) {
        CpuStorage o = cpu(gx);
        double[] t = o.target();
        CpuKernels.unaryBackward(op, p, cpu(x).widened(), cpu(gy).widened(), t);
        o.commit(t);
    }

    @Override
    public void binary(BinaryOp op, Storage a, int[] aShape, Storage b, int[] bShape, Storage out, int[] outShape) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuKernels.binary(op, cpu(a).widened(), aShape, cpu(b).widened(), bShape, t, outShape);
        o.commit(t);
    }

    @Override
    public void reduceSum(Storage x, int[] shape, boolean[] reduce, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuReduce.reduceSum(cpu(x).widened(), shape, reduce, t);
        o.commit(t);
    }

    @Override
    public void matmul(Storage a, Storage b, Storage out, int m, int k, int n, boolean transA, boolean transB) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuDense.matmul(cpu(a).widened(), cpu(b).widened(), t, m, k, n, transA, transB);
        o.commit(t);
    }

    @Override
    public void copyBlocks(Storage src, int srcStride, int srcOffset, Storage dst, int dstStride, int dstOffset,
                           int outer, int count) {
        CpuStorage s = cpu(src), d = cpu(dst);
        if (s.dtype() != d.dtype()) {
            throw new IllegalArgumentException("copyBlocks between " + s.dtype() + " and " + d.dtype());
        }
        Object sa = s.dtype() == DType.FLOAT64 ? s.doubles() : s.floats();
        Object da = d.dtype() == DType.FLOAT64 ? d.doubles() : d.floats();
        for (int o = 0; o < outer; o++) {
            System.arraycopy(sa, srcOffset + o * srcStride, da, dstOffset + o * dstStride, count);
        }
    }

    @Override
    public void indexSelect(Storage x, int width, int[] index, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuReduce.indexSelect(cpu(x).widened(), width, index, t);
        o.commit(t);
    }

    @Override
    public void csrGatherSum(int[] ptr, int[] col, Storage x, int width, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuStorage xs = cpu(x);
        if (xs.dtype() == DType.FLOAT32) CpuReduce.csrGatherSum(ptr, col, width, xs.floats(), t);
        else CpuReduce.csrGatherSum(ptr, col, width, xs.doubles(), t);
        o.commit(t);
    }

    @Override
    public void irrepDot(BlockLayout layout, int rows, Storage a, Storage b, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuKernels.irrepDot(layout, rows, cpu(a).widened(), cpu(b).widened(), t);
        o.commit(t);
    }

    @Override
    public void irrepScale(BlockLayout layout, int rows, Storage x, Storage s, int sRows, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuKernels.irrepScale(layout, rows, cpu(x).widened(), cpu(s).widened(), sRows, t);
        o.commit(t);
    }

    @Override
    public void irrepLinear(LinearPlan plan, int rows, Storage x, Storage w, Storage out) {
        CpuStorage o = cpu(out);
        double[] t = o.target();
        CpuDense.irrepLinear(plan, rows, cpu(x).widened(), cpu(w).widened(), t);
        o.commit(t);
    }

    @Override
    public void irrepLinearBackward(LinearPlan plan, int rows, Storage x, Storage w, Storage gradOut,
                                    Storage gradX, Storage gradW) {
        double[] tx = gradX == null ? null : cpu(gradX).target();
        double[] tw = gradW == null ? null : cpu(gradW).target();
        CpuDense.irrepLinearBackward(plan, rows, x == null ? null : cpu(x).widened(), w == null ? null : cpu(w).widened(),
                cpu(gradOut).widened(), tx, tw);
        if (gradX != null) {
            cpu(gradX).commit(tx);
        }
        if (gradW != null) {
            cpu(gradW).commit(tw);
        }
    }

    /** The CPU lowering of d ({@link CpuTp}, cached per descriptor). */
    @Override
    public CompiledTp compile(TensorProductDescriptor d) {
        return CpuTp.of(d);
    }

    @Override
    public void adamStep(Storage p, Storage g, Storage m, Storage v, double lr, double beta1, double beta2,
                         double eps, double weightDecay, boolean decoupled, int t) {
        CpuStorage ps = cpu(p), ms = cpu(m), vs = cpu(v);
        double[] pa = ps.widened(), ma = ms.widened(), va = vs.widened();
        CpuKernels.adamStep(pa, cpu(g).widened(), ma, va, lr, beta1, beta2, eps, weightDecay, decoupled, t);
        ps.commit(pa);
        ms.commit(ma);
        vs.commit(va);
    }

    static CpuStorage cpu(Storage s) {
        if (s instanceof CpuStorage c) {
            return c;
        }
        throw new IllegalArgumentException("the cpu backend got a storage of backend "
                + (s == null ? "null" : s.backend().name()));
    }

    static double[] f64(Storage s) {
        return cpu(s).doubles();
    }

    static float[] f32(Storage s) {
        return cpu(s).floats();
    }
}
