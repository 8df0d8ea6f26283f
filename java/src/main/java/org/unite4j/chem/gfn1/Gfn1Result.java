package org.unite4j.chem.gfn1;

import org.unite4j.chem.Molecule;
import org.unite4j.tensor.Basis;

/**
 * The converged GFN1-xTB wavefunction of one molecule. Matrices are dense nao x nao row-major in
 * the project's AO order ({@link Basis}); energies in Hartree.
 *
 * @param fock              F = H0 - S (V_mu + V_nu) / 2, the converged Hamiltonian (F C = S C eps)
 * @param density           P = C diag(f) C^T
 * @param overlap           S (unit diagonal)
 * @param energyWeighted    W = C diag(f eps) C^T
 * @param h0                the core Hamiltonian H0
 * @param shellCharges      q per shell: reference occupation minus Mulliken population
 * @param charges           q per atom (sum of its shells)
 * @param coordinationNumbers the exponential-counting CN of each atom
 * @param electronicEnergy  tr(P H0) + E2 + E3 - T S_el
 * @param iterations        SCF iterations taken
 */
public record Gfn1Result(Molecule molecule, Basis basis, double[] fock, double[] density, double[] overlap,
                         double[] energyWeighted, double[] h0, double[] orbitalEnergies, double[] occupations,
                         double[] shellCharges, double[] charges, double[] coordinationNumbers,
                         double bandEnergy, double secondOrderEnergy, double thirdOrderEnergy,
                         double electronicFreeEnergyTerm, double electronicEnergy, int iterations) {
    public int nao() { return basis.numAo(); }
}
