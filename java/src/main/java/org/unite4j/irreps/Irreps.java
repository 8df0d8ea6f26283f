package org.unite4j.irreps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable direct sum of O(3) irreps with multiplicities, written like e3nn:
 * {@code "16x0e+8x1o+4x2e"} ("1o" alone means multiplicity 1). Block i holds {@code mul_i}
 * copies of irrep {@code ir_i}; the flat feature vector has {@link #dim()} =
 * {@code sum_i mul_i (2 l_i + 1)} entries and block i starts at {@link #offset(int)} =
 * {@code sum_{j<i} mul_j (2 l_j + 1)}. Inside a block the project's layout is "ir_mul"
 * (m outer, channel inner): index {@code offset(i) + m * mul_i + c} (see DESIGN.md section 3).
 */
public final class Irreps implements Iterable<Irreps.MulIrrep> {

    /** {@code mul} copies of {@code ir}; {@code mul >= 1}. */
    public record MulIrrep(int mul, Irrep ir) {
        public MulIrrep {
            if (ir == null) throw new IllegalArgumentException("irrep is null");
            if (mul < 1) throw new IllegalArgumentException("multiplicity must be >= 1, got " + mul + " for " + ir);
        }

        /** mul * (2l + 1). */
        public int dim() {
            return mul * ir.dim();
        }

        @Override
        public String toString() {
            return mul + "x" + ir;
        }
    }

    private final List<MulIrrep> blocks;
    private final int[] offsets; // length size()+1

    private Irreps(List<MulIrrep> blocks) {
        this.blocks = Collections.unmodifiableList(new ArrayList<>(blocks));
        offsets = new int[this.blocks.size() + 1];
        for (int i = 0; i < this.blocks.size(); i++) {
            long next = (long) offsets[i] + (long) this.blocks.get(i).mul() * this.blocks.get(i).ir().dim();
            if (next > Integer.MAX_VALUE) throw new IllegalArgumentException("irreps dimension overflows int");
            offsets[i + 1] = (int) next;
        }
    }

    /** The irreps made of these blocks, in order (may be empty). */
    public static Irreps of(List<MulIrrep> blocks) {
        for (MulIrrep b : blocks) if (b == null) throw new IllegalArgumentException("null block in irreps");
        return new Irreps(blocks);
    }

    /** The irreps made of these blocks, in order. */
    public static Irreps of(MulIrrep... blocks) {
        return of(Arrays.asList(blocks));
    }

    /** {@code mul} copies of each irrep, in order: {@code uniform(16, "0e", "1o")} is "16x0e+16x1o". */
    public static Irreps uniform(int mul, Irrep... irreps) {
        List<MulIrrep> b = new ArrayList<>();
        for (Irrep ir : irreps) b.add(new MulIrrep(mul, ir));
        return new Irreps(b);
    }

    /**
     * Parses "16x0e+8x1o", "0e + 1o" (multiplicity 1), whitespace around terms allowed.
     *
     * @throws IllegalArgumentException quoting the string and naming the faulty term
     */
    public static Irreps parse(String s) {
        if (s == null) throw new IllegalArgumentException("irreps string is null");
        if (s.isBlank())
            throw new IllegalArgumentException("irreps \"" + s + "\" is empty; expected e.g. \"16x0e+8x1o\"");
        List<MulIrrep> out = new ArrayList<>();
        String[] terms = s.split("\\+", -1);
        for (String raw : terms) {
            String term = raw.strip();
            if (term.isEmpty())
                throw new IllegalArgumentException("irreps \"" + s + "\" has an empty term (stray '+')");
            int x = term.indexOf('x');
            int mul = 1;
            String irs = term;
            if (x >= 0) {
                String ms = term.substring(0, x).strip();
                irs = term.substring(x + 1).strip();
                if (ms.isEmpty())
                    throw new IllegalArgumentException("irreps \"" + s + "\": term \"" + term + "\" has no multiplicity before 'x'");
                if (ms.startsWith("-"))
                    throw new IllegalArgumentException("irreps \"" + s + "\": term \"" + term + "\" has a negative multiplicity; it must be >= 1");
                for (int i = 0; i < ms.length(); i++)
                    if (ms.charAt(i) < '0' || ms.charAt(i) > '9')
                        throw new IllegalArgumentException("irreps \"" + s + "\": multiplicity \"" + ms + "\" in term \"" + term
                                + "\" is not a positive integer");
                try {
                    mul = Integer.parseInt(ms);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("irreps \"" + s + "\": multiplicity \"" + ms + "\" is too large");
                }
                if (mul < 1)
                    throw new IllegalArgumentException("irreps \"" + s + "\": term \"" + term + "\" has multiplicity " + mul + "; it must be >= 1");
                if (irs.isEmpty())
                    throw new IllegalArgumentException("irreps \"" + s + "\": term \"" + term + "\" has no irrep after 'x' (e.g. \"16x0e\")");
            }
            Irrep ir;
            try {
                ir = Irrep.parse(irs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("irreps \"" + s + "\": term \"" + term + "\": " + e.getMessage(), e);
            }
            out.add(new MulIrrep(mul, ir));
        }
        return new Irreps(out);
    }

    /** Number of blocks. */
    public int size() {
        return blocks.size();
    }

    /** Block i. */
    public MulIrrep get(int i) {
        return blocks.get(i);
    }

    /** The blocks, unmodifiable. */
    public List<MulIrrep> blocks() {
        return blocks;
    }

    /** sum_i mul_i (2 l_i + 1). */
    public int dim() {
        return offsets[blocks.size()];
    }

    /** Start of block i in the flat vector: sum_{j<i} mul_j (2 l_j + 1); offset(size()) = dim(). */
    public int offset(int i) {
        if (i < 0 || i > blocks.size())
            throw new IndexOutOfBoundsException("block " + i + " of irreps with " + blocks.size() + " blocks");
        return offsets[i];
    }

    /** sum_i mul_i. */
    public int numIrreps() {
        int n = 0;
        for (MulIrrep b : blocks) n += b.mul();
        return n;
    }

    /** Largest l, or -1 when empty. */
    public int lmax() {
        int m = -1;
        for (MulIrrep b : blocks) m = Math.max(m, b.ir().l());
        return m;
    }

    /** Index of the first block whose irrep is {@code ir}, or -1. */
    public int indexOf(Irrep ir) {
        for (int i = 0; i < blocks.size(); i++) if (blocks.get(i).ir().equals(ir)) return i;
        return -1;
    }

    /** Merges adjacent blocks of the same irrep: "1x0e+2x0e+1x1o+3x0e" -> "3x0e+1x1o+3x0e". */
    public Irreps simplify() {
        List<MulIrrep> out = new ArrayList<>();
        for (MulIrrep b : blocks) {
            int n = out.size();
            if (n > 0 && out.get(n - 1).ir().equals(b.ir())) out.set(n - 1, new MulIrrep(out.get(n - 1).mul() + b.mul(), b.ir()));
            else out.add(b);
        }
        return new Irreps(out);
    }

    /**
     * The blocks stably sorted by irrep ({@link Irrep#compareTo}: l, then even before odd). Not
     * merged: call {@link #simplify()} after to merge equal irreps.
     */
    public Irreps sort() {
        int[] p = sortPermutation();
        List<MulIrrep> out = new ArrayList<>();
        for (int i : p) out.add(blocks.get(i));
        return new Irreps(out);
    }

    /** {@code perm[k]} = index in this of the k-th block of {@link #sort()}. */
    public int[] sortPermutation() {
        Integer[] idx = new Integer[blocks.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> blocks.get(a).ir().compareTo(blocks.get(b).ir())); // stable merge sort
        int[] p = new int[idx.length];
        for (int i = 0; i < p.length; i++) p[i] = idx[i];
        return p;
    }

    /**
     * The full tensor product of two irreps lists, before simplification: for each block pair
     * (i of this, j of other) in that order, for each allowed irrep of ir_i (x) ir_j, mul_i*mul_j copies.
     */
    public Irreps tensorProduct(Irreps other) {
        List<MulIrrep> out = new ArrayList<>();
        for (MulIrrep a : blocks)
            for (MulIrrep b : other.blocks)
                for (Irrep ir : a.ir().times(b.ir())) out.add(new MulIrrep(Math.multiplyExact(a.mul(), b.mul()), ir));
        return new Irreps(out);
    }

    /**
     * Converts one feature vector from this project's "ir_mul" layout (block i: index
     * {@code offset(i) + m * mul_i + c}) to e3nn's "mul_ir" layout ({@code offset(i) + c * (2l_i+1) + m}).
     */
    public double[] irMulToMulIr(double[] x) {
        return relayout(x, true);
    }

    /** Inverse of {@link #irMulToMulIr}: e3nn's "mul_ir" layout to this project's "ir_mul". */
    public double[] mulIrToIrMul(double[] x) {
        return relayout(x, false);
    }

    private double[] relayout(double[] x, boolean toMulIr) {
        if (x.length != dim())
            throw new IllegalArgumentException("feature length " + x.length + " != dim " + dim() + " of irreps " + this);
        double[] y = new double[x.length];
        for (int i = 0; i < blocks.size(); i++) {
            int off = offsets[i], mul = blocks.get(i).mul(), d = blocks.get(i).ir().dim();
            for (int m = 0; m < d; m++)
                for (int c = 0; c < mul; c++) {
                    int irMul = off + m * mul + c, mulIr = off + c * d + m;
                    if (toMulIr) y[mulIr] = x[irMul];
                    else y[irMul] = x[mulIr];
                }
        }
        return y;
    }

    @Override
    public Iterator<MulIrrep> iterator() {
        return blocks.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Irreps other && blocks.equals(other.blocks);
    }

    @Override
    public int hashCode() {
        return blocks.hashCode();
    }

    /** "16x0e+8x1o" (multiplicity always written; the empty irreps print as ""). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            if (i > 0) sb.append('+');
            sb.append(blocks.get(i));
        }
        return sb.toString();
    }
}
