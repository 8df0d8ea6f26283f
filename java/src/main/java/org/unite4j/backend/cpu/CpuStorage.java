package org.unite4j.backend.cpu;

import org.unite4j.backend.Backend;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;

/** A Java heap array: double[] for FLOAT64, float[] for FLOAT32. */
public final class CpuStorage implements Storage {
    private final CpuBackend backend;
    private final double[] d;
    private final float[] f;

    CpuStorage(CpuBackend backend, double[] d) {
        this.backend = backend;
        this.d = d;
        this.f = null;
    }

    CpuStorage(CpuBackend backend, float[] f) {
        this.backend = backend;
        this.d = null;
        this.f = f;
    }

    @Override
    public DType dtype() {
        return d != null ? DType.FLOAT64 : DType.FLOAT32;
    }

    @Override
    public int size() {
        return d != null ? d.length : f.length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The backing array of a FLOAT64 storage (shared, not a copy). */
    public double[] doubles() {
        if (d == null) {
            throw new IllegalStateException("storage is FLOAT32, not FLOAT64");
        }
        return d;
    }

    /** The backing array of a FLOAT32 storage (shared, not a copy). */
    public float[] floats() {
        if (f == null) {
            throw new IllegalStateException("storage is FLOAT64, not FLOAT32");
        }
        return f;
    }

    /** The values widened to double: the array itself for FLOAT64, a copy for FLOAT32. */
    double[] widened() {
        if (d != null) {
            return d;
        }
        double[] w = new double[f.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = f[i];
        }
        return w;
    }

    /** A double array to compute into: the array itself for FLOAT64, scratch for FLOAT32. */
    double[] target() {
        return d != null ? d : new double[f.length];
    }

    /** Stores a result computed in {@code t} (from {@link #target()}), rounding for FLOAT32. */
    void commit(double[] t) {
        if (t == d) {
            return;
        }
        if (d != null) {
            System.arraycopy(t, 0, d, 0, d.length);
            return;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t[i];
        }
    }
}
