package org.unite4j.chem.dynamics;

import org.unite4j.chem.Molecule;

/**
 * A potential-energy surface in atomic units, what the optimizer and the dynamics need: the
 * energy of a geometry and, when asked, its gradient. Implementations: the model
 * ({@code org.unite4j.model.Calculator#potential()}) and GFN-xTB (the demo data's minima).
 */
@FunctionalInterface
public interface Potential {

    /**
     * @param energy   Hartree
     * @param gradient dE/dR, Hartree/bohr, flat [atom][3]; null when not asked for
     */
    record Evaluation(double energy, double[] gradient) {
    }

    /** The energy of m and, with {@code gradient}, dE/dR (an implementation may give it anyway). */
    Evaluation evaluate(Molecule m, boolean gradient);
}
