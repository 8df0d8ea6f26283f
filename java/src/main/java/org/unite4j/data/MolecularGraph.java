package org.unite4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.NBodyTensor;

/**
 * One featurized molecule in the compact form the model consumes: the atoms, the xTB reference
 * energy and dipole, and the 2-body operator blocks T^(k)_AB (k over F, P, S, W) of every atom pair
 * that survives the cutoff, as raw AO blocks in CSR order by receiver A.
 *
 * <p>A pair (A, B) is kept when {@code -ln ||T^(k)_AB||_F < tau} for at least one operator k (the
 * diagonal pairs (A, A) always); for a kept pair the blocks of all four operators are stored (a
 * block that is itself below the cutoff is stored as zeros). This is the only place that looks at
 * all atom pairs, once per molecule; everything downstream is linear in the kept pairs.
 *
 * <p>Storage per pair: the four blocks one after the other, each numAo(A) x numAo(B) row-major in
 * the project's real-harmonic AO order ({@link XtbBasisSet}). Raw blocks are 3-6 times smaller than
 * their padded irrep decomposition, which is computed per batch ({@link GraphBatch}).
 */
public final class MolecularGraph {
    /** Operators in storage order. */
    public static final List<String> OPERATORS = XtbFeatures.OPERATORS;

    private static final int MAGIC = 0x55344a47; // "U4JG"
    private static final int FORMAT = 1;

    private final int[] z;
    private final double[] positions; // Angstrom, [atom][3]
    private final int charge;
    private final int multiplicity;
    private final XtbMethod method;
    private final double tau;
    private final double referenceEnergy; // Hartree
    private final double[] referenceDipole; // e*bohr
    private final int[] rowPtr; // [atoms + 1], pairs of receiver A (self included)
    private final int[] col; // partner B of every pair, increasing within a row
    private final int[] blockOffset; // [pairs + 1] into blocks
    private final double[] blocks;
    private final Basis basis;

