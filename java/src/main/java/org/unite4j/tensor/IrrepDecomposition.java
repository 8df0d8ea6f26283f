package org.unite4j.tensor;

import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;
import org.unite4j.irreps.Irrep;
import org.unite4j.irreps.Irreps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clebsch-Gordan decomposition of N-body tensor blocks (N = 1, 2) into O(3) irreps, with a fixed
 * padded {@link ShellSlots} layout so that every atom (N = 1) or atom pair (N = 2) gives the same
 * irreps (DESIGN.md section 4, step 1):
 * <pre>
 *   N = 2:  t_{AB; s1 s2; L}[M] = sum_{m1 m2} C^L_{l1 l2}[m1, m2, M] T[A s1 m1, B s2 m2],
 *           |l1 - l2| &lt;= L &lt;= l1 + l2, parity (-1)^(l1 + l2)
 *   N = 1:  t_{A; s; l}[m] = T[A s m], parity (-1)^l
 * </pre>
 * Since the real CG coefficients over all L form an orthogonal change of basis, recomposition is
 * T[A s1 m1, B s2 m2] = sum_L sum_M C^L_{l1 l2}[m1, m2, M] t_{AB; s1 s2; L}[M].
 *
 * <p>Output layout: the irreps {@link #irreps()} are sorted and simplified ("6x0e+6x1o+..."), one
 * "channel" per slot pair (or slot) that yields that irrep, in the project's "ir_mul" layout: the
 * value of channel u of irrep block i at component M is at {@code irreps().offset(i) + M * mul_i + u}.
 * {@link #channels(int)} names the slots of each channel. Slots an atom lacks give zeros.
 * Under r -> Q r the blocks transform as T' = D_A T D_B^T (D from shells' Wigner matrices) and the
 * irreps as t' = D_L(Q) t, parity included.
 */
public final class IrrepDecomposition {
    /** A channel: slots (slot2 = -1 for N = 1) and the irrep they produce. */
    public record Channel(int slot1, int slot2, Irrep irrep) {
    }

    private record Target(int block, int channel, CGTable cg) {
    }

    private final ShellSlots slots;
    private final int order;
    private final Irreps irreps;
    private final List<List<Channel>> channels;
    private final int[] offsets;
    private final int[] muls;
    /** For N = 2: targets of slot pair (a, b) at [a * numSlots + b]; for N = 1 at [a]. */
    private final Target[][] targets;

    public IrrepDecomposition(ShellSlots slots, int order) {
        if (order != 1 && order != 2)
            throw new IllegalArgumentException("irrep decomposition is implemented for N = 1 and 2, got " + order);
        this.slots = slots;
        this.order = order;
        int ns = slots.numSlots();
        TreeMap<Irrep, List<Channel>> byIrrep = new TreeMap<>();
        if (order == 1) {
            for (int a = 0; a < ns; a++) {
                int l = slots.l(a);
                Irrep ir = new Irrep(l, l % 2 == 0 ? 1 : -1);
                byIrrep.computeIfAbsent(ir, k -> new ArrayList<>()).add(new Channel(a, -1, ir));
            }
        } else {
            for (int a = 0; a < ns; a++)
                for (int b = 0; b < ns; b++) {
                    int l1 = slots.l(a), l2 = slots.l(b);
                    int p = (l1 + l2) % 2 == 0 ? 1 : -1;
                    for (int lo = Math.abs(l1 - l2); lo <= l1 + l2; lo++) {
                        Irrep ir = new Irrep(lo, p);
                        byIrrep.computeIfAbsent(ir, k -> new ArrayList<>()).add(new Channel(a, b, ir));
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
        targets = new Target[order == 1 ? ns : ns * ns][];
        List<List<Target>> tmp = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) tmp.add(new ArrayList<>());
        for (int i = 0; i < channels.size(); i++)
            for (int u = 0; u < channels.get(i).size(); u++) {
                Channel c = channels.get(i).get(u);
                if (order == 1) tmp.get(c.slot1()).add(new Target(i, u, null));
                else tmp.get(c.slot1() * ns + c.slot2()).add(new Target(i, u,
                        ClebschGordan.sparse(slots.l(c.slot1()), slots.l(c.slot2()), c.irrep().l())));
            }
        for (int i = 0; i < targets.length; i++) targets[i] = tmp.get(i).toArray(new Target[0]);
    }

    public ShellSlots slots() { return slots; }

    public int order() { return order; }

    /** The irreps of one decomposed block (sorted, simplified). */
    public Irreps irreps() { return irreps; }

    /** Length of one decomposed block. */
    public int dim() { return irreps.dim(); }

    /** The channels of irrep block i, in channel order u. */
    public List<Channel> channels(int i) { return channels.get(i); }

    /** Decomposes block b of t into a new array of length {@link #dim()}. */
    public double[] decompose(NBodyTensor t, int b) {
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
        checkTuple(basis, atoms, block);
        java.util.Arrays.fill(out, outOffset, outOffset + dim(), 0.0);
        int ns = slots.numSlots();
        int a0 = atoms[0];
        int[] slotA = slots.slotsOf(basis.shells(a0));
        if (order == 1) {
            for (int s = 0; s < slotA.length; s++) {
                int off = basis.shellOffset(a0, s);
                int dimS = basis.shell(a0, s).dim();
                for (Target tg : targets[slotA[s]]) {
                    int base = outOffset + offsets[tg.block()] + tg.channel();
                    for (int m = 0; m < dimS; m++) out[base + m * muls[tg.block()]] = block[off + m];
                }
            }
            return;
        }
        int a1 = atoms[1];
        int[] slotB = slots.slotsOf(basis.shells(a1));
        int nB = basis.numAo(a1);
        for (int s1 = 0; s1 < slotA.length; s1++) {
            int oA = basis.shellOffset(a0, s1);
            for (int s2 = 0; s2 < slotB.length; s2++) {
                int oB = basis.shellOffset(a1, s2);
                for (Target tg : targets[slotA[s1] * ns + slotB[s2]]) {
                    CGTable cg = tg.cg();
                    int mul = muls[tg.block()];
                    int base = outOffset + offsets[tg.block()] + tg.channel();
                    int[] i1 = cg.i1(), i2 = cg.i2(), i3 = cg.i3();
                    double[] v = cg.value();
                    for (int k = 0; k < v.length; k++)
                        out[base + i3[k] * mul] += v[k] * block[(oA + i1[k]) * nB + oB + i2[k]];
                }
            }
        }
    }

    /** Rebuilds the block of an atom tuple from its decomposition (inverse of {@link #decompose}). */
    public double[] recompose(Basis basis, int[] atoms, double[] t) {
        if (t.length != dim()) throw new IllegalArgumentException("expected " + dim() + " irrep components, got " + t.length);
        if (atoms.length != order) throw new IllegalArgumentException("expected " + order + " atoms");
        int ns = slots.numSlots();
        int a0 = atoms[0];
        int[] slotA = slots.slotsOf(basis.shells(a0));
        if (order == 1) {
            double[] block = new double[basis.numAo(a0)];
            for (int s = 0; s < slotA.length; s++) {
                int off = basis.shellOffset(a0, s);
                Target tg = targets[slotA[s]][0];
                int base = offsets[tg.block()] + tg.channel();
                for (int m = 0; m < basis.shell(a0, s).dim(); m++) block[off + m] = t[base + m * muls[tg.block()]];
            }
            return block;
        }
        int a1 = atoms[1];
        int[] slotB = slots.slotsOf(basis.shells(a1));
        int nB = basis.numAo(a1);
        double[] block = new double[basis.numAo(a0) * nB];
        for (int s1 = 0; s1 < slotA.length; s1++) {
            int oA = basis.shellOffset(a0, s1);
            for (int s2 = 0; s2 < slotB.length; s2++) {
                int oB = basis.shellOffset(a1, s2);
                for (Target tg : targets[slotA[s1] * ns + slotB[s2]]) {
                    CGTable cg = tg.cg();
                    int mul = muls[tg.block()];
                    int base = offsets[tg.block()] + tg.channel();
                    int[] i1 = cg.i1(), i2 = cg.i2(), i3 = cg.i3();
                    double[] v = cg.value();
                    for (int k = 0; k < v.length; k++)
                        block[(oA + i1[k]) * nB + oB + i2[k]] += v[k] * t[base + i3[k] * mul];
                }
            }
        }
        return block;
    }

    private void checkTuple(Basis basis, int[] atoms, double[] block) {
        if (atoms.length != order) throw new IllegalArgumentException("expected " + order + " atoms, got " + atoms.length);
        int size = 1;
        for (int a : atoms) size *= basis.numAo(a);
        if (block.length != size) throw new IllegalArgumentException("block needs " + size + " elements, got " + block.length);
    }

    @Override
    public String toString() {
        return "IrrepDecomposition[N=" + order + ", slots " + slots + " -> " + irreps + "]";
    }
}
