package org.unite4j.irreps;

/**
 * The non-zero entries of a real Clebsch-Gordan tensor C^{l3}_{l1 l2} (see {@link ClebschGordan}):
 * entry j is {@code C[i1[j]][i2[j]][i3[j]] = value[j]} with 0-based indices {@code i = m + l},
 * sorted by (i3, i1, i2) (the tables of a {@link TensorProductDescriptor#transposed()} descriptor keep the
 * order of the table they transpose). Shared from a cache: the arrays are exposed for speed and MUST NOT be
 * modified. Both field ({@code t.value}) and accessor ({@code t.value()}) access work.
 */
public final class CGTable {
    public final int l1, l2, l3;
    public final int[] i1, i2, i3;
    public final double[] value;

    CGTable(int l1, int l2, int l3, int[] i1, int[] i2, int[] i3, double[] value) {
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
        this.i1 = i1;
        this.i2 = i2;
        this.i3 = i3;
        this.value = value;
    }

    public int l1() { return l1; }

    public int l2() { return l2; }

    public int l3() { return l3; }

    /** Number of non-zero entries (0 for a forbidden triple). */
    public int nnz() { return value.length; }

    public int[] i1() { return i1; }

    public int[] i2() { return i2; }

    public int[] i3() { return i3; }

    public double[] value() { return value; }

    @Override
    public String toString() {
        return "CGTable(" + l1 + " x " + l2 + " -> " + l3 + ", nnz " + nnz() + ")";
    }
}