    private MolecularGraph(int[] z, double[] positions, int charge, int multiplicity, XtbMethod method, double tau,
                           double referenceEnergy, double[] referenceDipole, int[] rowPtr, int[] col, double[] blocks) {
        this.z = z;
        this.positions = positions;
        this.charge = charge;
        this.multiplicity = multiplicity;
        this.method = method;
        this.tau = tau;
        this.referenceEnergy = referenceEnergy;
        this.referenceDipole = referenceDipole;
        this.rowPtr = rowPtr;
        this.col = col;
        this.basis = XtbBasisSet.basis(new Molecule(z, positions), method);
        this.blockOffset = new int[col.length + 1];
        for (int a = 0; a < z.length; a++)
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++)
                blockOffset[k + 1] = blockOffset[k] + OPERATORS.size() * basis.numAo(a) * basis.numAo(col[k]);
        if (blockOffset[col.length] != blocks.length)
            throw new IllegalArgumentException("featurized molecule: " + blocks.length + " block values, the pairs need "
                    + blockOffset[col.length]);
        this.blocks = blocks;
    }

    /**
     * Keeps the pairs that survive the cutoff for some operator (and every diagonal pair); the
     * single O(atoms^2) pass of the pipeline.
     */
    public static MolecularGraph of(XtbFeatures f, double tau) {
        Molecule m = f.molecule();
        int n = m.size();
        Basis basis = f.basis();
        int nao = basis.numAo();
        List<NBodyTensor> ops = new ArrayList<>();
        for (String op : OPERATORS) ops.add(f.tensor(op, tau));
        boolean[] keep = new boolean[n * n];
        for (int a = 0; a < n; a++) keep[a * n + a] = true;
        for (NBodyTensor t : ops)
            for (int b = 0; b < t.numBlocks(); b++) keep[t.atom(b, 0) * n + t.atom(b, 1)] = true;
        int[] rowPtr = new int[n + 1];
        List<Integer> cols = new ArrayList<>();
        int size = 0;
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++)
                if (keep[a * n + b]) {
                    cols.add(b);
                    size += OPERATORS.size() * basis.numAo(a) * basis.numAo(b);
                }
            rowPtr[a + 1] = cols.size();
        }
        double[] blocks = new double[size];
        int pos = 0;
        for (int a = 0; a < n; a++)
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                int b = cols.get(k);
                int na = basis.numAo(a), nb = basis.numAo(b), oa = basis.aoOffset(a), ob = basis.aoOffset(b);
                for (int o = 0; o < OPERATORS.size(); o++) {
                    NBodyTensor t = ops.get(o);
                    if (t.find(a, b) >= 0) {
                        double[] dense = f.operator(OPERATORS.get(o));
                        for (int i = 0; i < na; i++)
                            System.arraycopy(dense, (oa + i) * nao + ob, blocks, pos + i * nb, nb);
                    }
                    pos += na * nb;
                }
            }
        int[] col = cols.stream().mapToInt(Integer::intValue).toArray();
        return new MolecularGraph(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), f.method(), tau,
                f.energy(), f.dipole().clone(), rowPtr, col, blocks);
    }

    /**
     * A graph from given 2-body operator tensors (F, P, S, W in that order, each already cut off,
     * e.g. synthetic tensors with the block structure of real ones): the pairs are the union of their
     * blocks plus every diagonal pair; a block absent from one operator is stored as zeros. Costs
     * O(nnz log nnz) (no pass over all atom pairs), so it scales to large systems. Reference energy
     * and dipole are zero.
     */
    public static MolecularGraph ofTensors(Molecule m, XtbMethod method, double tau, List<NBodyTensor> operators) {
        if (operators.size() != OPERATORS.size())
            throw new IllegalArgumentException("expected " + OPERATORS.size() + " operators " + OPERATORS + ", got " + operators.size());
        int n = m.size();
        Basis basis = XtbBasisSet.basis(m, method);
        int count = n;
        for (NBodyTensor t : operators) {
            if (t.order() != 2) throw new IllegalArgumentException("operators must be 2-body tensors, got order " + t.order());
            if (t.basis().numAtoms() != n)
                throw new IllegalArgumentException("operator on " + t.basis().numAtoms() + " atoms, molecule has " + n);
            for (int a = 0; a < n; a++)
                if (t.basis().numAo(a) != basis.numAo(a))
                    throw new IllegalArgumentException("operator basis has " + t.basis().numAo(a) + " AOs on atom " + a + ", the "
                            + method + " basis " + basis.numAo(a));
            count += t.numBlocks();
        }
        long[] keys = new long[count];
        int k = 0;
        for (int a = 0; a < n; a++) keys[k++] = (long) a * n + a;
        for (NBodyTensor t : operators)
            for (int b = 0; b < t.numBlocks(); b++) keys[k++] = (long) t.atom(b, 0) * n + t.atom(b, 1);
        java.util.Arrays.sort(keys);
        int unique = 0;
        for (int i = 0; i < keys.length; i++) if (i == 0 || keys[i] != keys[i - 1]) keys[unique++] = keys[i];
        int[] rowPtr = new int[n + 1], col = new int[unique];
        int size = 0;
        for (int i = 0; i < unique; i++) {
            int a = (int) (keys[i] / n), b = (int) (keys[i] % n);
            col[i] = b;
            rowPtr[a + 1]++;
            size += OPERATORS.size() * basis.numAo(a) * basis.numAo(b);
        }
        for (int a = 0; a < n; a++) rowPtr[a + 1] += rowPtr[a];
        double[] blocks = new double[size];
        int pos = 0;
        for (int i = 0; i < unique; i++) {
            int a = (int) (keys[i] / n), b = (int) (keys[i] % n);
            int len = basis.numAo(a) * basis.numAo(b);
            for (NBodyTensor t : operators) {
                int blk = t.find(a, b);
                if (blk >= 0) for (int j = 0; j < len; j++) blocks[pos + j] = t.get(blk, j);
                pos += len;
            }
        }
        return new MolecularGraph(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), method, tau, 0.0,
                new double[3], rowPtr, col, blocks);
    }

    /**
     * The same pairs (and the same cutoff zeros: a block stored as zeros here stays zero) with the
     * blocks, positions, energy and dipole of {@code f}, the same molecule featurized at another
     * geometry. This keeps the graph fixed under small displacements, as derivatives need.
     */
    public MolecularGraph atSamePairs(XtbFeatures f) {
        Molecule m = f.molecule();
        if (!java.util.Arrays.equals(m.atomicNumbers(), z))
            throw new IllegalArgumentException("atSamePairs: a different molecule (" + m.formula() + ")");
        double[][] dense = new double[OPERATORS.size()][];
        for (int o = 0; o < dense.length; o++) dense[o] = f.operator(OPERATORS.get(o));
        return new MolecularGraph(z, m.positions(), charge, multiplicity, method, tau, f.energy(), f.dipole().clone(),
                rowPtr, col, valuesAtPairs(dense));
    }

    /**
     * The entries of dense nao x nao operators (in {@link #OPERATORS} order) at this graph's kept
     * blocks, in the layout of {@link #blockValues()}; blocks this graph stores as zeros stay zero.
     * Linear, so it maps operator derivatives to block-value derivatives too.
     */
    public double[] valuesAtPairs(double[][] dense) {
        if (dense.length != OPERATORS.size()) throw new IllegalArgumentException("valuesAtPairs: " + dense.length + " operators, expected " + OPERATORS.size());
        int nao = basis.numAo();
        double[] out = new double[blocks.length];
        forEachStoredBlock((o, pos, oa, ob, na, nb) -> {
            for (int i = 0; i < na; i++) System.arraycopy(dense[o], (oa + i) * nao + ob, out, pos + i * nb, nb);
        });
        return out;
    }

    /**
     * The transpose of {@link #valuesAtPairs}: block-value gradients scattered into dense
     * nao x nao matrices, one per operator (entries of zero blocks get nothing).
     */
    public double[][] denseFromValues(double[] values) {
        if (values.length != blocks.length)
            throw new IllegalArgumentException("denseFromValues: " + values.length + " values, the graph has " + blocks.length);
        int nao = basis.numAo();
        double[][] dense = new double[OPERATORS.size()][nao * nao];
        forEachStoredBlock((o, pos, oa, ob, na, nb) -> {
            for (int i = 0; i < na; i++)
                for (int j = 0; j < nb; j++) dense[o][(oa + i) * nao + ob + j] += values[pos + i * nb + j];
        });
        return dense;
    }

    /** A stored (non-zero) block: operator o, its offset in the block values, AO offsets and sizes of the pair. */
    private interface BlockVisitor {
        void visit(int operator, int position, int aoOffsetA, int aoOffsetB, int aosA, int aosB);
    }

    /** Visits every kept pair's block of every operator that this graph does not store as zeros. */
    private void forEachStoredBlock(BlockVisitor v) {
        for (int a = 0; a < z.length; a++)
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) {
                int b = col[k], na = basis.numAo(a), nb = basis.numAo(b);
                int len = na * nb;
                for (int o = 0; o < OPERATORS.size(); o++) {
                    int pos = blockOffset[k] + o * len;
                    boolean zero = true;
                    for (int j = 0; j < len && zero; j++) zero = blocks[pos + j] == 0.0;
                    if (!zero) v.visit(o, pos, basis.aoOffset(a), basis.aoOffset(b), na, nb);
                }
            }
    }

    /** The same graph with other block values (same layout as {@link #blockValues()}) and positions (Angstrom). */
    public MolecularGraph withValues(double[] newBlocks, double[] newPositions) {
        if (newBlocks.length != blocks.length || newPositions.length != positions.length)
            throw new IllegalArgumentException("withValues: " + newBlocks.length + " block values and " + newPositions.length
                    + " coordinates, the graph has " + blocks.length + " and " + positions.length);
        return new MolecularGraph(z, newPositions.clone(), charge, multiplicity, method, tau, referenceEnergy,
                referenceDipole, rowPtr, col, newBlocks.clone());
    }

    /** All block values, pair after pair (see {@link #blockOffset}), a copy. */
    public double[] blockValues() { return blocks.clone(); }

    /** Number of block values of all pairs and operators. */
    public int numBlockValues() { return blocks.length; }

    /** Where pair {@code pair}'s blocks start in {@link #blockValues()} (operators one after the other). */
    public int blockOffset(int pair) { return blockOffset[pair]; }

    public int numAtoms() { return z.length; }

    /** Kept pairs, diagonal ones included. */
    public int numPairs() { return col.length; }

    /** Kept off-diagonal pairs (the directed edges of the message passing). */
    public int numEdges() { return col.length - z.length; }

    public int[] atomicNumbers() { return z.clone(); }

    public int atomicNumber(int a) { return z[a]; }

    /** Coordinate k of atom a, Angstrom. */
    public double position(int a, int k) { return positions[3 * a + k]; }

    public double[] positions() { return positions.clone(); }

    public int charge() { return charge; }

    public int multiplicity() { return multiplicity; }

    public XtbMethod method() { return method; }

    public double tau() { return tau; }

    /** The xTB total energy of the featurizing method, Hartree. */
    public double referenceEnergy() { return referenceEnergy; }

    /** The xTB dipole of the featurizing method, e*bohr. */
    public double[] referenceDipole() { return referenceDipole.clone(); }

    public Basis basis() { return basis; }

    public int rowStart(int a) { return rowPtr[a]; }

    public int rowEnd(int a) { return rowPtr[a + 1]; }

    public int partner(int pair) { return col[pair]; }

    /** The AO block of operator o (index into {@link #OPERATORS}) of a pair, a fresh array. */
    public double[] block(int pair, int o) {
        int a = receiverOf(pair), b = col[pair];
        int len = basis.numAo(a) * basis.numAo(b);
        double[] out = new double[len];
        System.arraycopy(blocks, blockOffset[pair] + o * len, out, 0, len);
        return out;
    }

    /** The AO blocks of all {@link #OPERATORS} of a pair, fresh arrays in operator order. */
    public double[][] blocks(int pair) {
        double[][] out = new double[OPERATORS.size()][];
        for (int o = 0; o < out.length; o++) out[o] = block(pair, o);
        return out;
    }

    private int receiverOf(int pair) {
        int lo = 0, hi = z.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rowPtr[mid] <= pair) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Serialized form (little-endian, versioned) for the on-disk feature cache. */
    public byte[] toBytes() {
        int n = z.length, p = col.length;
        ByteBuffer bb = ByteBuffer.allocate(128 + 4 * n + 24 * n + 4 * (n + 1) + 4 * p + 8 * blocks.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(MAGIC).putInt(FORMAT).putInt(method.level()).putDouble(tau).putInt(n).putInt(p).putInt(blocks.length);
        bb.putInt(charge).putInt(multiplicity).putDouble(referenceEnergy);
        for (double d : referenceDipole) bb.putDouble(d);
        for (int v : z) bb.putInt(v);
        for (double v : positions) bb.putDouble(v);
        for (int v : rowPtr) bb.putInt(v);
        for (int v : col) bb.putInt(v);
        for (double v : blocks) bb.putDouble(v);
        byte[] out = new byte[bb.position()];
        bb.flip().get(out);
        return out;
    }

    /** Inverse of {@link #toBytes()}; a damaged or foreign file gives an IOException naming {@code source}. */
    public static MolecularGraph fromBytes(byte[] bytes, String source) throws IOException {
        try {
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bb.getInt() != MAGIC) throw new IOException(source + ": not a unite4j feature file");
            int fmt = bb.getInt();
            if (fmt != FORMAT) throw new IOException(source + ": feature file format " + fmt + ", expected " + FORMAT);
            XtbMethod method = XtbMethod.parse(Integer.toString(bb.getInt()));
            double tau = bb.getDouble();
            int n = bb.getInt(), p = bb.getInt(), nb = bb.getInt();
            if (n < 1 || p < n || nb < 0 || (long) nb * 8 > bytes.length) throw new IOException(source + ": corrupt sizes");
            int charge = bb.getInt(), mult = bb.getInt();
            double e = bb.getDouble();
            double[] dip = {bb.getDouble(), bb.getDouble(), bb.getDouble()};
            int[] z = new int[n];
            for (int i = 0; i < n; i++) z[i] = bb.getInt();
            double[] pos = new double[3 * n];
            for (int i = 0; i < 3 * n; i++) pos[i] = bb.getDouble();
            int[] rowPtr = new int[n + 1];
            for (int i = 0; i <= n; i++) rowPtr[i] = bb.getInt();
            int[] col = new int[p];
            for (int i = 0; i < p; i++) col[i] = bb.getInt();
            double[] blocks = new double[nb];
            for (int i = 0; i < nb; i++) blocks[i] = bb.getDouble();
            if (bb.hasRemaining()) throw new IOException(source + ": trailing bytes");
            if (rowPtr[0] != 0 || rowPtr[n] != p) throw new IOException(source + ": corrupt pair pointers");
            for (int i = 0; i < p; i++) if (col[i] < 0 || col[i] >= n) throw new IOException(source + ": corrupt pair list");
            return new MolecularGraph(z, pos, charge, mult, method, tau, e, dip, rowPtr, col, blocks);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException(source + ": truncated or corrupt feature file (" + e.getMessage() + ")", e);
        }
    }
}
