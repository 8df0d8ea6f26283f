package org.unite4j.chem.xtb;

import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.ShellSlots;

import java.util.ArrayList;
import java.util.List;

/**
 * The minimal valence basis of GFN1-xTB and GFN2-xTB (from xtb 6.5's parameter files,
 * {@code ao=} lines), its valence-electron counts, and the map from xtb's AO order and signs to
 * the project's real-spherical-harmonic convention (DESIGN.md sections 3 and 5).
 *
 * <p>Supported elements: H to Rn (Z = 1..86), the range both parametrizations cover; heavier
 * elements are rejected up front because libxtb crashes the process on them. Within an atom the
 * shells come in xtb's order (e.g. H: 1s, 2s in GFN1; C: 2s, 2p; S: 3s, 3p, 3d; Fe: 3d, 4s, 4p).
 *
 * <p>AO convention: xtb orders p as (x, y, z) and d as (x^2-y^2, z^2, xy, xz, yz) with its z^2
 * function of opposite sign to the standard harmonic. Ours (m = -l..l) is p = (y, z, x) and
 * d = (xy, yz, z^2, xz, x^2-y^2): {@code ours[k] = SIGN[l][k] * xtb[PERM[l][k]]}.
 */
public final class XtbBasisSet {
    /** Highest atomic number of GFN1/GFN2 (Rn). */
    public static final int MAX_Z = 86;

    private static final String[] GFN1 = {
            "1s2s", "1s", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p3d",
            "3s3p", "3s3p", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "4s4p", "4s4p3d",
            "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "4s4p",
            "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "5s5p", "5s5p4d", "4d5s5p", "4d5s5p",
            "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "5s5p", "5s5p5d", "5s5p5d",
            "5s5p5d", "5s5p5d", "5s5p5d", "5s5p5d", "5s5p", "5s5p4d", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p",
            "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p",
            "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "6s6p",
            "6s6p", "6s6p", "6s6p", "6s6p5d", "6s6p5d", "6s6p5d",
    };
    private static final String[] GFN2 = {
            "1s", "1s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p", "2s2p3d",
            "3s3p", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "3s3p3d", "4s4p", "4s4p3d",
            "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "3d4s4p", "4s4p",
            "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "4s4p4d", "5s5p", "5s5p4d", "4d5s5p", "4d5s5p",
            "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "4d5s5p", "5s5p", "5s5p5d", "5s5p5d",
            "5s5p5d", "5s5p5d", "5s5p5d", "5s5p5d", "6s6p", "6s6p5d", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p",
            "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p",
            "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "5d6s6p", "6s6p",
            "6s6p", "6s6p", "6s6p", "6s6p", "6s6p5d", "6s6p5d",
    };

    /** {@code ours[k] = SIGN[l][k] * xtb[PERM[l][k]]} for l = 0, 1, 2. */
    static final int[][] PERM = {{0}, {1, 2, 0}, {2, 4, 1, 3, 0}};
    static final double[][] SIGN = {{1}, {1, 1, 1}, {1, 1, -1, 1, 1}};

    private XtbBasisSet() {
    }

    /** Throws a clear error unless libxtb supports element z with the given method. */
    public static void checkElement(int z, XtbMethod method) {
        if (z < 1 || z > MAX_Z)
            throw new IllegalArgumentException("element " + (z >= 1 && z <= Elements.MAX_Z ? Elements.symbol(z) + " " : "")
                    + "(Z = " + z + ") is not supported by " + method + " (supported: H to Rn, Z = 1..86)");
    }

    /** The shells of element z in xtb's AO order. */
    public static List<Basis.Shell> shells(int z, XtbMethod method) {
        checkElement(z, method);
        String spec = (method == XtbMethod.GFN1 ? GFN1 : GFN2)[z - 1];
        List<Basis.Shell> out = new ArrayList<>();
        for (int i = 0; i < spec.length(); i += 2)
            out.add(new Basis.Shell(spec.charAt(i) - '0', "spdf".indexOf(spec.charAt(i + 1))));
        return out;
    }

    /**
     * The padded shell-slot layout covering every supported element of a method (GFN1: s, s', p, d
     * because of hydrogen's 1s 2s; GFN2: s, p, d), so that all atom pairs of all molecules
     * decompose into the same irreps.
     */
    public static ShellSlots slots(XtbMethod method) {
        List<List<Basis.Shell>> all = new ArrayList<>();
        for (int z = 1; z <= MAX_Z; z++) all.add(shells(z, method));
        return ShellSlots.covering(all);
    }

    /** The AO basis of a molecule. */
    public static Basis basis(Molecule m, XtbMethod method) {
        List<List<Basis.Shell>> per = new ArrayList<>();
        for (int i = 0; i < m.size(); i++) per.add(shells(m.atomicNumber(i), method));
        return new Basis(per);
    }

    /**
     * Valence electrons of the neutral atom in GFN1/GFN2: electrons outside the noble-gas core and
     * outside filled d (Zn, Cd, Hg and the p blocks after them) and f shells (La..Lu keep 3).
     */
    public static int valenceElectrons(int z) {
        checkElement(z, XtbMethod.GFN1);
        if (z <= 2) return z;
        if (z <= 10) return z - 2;
        if (z <= 18) return z - 10;
        if (z <= 29) return z - 18;
        if (z == 30) return 2;
        if (z <= 36) return z - 28;
        if (z <= 47) return z - 36;
        if (z == 48) return 2;
        if (z <= 54) return z - 46;
        if (z <= 56) return z - 54;
        if (z <= 71) return 3;
        if (z <= 79) return z - 68;
        if (z == 80) return 2;
        return z - 78;
    }

    /** Valence electrons of a molecule: sum over atoms minus the total charge. */
    public static int valenceElectrons(Molecule m) {
        int n = -m.charge();
        for (int i = 0; i < m.size(); i++) n += valenceElectrons(m.atomicNumber(i));
        return n;
    }

    /**
     * Signed permutation from xtb's AO order to ours: {@code ours[i] = sign[i] * xtb[index[i]]}.
     *
     * @param index filled with the xtb AO index of each of our AOs
     * @param sign  filled with +1 or -1
     */
    public static void xtbToOurs(Basis basis, int[] index, double[] sign) {
        for (int a = 0; a < basis.numAtoms(); a++)
            for (int s = 0; s < basis.numShells(a); s++) {
                int l = basis.shell(a, s).l();
                if (l > 2) throw new IllegalStateException("f shells are not in GFN1/GFN2");
                int off = basis.aoOffset(a) + basis.shellOffset(a, s);
                for (int k = 0; k < 2 * l + 1; k++) {
                    index[off + k] = off + PERM[l][k];
                    sign[off + k] = SIGN[l][k];
                }
            }
    }
}
