package org.unite4j.irreps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An irreducible representation of O(3): degree {@code l >= 0} and parity {@code +1} ("e",
 * even) or {@code -1} ("o", odd). Written "1o", "2e". Dimension 2l + 1.
 *
 * <p>Under an orthogonal Q a feature of this irrep transforms with
 * {@code D_ir(Q) = parity^[det Q = -1] * D^l(det(Q) Q)} (see {@link WignerD#matrix(Irrep, double[][])}).
 * Selection rule of the tensor product: {@code l1 (x) l2 -> l} for {@code |l1-l2| <= l <= l1+l2},
 * with parity {@code p1 * p2}.
 */
public record Irrep(int l, int parity) implements Comparable<Irrep> {

    public Irrep {
        if (l < 0) throw new IllegalArgumentException("irrep degree l must be >= 0, got " + l);
        if (parity != 1 && parity != -1)
            throw new IllegalArgumentException("irrep parity must be +1 (e) or -1 (o), got " + parity);
    }

    /** The irrep of degree l with parity {@code (-1)^l}: how spherical harmonics and AO shells transform. */
    public static Irrep spherical(int l) {
        return new Irrep(l, (l & 1) == 0 ? 1 : -1);
    }

    /**
     * Parses "0e", "1o", "12e" (degree, then 'e' or 'o'; surrounding whitespace ignored).
     *
     * @throws IllegalArgumentException naming the string and what is wrong with it
     */
    public static Irrep parse(String s) {
        if (s == null) throw new IllegalArgumentException("irrep string is null");
        String t = s.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("irrep \"" + s + "\" is empty; expected e.g. \"1o\"");
        char last = t.charAt(t.length() - 1);
        int p;
        if (last == 'e') p = 1;
        else if (last == 'o') p = -1;
        else throw new IllegalArgumentException("irrep \"" + s + "\" must end with parity 'e' or 'o' (e.g. \"1o\"), found '"
                + last + "'");
        String digits = t.substring(0, t.length() - 1);
        if (digits.isEmpty())
            throw new IllegalArgumentException("irrep \"" + s + "\" has no degree l before the parity letter");
        if (digits.startsWith("-"))
            throw new IllegalArgumentException("irrep \"" + s + "\" has a negative degree l; l must be >= 0");
        for (int i = 0; i < digits.length(); i++)
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9')
                throw new IllegalArgumentException("irrep \"" + s + "\": degree \"" + digits + "\" is not a non-negative integer");
        int l;
        try {
            l = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("irrep \"" + s + "\": degree \"" + digits + "\" is too large");
        }
        return new Irrep(l, p);
    }

    /** 2l + 1. */
    public int dim() {
        return 2 * l + 1;
    }

    /** True for parity +1. */
    public boolean isEven() {
        return parity == 1;
    }

    /** The irreps in this (x) other, in increasing l: |l1-l2| .. l1+l2, parity p1*p2. */
    public List<Irrep> times(Irrep other) {
        List<Irrep> out = new ArrayList<>();
        int p = parity * other.parity;
        for (int k = Math.abs(l - other.l); k <= l + other.l; k++) out.add(new Irrep(k, p));
        return Collections.unmodifiableList(out);
    }

    /** The selection rule: whether {@code out} occurs in {@code a (x) b}. */
    public static boolean allowed(Irrep a, Irrep b, Irrep out) {
        return out.l >= Math.abs(a.l - b.l) && out.l <= a.l + b.l && out.parity == a.parity * b.parity;
    }

    /** Order by l, then even before odd: 0e &lt; 0o &lt; 1e &lt; 1o. */
    @Override
    public int compareTo(Irrep o) {
        if (l != o.l) return Integer.compare(l, o.l);
        return Integer.compare(-parity, -o.parity);
    }

    @Override
    public String toString() {
        return l + (parity == 1 ? "e" : "o");
    }
}
