package org.unite4j.chem.gfn1;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.tensor.Basis;

/**
 * The GFN1-xTB basis of one molecule: per atom the shells of its parameter block, each a Slater
 * function expanded in Gaussians (1s and d shells with 4 primitives, other s and p with 6, the
 * second s shell of hydrogen with 3 and then orthogonalized against its 1s). A shell is a
 * valence shell unless an earlier shell of the atom has the same l (only hydrogen's 2s is not).
 * AO order and offsets are those of {@link XtbBasisSet#basis(Molecule, XtbMethod)}.
 */
final class Gfn1Basis {
    record Shell(int atom, int l, int principal, double slaterExponent, boolean valence, StoNG.Cgto cgto,
                 int aoOffset, int index) {
        int size() { return 2 * l + 1; }
    }

    final Basis layout;
    final Shell[] shells;
    /** shellStart[a] .. shellStart[a+1]-1 are the shells of atom a. */
    final int[] shellStart;

    Gfn1Basis(Molecule m, Gfn1Parameters params) {
        layout = XtbBasisSet.basis(m, XtbMethod.GFN1);
        int total = 0;
        shellStart = new int[m.size() + 1];
        for (int a = 0; a < m.size(); a++) {
            shellStart[a] = total;
            total += params.element(m.atomicNumber(a)).numShells();
        }
        shellStart[m.size()] = total;
        shells = new Shell[total];
        for (int a = 0; a < m.size(); a++) {
            Gfn1Parameters.Element e = params.element(m.atomicNumber(a));
            if (e.numShells() != layout.numShells(a))
                throw new IllegalStateException("parameter file and shell table disagree on element Z=" + e.z());
            StoNG.Cgto[] valenceOfL = new StoNG.Cgto[3];
            for (int s = 0; s < e.numShells(); s++) {
                int l = e.angular()[s], n = e.principal()[s];
                if (layout.shell(a, s).l() != l) throw new IllegalStateException("shell order differs for Z=" + e.z());
                boolean valence = valenceOfL[l] == null;
                int ng = l == 2 || n == 1 ? 4 : valence ? 6 : 3;
                StoNG.Cgto g = StoNG.slater(n, l, e.slaterExponent()[s], ng);
                if (valence) valenceOfL[l] = g;
                else g = g.orthogonalizedAgainst(valenceOfL[l]);
                int idx = shellStart[a] + s;
                shells[idx] = new Shell(a, l, n, e.slaterExponent()[s], valence, g,
                        layout.aoOffset(a) + layout.shellOffset(a, s), idx);
            }
        }
    }

    int numAo() { return layout.numAo(); }

    int numShells() { return shells.length; }
}
