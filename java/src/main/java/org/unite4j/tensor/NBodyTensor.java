package org.unite4j.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A block-sparse N-body tensor (N = 1, 2 or 3) over the atoms of a molecule: for each kept tuple
 * of atoms (A1, ..., AN) a dense block T_{A1..AN} of shape numAo(A1) x ... x numAo(AN), row-major,
 * AOs of each atom laid out by its shells ({@link Basis}). Blocks are sorted lexicographically by
 * tuple (for N = 2: by receiver A, then B, which is CSR order).
 *
 * <p>Sparsity: a block is kept when its Frobenius norm satisfies
 * {@code -ln ||T_{A1..AN}||_F < tau} (tau = {@value #DEFAULT_TAU} by default, as in the UNiTE
 * authors' code); all-zero blocks are never kept. Immutable.
 */
public final class NBodyTensor {
    /** Default cutoff: keep blocks with -ln ||T_b||_F < 12, i.e. ||T_b||_F > 6.1e-6. */
    public static final double DEFAULT_TAU = 12.0;

    private final Basis basis;
    private final int order;
    private final int[] tuples;      // numBlocks * order
    private final int[] offset;      // numBlocks + 1, into data
    private final double[] data;
    private final double[] norms;

    private NBodyTensor(Basis basis, int order, int[] tuples, int[] offset, double[] data, double[] norms) {
        this.basis = basis;
        this.order = order;
        this.tuples = tuples;
        this.offset = offset;
        this.data = data;
        this.norms = norms;
    }

    private static void checkOrder(int order) {
        if (order < 1 || order > 3) throw new IllegalArgumentException("N-body order must be 1, 2 or 3, got " + order);
    }

    /** From a dense tensor over all AOs (length nao^N, row-major) with the default cutoff. */
    public static NBodyTensor fromDense(Basis basis, int order, double[] dense) {
        return fromDense(basis, order, dense, DEFAULT_TAU);
    }

    /** From a dense tensor over all AOs (length nao^N, row-major), keeping blocks with -ln||T_b||_F < tau. */
    public static NBodyTensor fromDense(Basis basis, int order, double[] dense, double tau) {
        checkOrder(order);
        int nao = basis.numAo(), na = basis.numAtoms();
        long expected = (long) Math.pow(nao, order);
        if (dense.length != expected)
            throw new IllegalArgumentException("dense " + order + "-body tensor over " + nao + " AOs needs " + expected
                    + " elements, got " + dense.length);
        if (Double.isNaN(tau)) throw new IllegalArgumentException("cutoff tau is NaN");
        List<int[]> keptTuples = new ArrayList<>();
        List<double[]> keptBlocks = new ArrayList<>();
        int[] t = new int[order];
        long numTuples = (long) Math.pow(na, order);
        for (long idx = 0; idx < numTuples; idx++) {
            long r = idx;
            for (int k = order - 1; k >= 0; k--) { t[k] = (int) (r % na); r /= na; }
            double[] block = extract(basis, order, dense, t);
            double norm = frobenius(block);
            if (keep(norm, tau)) { keptTuples.add(t.clone()); keptBlocks.add(block); }
        }
        return assemble(basis, order, keptTuples, keptBlocks);
    }

    /** Whether a block of this norm passes the cutoff: norm > 0 and -ln(norm) < tau. */
    public static boolean keep(double norm, double tau) {
        return norm > 0 && -Math.log(norm) < tau;
    }

    /**
     * From explicit blocks (no cutoff applied; zero blocks are dropped). Tuples must be distinct;
     * they are sorted.
     */
    public static NBodyTensor ofBlocks(Basis basis, int order, List<int[]> tuples, List<double[]> blocks) {
        checkOrder(order);
        if (tuples.size() != blocks.size()) throw new IllegalArgumentException(tuples.size() + " tuples but " + blocks.size() + " blocks");
        List<int[]> t = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (int i = 0; i < tuples.size(); i++) {
            int[] tu = tuples.get(i);
            if (tu.length != order) throw new IllegalArgumentException("tuple " + Arrays.toString(tu) + " is not of order " + order);
            int size = 1;
            for (int a : tu) {
                if (a < 0 || a >= basis.numAtoms()) throw new IllegalArgumentException("atom index " + a + " out of range");
                size *= basis.numAo(a);
            }
            if (blocks.get(i).length != size)
                throw new IllegalArgumentException("block " + Arrays.toString(tu) + " needs " + size + " elements, got " + blocks.get(i).length);
            if (frobenius(blocks.get(i)) > 0) { t.add(tu.clone()); b.add(blocks.get(i).clone()); }
        }
        Integer[] perm = new Integer[t.size()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        Arrays.sort(perm, (x, y) -> Arrays.compare(t.get(x), t.get(y)));
        List<int[]> ts = new ArrayList<>();
        List<double[]> bs = new ArrayList<>();
        for (int i = 0; i < perm.length; i++) {
            if (i > 0 && Arrays.equals(t.get(perm[i]), t.get(perm[i - 1])))
                throw new IllegalArgumentException("duplicate block " + Arrays.toString(t.get(perm[i])));
            ts.add(t.get(perm[i]));
            bs.add(b.get(perm[i]));
        }
        return assemble(basis, order, ts, bs);
    }

    private static NBodyTensor assemble(Basis basis, int order, List<int[]> tuples, List<double[]> blocks) {
        int nb = tuples.size();
        int[] tu = new int[nb * order];
        int[] off = new int[nb + 1];
        double[] norms = new double[nb];
        for (int b = 0; b < nb; b++) {
            System.arraycopy(tuples.get(b), 0, tu, b * order, order);
            off[b + 1] = off[b] + blocks.get(b).length;
            norms[b] = frobenius(blocks.get(b));
        }
        double[] data = new double[off[nb]];
        for (int b = 0; b < nb; b++) System.arraycopy(blocks.get(b), 0, data, off[b], blocks.get(b).length);
        return new NBodyTensor(basis, order, tu, off, data, norms);
    }

    private static double[] extract(Basis basis, int order, double[] dense, int[] t) {
        int nao = basis.numAo();
        int n0 = basis.numAo(t[0]), o0 = basis.aoOffset(t[0]);
        return switch (order) {
            case 1 -> Arrays.copyOfRange(dense, o0, o0 + n0);
            case 2 -> {
                int n1 = basis.numAo(t[1]), o1 = basis.aoOffset(t[1]);
                double[] b = new double[n0 * n1];
                for (int i = 0; i < n0; i++) System.arraycopy(dense, (o0 + i) * nao + o1, b, i * n1, n1);
                yield b;
            }
            default -> {
                int n1 = basis.numAo(t[1]), o1 = basis.aoOffset(t[1]);
                int n2 = basis.numAo(t[2]), o2 = basis.aoOffset(t[2]);
                double[] b = new double[n0 * n1 * n2];
                for (int i = 0; i < n0; i++)
                    for (int j = 0; j < n1; j++)
                        System.arraycopy(dense, ((o0 + i) * nao + o1 + j) * nao + o2, b, (i * n1 + j) * n2, n2);
                yield b;
            }
        };
    }

    static double frobenius(double[] x) {
        // scaled sum of squares: no overflow/underflow for extreme values
        double scale = 0, ssq = 1;
        for (double v : x) {
            if (v != 0) {
                double a = Math.abs(v);
                if (scale < a) { ssq = 1 + ssq * (scale / a) * (scale / a); scale = a; }
                else ssq += (a / scale) * (a / scale);
            }
        }
        return scale * Math.sqrt(ssq);
    }

    public Basis basis() { return basis; }

    /** N, the number of atoms per block. */
    public int order() { return order; }

    /** Number of kept (non-zero, above cutoff) blocks. */
    public int numBlocks() { return norms.length; }

    /** Number of stored elements (the sizes of the kept blocks summed). */
    public long numElements() { return data.length; }

    /** Number of stored elements that are not exactly zero. */
    public long numNonZeroElements() {
        long n = 0;
        for (double v : data) if (v != 0) n++;
        return n;
    }

    /** Total number of blocks, kept or not: numAtoms^N. */
    public long numPossibleBlocks() { return (long) Math.pow(basis.numAtoms(), order); }

    /** The atom tuple of block b (a copy). */
    public int[] tuple(int b) { return Arrays.copyOfRange(tuples, b * order, b * order + order); }

    /** Atom k of the tuple of block b. */
    public int atom(int b, int k) { return tuples[b * order + k]; }

    /** ||T_b||_F. */
    public double norm(int b) { return norms[b]; }

    /** A copy of block b (row-major over the AOs of its atoms). */
    public double[] block(int b) { return Arrays.copyOfRange(data, offset[b], offset[b + 1]); }

    /** Element of block b at flat index i, without copying. */
    public double get(int b, int i) { return data[offset[b] + i]; }

    /** Index of the block of this atom tuple, or -1 if it was not kept. */
    public int find(int... atoms) {
        if (atoms.length != order) throw new IllegalArgumentException("expected " + order + " atom indices");
        int lo = 0, hi = numBlocks() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compare(tuples, mid * order, mid * order + order, atoms, 0, order);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /** The kept blocks with a (tighter or equal) cutoff tau. */
    public NBodyTensor withCutoff(double tau) {
        List<int[]> t = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (int i = 0; i < numBlocks(); i++)
            if (keep(norms[i], tau)) { t.add(tuple(i)); b.add(block(i)); }
        return assemble(basis, order, t, b);
    }

    /** The dense tensor over all AOs (dropped blocks are zero), length nao^N row-major. */
    public double[] toDense() {
        int nao = basis.numAo();
        double[] d = new double[(int) Math.pow(nao, order)];
        for (int b = 0; b < numBlocks(); b++) {
            int[] t = tuple(b);
            int n0 = basis.numAo(t[0]), o0 = basis.aoOffset(t[0]);
            int src = offset[b];
            if (order == 1) System.arraycopy(data, src, d, o0, n0);
            else if (order == 2) {
                int n1 = basis.numAo(t[1]), o1 = basis.aoOffset(t[1]);
                for (int i = 0; i < n0; i++) System.arraycopy(data, src + i * n1, d, (o0 + i) * nao + o1, n1);
            } else {
                int n1 = basis.numAo(t[1]), o1 = basis.aoOffset(t[1]);
                int n2 = basis.numAo(t[2]), o2 = basis.aoOffset(t[2]);
                for (int i = 0; i < n0; i++)
                    for (int j = 0; j < n1; j++)
                        System.arraycopy(data, src + (i * n1 + j) * n2, d, ((o0 + i) * nao + o1 + j) * nao + o2, n2);
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return order + "-body tensor: " + numBlocks() + " of " + numPossibleBlocks() + " blocks, " + numElements() + " elements";
    }
}
