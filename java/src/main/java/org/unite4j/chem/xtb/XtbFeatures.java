package org.unite4j.chem.xtb;

import org.unite4j.chem.Molecule;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.NBodyTensor;

/**
 * The result of featurizing one molecule with GFN-xTB: scalars and atomic properties in libxtb's
 * units, and the 2-body AO operators as dense symmetric nao x nao row-major arrays in the
 * project's real-spherical-harmonic order and sign ({@link Basis}, DESIGN.md section 3):
 * <ul>
 *   <li>F, the converged Fock (Hamiltonian) matrix: F = S C diag(eps) C^T S</li>
 *   <li>P, the density matrix: P = C diag(f) C^T (trace(P S) = valence electrons)</li>
 *   <li>S, the overlap matrix: S = (C C^T)^-1 (unit diagonal)</li>
 *   <li>W, the energy-weighted density matrix: W = C diag(f eps) C^T</li>
 * </ul>
 * with C the MO coefficients, eps the orbital energies (Hartree) and f the occupations.
 * Arrays are shared, not copied: treat them as read-only.
 *
 * @param energy   total energy, Hartree
 * @param gradient dE/dr, Hartree/bohr, flat [atoms][3]
 * @param dipole   dipole moment, e*bohr
 * @param charges  partial charges, e
 */
public record XtbFeatures(Molecule molecule, XtbMethod method, Basis basis,
                          double energy, double[] gradient, double[] dipole, double[] charges,
                          double[] orbitalEnergies, double[] occupations,
                          double[] fock, double[] density, double[] overlap, double[] energyWeightedDensity) {

    /** Operator names in the order the model uses them. */
    public static final java.util.List<String> OPERATORS = java.util.List.of("F", "P", "S", "W");

    public int nao() { return basis.numAo(); }

    /** Operator "F", "P", "S" or "W" as a block-sparse 2-body tensor with cutoff tau (-ln||T_AB||_F < tau). */
    public NBodyTensor tensor(String name, double tau) {
        return NBodyTensor.fromDense(basis, 2, operator(name), tau);
    }

    /** Operator "F", "P", "S" or "W" as a 2-body tensor with the default cutoff (tau = 12). */
    public NBodyTensor tensor(String name) {
        return tensor(name, NBodyTensor.DEFAULT_TAU);
    }

    /** The operator named "F", "P", "S" or "W". */
    public double[] operator(String name) {
        return switch (name) {
            case "F" -> fock;
            case "P" -> density;
            case "S" -> overlap;
            case "W" -> energyWeightedDensity;
            default -> throw new IllegalArgumentException("unknown operator '" + name + "' (expected F, P, S or W)");
        };
    }
}
