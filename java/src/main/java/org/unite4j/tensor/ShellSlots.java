package org.unite4j.tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A fixed, padded layout of shell slots shared by every atom, so that every atom (N = 1) and every
 * atom pair (N = 2) decomposes into the same irreps whatever its elements. Slots are grouped by
 * angular momentum in increasing l; the k-th shell of angular momentum l of an atom (in basis
 * order) goes to the k-th slot of that l, and slots an atom lacks are zero. For GFN1-xTB (H: 1s 2s;
 * C: 2s 2p; S: 3s 3p 3d; Fe: 3d 4s 4p) this gives the slots s, s', p, d.
 */
public final class ShellSlots {
    private final int[] slotL;

    public ShellSlots(int... slotL) {
        for (int i = 0; i < slotL.length; i++)
            if (slotL[i] < 0 || (i > 0 && slotL[i] < slotL[i - 1]))
                throw new IllegalArgumentException("slot angular momenta must be >= 0 and non-decreasing");
        this.slotL = slotL.clone();
    }

    /** The smallest layout covering every given per-atom shell list. */
    public static ShellSlots covering(Collection<List<Basis.Shell>> shellLists) {
        int[] count = new int[8];
        for (List<Basis.Shell> shells : shellLists) {
            int[] c = new int[8];
            for (Basis.Shell s : shells) {
                if (s.l() >= c.length) throw new IllegalArgumentException("l = " + s.l() + " is not supported in shell slots");
                c[s.l()]++;
            }
            for (int l = 0; l < c.length; l++) count[l] = Math.max(count[l], c[l]);
        }
        List<Integer> ls = new ArrayList<>();
        for (int l = 0; l < count.length; l++) for (int k = 0; k < count[l]; k++) ls.add(l);
        return new ShellSlots(ls.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The layout covering all atoms of one basis. */
    public static ShellSlots covering(Basis basis) {
        List<List<Basis.Shell>> all = new ArrayList<>();
        for (int a = 0; a < basis.numAtoms(); a++) all.add(basis.shells(a));
        return covering(all);
    }

    public int numSlots() { return slotL.length; }

    public int l(int slot) { return slotL[slot]; }

    /** Sum over slots of 2l+1: the AO count of a fully padded atom. */
    public int paddedDim() {
        int d = 0;
        for (int l : slotL) d += 2 * l + 1;
        return d;
    }

    /** For each shell of the list, its slot; throws if the list does not fit this layout. */
    public int[] slotsOf(List<Basis.Shell> shells) {
        int[] out = new int[shells.size()];
        int[] used = new int[8];
        for (int s = 0; s < shells.size(); s++) {
            int l = shells.get(s).l();
            int k = used[l]++;
            int slot = -1, seen = 0;
            for (int i = 0; i < slotL.length; i++)
                if (slotL[i] == l && seen++ == k) { slot = i; break; }
            if (slot < 0) throw new IllegalArgumentException("shells " + shells + " do not fit the slot layout " + this);
            out[s] = slot;
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int[] seen = new int[8];
        for (int l : slotL) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append("spdfghik".charAt(l)).append("'".repeat(seen[l]++));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) { return o instanceof ShellSlots s && java.util.Arrays.equals(slotL, s.slotL); }

    @Override
    public int hashCode() { return java.util.Arrays.hashCode(slotL); }
}
