package org.unite4j.tensor;

import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clebsch-Gordan decomposition of N-body tensor blocks (N = 1, 2, 3) into O(3) irreps, with a
 * fixed padded {@link ShellSlots} layout so that every atom (N = 1), pair (N = 2) or triple (N = 3)
 * gives the same irreps whatever its elements (DESIGN.md section 4, step 1):
 * <pre>
 *   N = 1:  t_{A; s; l}[m] = T[A s m],                                          parity (-1)^l
 *   N = 2:  t_{AB; s1 s2; L}[M] = sum_{m1 m2} C^L_{l1 l2}[m1, m2, M] T[A s1 m1, B s2 m2],
 *           |l1 - l2| &lt;= L &lt;= l1 + l2,                                       parity (-1)^(l1+l2)
 *   N = 3:  t_{ABC; s1 s2 s3; L12 L}[M] = sum C^L12_{l1 l2}[m1, m2, M12] C^L_{L12 l3}[M12, m3, M]
 *                                            T[A s1 m1, B s2 m2, C s3 m3],       parity (-1)^(l1+l2+l3)
 * </pre>
 * The real CG coefficients over all L form an orthogonal change of basis, so the decomposition
 * keeps the Frobenius norm and recomposition is its transpose, e.g. for N = 2
 * T[A s1 m1, B s2 m2] = sum_L sum_M C^L_{l1 l2}[m1, m2, M] t_{AB; s1 s2; L}[M].
 *
 * <p>Output layout: the irreps {@link #irreps()} are sorted and simplified ("6x0e+6x1o+..."), one
 * "channel" per slot combination that yields that irrep, in the project's "ir_mul" layout: the
 * value of channel u of irrep block i at component M is at {@code irreps().offset(i) + M * mul_i + u}.
 * {@link #channels(int)} names the slots of each channel. Slots an atom lacks give zeros.
 * Under r -> Q r the blocks transform with the shells' Wigner matrices (T' = D_A T D_B^T for N = 2)
 * and the irreps as t' = D_L(Q) t, parity included.
 */
public final class IrrepDecomposition {
    /**
     * A channel: the slots of its shells (-1 where the order has fewer atoms), the intermediate
     * coupling L12 of the first two shells (N = 3 only, else -1), and the irrep produced.
     */
    public record Channel(int slot1, int slot2, int slot3, int l12, Irrep irrep) {
    }

    /** Where one slot combination contributes: irrep block, channel, CG tables (cg12 for N = 3). */
    private record Target(int block, int channel, CGTable cg12, CGTable cg) {
    }

    private final ShellSlots slots;
    private final int order;
    private final Irreps irreps;
    private final List<List<Channel>> channels;
    private final int[] offsets;
    private final int[] muls;
    /** Targets of slot combination (a), (a, b) or (a, b, c), flattened row-major over slots. */
    private final Target[][] targets;

    public IrrepDecomposition(ShellSlots slots, int order) {
        if (order < 1 || order > 3)
            throw new IllegalArgumentException("irrep decomposition is implemented for N = 1, 2 and 3, got " + order);
        this.slots = slots;
        this.order = order;
        int ns = slots.numSlots();
        TreeMap<Irrep, List<Channel>> byIrrep = new TreeMap<>();
        for (int a = 0; a < ns; a++) {
            int l1 = slots.l(a);
            if (order == 1) {
                add(byIrrep, new Channel(a, -1, -1, -1, new Irrep(l1, parity(l1))));
                continue;
            }
            for (int b = 0; b < ns; b++) {
                int l2 = slots.l(b);
                for (int l12 = Math.abs(l1 - l2); l12 <= l1 + l2; l12++) {
                    if (order == 2) {
                        add(byIrrep, new Channel(a, b, -1, -1, new Irrep(l12, parity(l1 + l2))));
                        continue;
                    }
                    for (int c = 0; c < ns; c++) {
                        int l3 = slots.l(c);
                        for (int lo = Math.abs(l12 - l3); lo <= l12 + l3; lo++)
                            add(byIrrep, new Channel(a, b, c, l12, new Irrep(lo, parity(l1 + l2 + l3))));
                    }
                }
            }
        }
        StringBuilder spec = new StringBuilder();
        channels = new ArrayList<>();
        for (Map.Entry<Irrep, List<Channel>> e : byIrrep.entrySet()) {
            if (!spec.isEmpty()) spec.append('+');
            spec.append(e.getValue().size()).append('x').append(e.getKey());
            channels.add(List.copyOf(e.getValue()));
        }
        irreps = Irreps.parse(spec.toString());
        offsets = new int[channels.size()];
        muls = new int[channels.size()];
        for (int i = 0; i < channels.size(); i++) {
            offsets[i] = irreps.offset(i);
            muls[i] = channels.get(i).size();
        }
        List<List<Target>> tmp = new ArrayList<>();
        for (int i = 0; i < (int) Math.pow(ns, order); i++) tmp.add(new ArrayList<>());
        for (int i = 0; i < channels.size(); i++)
            for (int u = 0; u < channels.get(i).size(); u++) {
                Channel c = channels.get(i).get(u);
                int lo = c.irrep().l();
                switch (order) {
                    case 1 -> tmp.get(c.slot1()).add(new Target(i, u, null, null));
                    case 2 -> tmp.get(c.slot1() * ns + c.slot2()).add(new Target(i, u, null,
                            ClebschGordan.sparse(slots.l(c.slot1()), slots.l(c.slot2()), lo)));
                    default -> tmp.get((c.slot1() * ns + c.slot2()) * ns + c.slot3()).add(new Target(i, u,
                            ClebschGordan.sparse(slots.l(c.slot1()), slots.l(c.slot2()), c.l12()),
                            ClebschGordan.sparse(c.l12(), slots.l(c.slot3()), lo)));
                }
            }
        targets = new Target[tmp.size()][];
        for (int i = 0; i < targets.length; i++) targets[i] = tmp.get(i).toArray(new Target[0]);
    }

    private static int parity(int lsum) { return lsum % 2 == 0 ? 1 : -1; }

    private static void add(TreeMap<Irrep, List<Channel>> m, Channel c) {
        m.computeIfAbsent(c.irrep(), k -> new ArrayList<>()).add(c);
    }

    public ShellSlots slots() { return slots; }

    public int order() { return order; }

    /** The irreps of one decomposed block (sorted, simplified). */
    public Irreps irreps() { return irreps; }

    /** Length of one decomposed block: (sum over slots of 2l+1)^N. */
    public int dim() { return irreps.dim(); }

    /** The channels of irrep block i, in channel order u. */
    public List<Channel> channels(int i) { return channels.get(i); }

    /** Decomposes block b of t into a new array of length {@link #dim()}. */
    public double[] decompose(NBodyTensor t, int b) {
        if (t.order() != order) throw new IllegalArgumentException("tensor of order " + t.order() + ", decomposition of order " + order);
        double[] out = new double[dim()];
        decompose(t.basis(), t.tuple(b), t.block(b), out, 0);
        return out;
    }

    /** All blocks of t: [block][dim]. */
    public double[][] decomposeAll(NBodyTensor t) {
        double[][] out = new double[t.numBlocks()][];
        for (int b = 0; b < t.numBlocks(); b++) out[b] = decompose(t, b);
        return out;
    }

    /**
     * Decomposes one block (row-major over the AOs of the tuple's atoms) into out[outOffset ..
     * outOffset + dim()), overwriting it.
     */
    public void decompose(Basis basis, int[] atoms, double[] block, double[] out, int outOffset) {
        decomposeMerged(basis, atoms, new double[][]{block}, out, outOffset);
    }

    /**
     * Decomposes the blocks of several operators on the same atom tuple (one walk over its shells)
     * into one row where, as in {@code GraphBatch}, irrep block i has {@code n = blocks.length}
     * times its channels: operator o, channel u, component M of block i lands at
     * {@code outOffset + n offset(i) + M n mul_i + o mul_i + u}; overwrites
     * out[outOffset .. outOffset + n dim()). With one block this is the plain ir_mul layout.
     */
    public void decomposeMerged(Basis basis, int[] atoms, double[][] blocks, double[] out, int outOffset) {
        if (blocks.length == 0) throw new IllegalArgumentException("no blocks to decompose");
        int size = checkTuple(basis, atoms, blocks[0].length);
        for (double[] bl : blocks)
            if (bl.length != size) throw new IllegalArgumentException("block needs " + size + " elements, got " + bl.length);
        int n = blocks.length;
        Arrays.fill(out, outOffset, outOffset + n * dim(), 0.0);
        new Walker(basis, atoms) {
            @Override
            void visit(int[] off, int[] dims, Target tg, int stride1, int stride2) {
                int mul = muls[tg.block()], step = n * mul;
                CGTable cg = tg.cg();
                for (int o = 0; o < n; o++) {
                    double[] block = blocks[o];
                    int base = outOffset + n * offsets[tg.block()] + o * mul + tg.channel();
                    if (order == 1) {
                        for (int m = 0; m < dims[0]; m++) out[base + m * step] = block[off[0] + m];
                    } else if (order == 2) {
                        for (int k = 0; k < cg.value().length; k++)
                            out[base + cg.i3()[k] * step] += cg.value()[k] * block[(off[0] + cg.i1()[k]) * stride1 + off[1] + cg.i2()[k]];
                    } else {
                        CGTable c12 = tg.cg12();
                        int n12 = 2 * c12.l3() + 1, n3 = dims[2];
                        double[] u = new double[n12 * n3];
                        for (int k = 0; k < c12.value().length; k++) {
                            int row = (off[0] + c12.i1()[k]) * stride1 + (off[1] + c12.i2()[k]) * stride2 + off[2];
                            for (int m3 = 0; m3 < n3; m3++) u[c12.i3()[k] * n3 + m3] += c12.value()[k] * block[row + m3];
                        }
                        for (int k = 0; k < cg.value().length; k++)
                            out[base + cg.i3()[k] * step] += cg.value()[k] * u[cg.i1()[k] * n3 + cg.i2()[k]];
                    }
                }
            }
        }.run();
    }

    /**
     * The adjoint of {@link #decomposeMerged}: the blocks x_o with sum_o <x_o, y_o> = <g, D(y)> for
     * every y, i.e. D^T applied to row g[gOffset ..] of the merged layout with {@code n} operators.
     * The decomposition is orthogonal on the blocks' space, so this is also its inverse there.
     */
    public double[][] decomposeMergedAdjoint(Basis basis, int[] atoms, double[] g, int gOffset, int n) {
        double[][] out = new double[n][];
        double[] t = new double[dim()];
        for (int o = 0; o < n; o++) {
            for (int i = 0; i < muls.length; i++) {
                int mul = muls[i], d = irreps.get(i).ir().dim();
                for (int m = 0; m < d; m++)
                    System.arraycopy(g, gOffset + n * offsets[i] + m * n * mul + o * mul, t, offsets[i] + m * mul, mul);
            }
            out[o] = recompose(basis, atoms, t);
        }
        return out;
    }

    /** Rebuilds the block of an atom tuple from its decomposition (inverse of {@link #decompose}). */
    public double[] recompose(Basis basis, int[] atoms, double[] t) {
        if (t.length != dim()) throw new IllegalArgumentException("expected " + dim() + " irrep components, got " + t.length);
        int size = checkTuple(basis, atoms, -1);
        double[] block = new double[size];
        new Walker(basis, atoms) {
            @Override
            void visit(int[] off, int[] dims, Target tg, int stride1, int stride2) {
                int mul = muls[tg.block()];
                int base = offsets[tg.block()] + tg.channel();
                CGTable cg = tg.cg();
                if (order == 1) {
                    for (int m = 0; m < dims[0]; m++) block[off[0] + m] = t[base + m * mul];
                } else if (order == 2) {
                    for (int k = 0; k < cg.value().length; k++)
                        block[(off[0] + cg.i1()[k]) * stride1 + off[1] + cg.i2()[k]] += cg.value()[k] * t[base + cg.i3()[k] * mul];
                } else {
                    CGTable c12 = tg.cg12();
                    int n12 = 2 * c12.l3() + 1, n3 = dims[2];
                    double[] u = new double[n12 * n3];
                    for (int k = 0; k < cg.value().length; k++) u[cg.i1()[k] * n3 + cg.i2()[k]] += cg.value()[k] * t[base + cg.i3()[k] * mul];
                    for (int k = 0; k < c12.value().length; k++) {
                        int row = (off[0] + c12.i1()[k]) * stride1 + (off[1] + c12.i2()[k]) * stride2 + off[2];
                        for (int m3 = 0; m3 < n3; m3++) block[row + m3] += c12.value()[k] * u[c12.i3()[k] * n3 + m3];
                    }
                }
            }
        }.run();
        return block;
    }

    /** Visits every shell combination of an atom tuple and each target of its slots. */
    private abstract class Walker {
        final Basis basis;
        final int[] atoms;

        Walker(Basis basis, int[] atoms) {
            this.basis = basis;
            this.atoms = atoms;
        }

        /**
         * @param off     offset of each shell within its atom's AOs
         * @param dims    2l+1 of each shell
         * @param stride1 row stride of the first index in the block (N = 2: numAo(B); N = 3: numAo(B) numAo(C))
         * @param stride2 stride of the second index (N = 3: numAo(C))
         */
        abstract void visit(int[] off, int[] dims, Target tg, int stride1, int stride2);

        void run() {
            int ns = slots.numSlots();
            int[][] slotOf = new int[order][];
            for (int k = 0; k < order; k++) slotOf[k] = slots.slotsOf(basis.shells(atoms[k]));
            int stride2 = order == 3 ? basis.numAo(atoms[2]) : 1;
            int stride1 = order == 1 ? 1 : basis.numAo(atoms[1]) * stride2;
            int[] off = new int[order], dims = new int[order], s = new int[order];
            int total = 1;
            for (int k = 0; k < order; k++) total *= slotOf[k].length;
            for (int idx = 0; idx < total; idx++) {
                int r = idx, key = 0;
                for (int k = order - 1; k >= 0; k--) { s[k] = r % slotOf[k].length; r /= slotOf[k].length; }
                for (int k = 0; k < order; k++) {
                    off[k] = basis.shellOffset(atoms[k], s[k]);
                    dims[k] = basis.shell(atoms[k], s[k]).dim();
                    key = key * ns + slotOf[k][s[k]];
                }
                for (Target tg : targets[key]) visit(off, dims, tg, stride1, stride2);
            }
        }
    }

    /** Validates the tuple (and the block length unless negative); returns the block size. */
    private int checkTuple(Basis basis, int[] atoms, int blockLength) {
        if (atoms.length != order) throw new IllegalArgumentException("expected " + order + " atoms, got " + atoms.length);
        int size = 1;
        for (int a : atoms) {
            if (a < 0 || a >= basis.numAtoms()) throw new IllegalArgumentException("atom index " + a + " out of range");
            size *= basis.numAo(a);
        }
        if (blockLength >= 0 && blockLength != size)
            throw new IllegalArgumentException("block needs " + size + " elements, got " + blockLength);
        return size;
    }

    @Override
    public String toString() {
        return "IrrepDecomposition[N=" + order + ", slots " + slots + " -> " + irreps + "]";
    }
}
