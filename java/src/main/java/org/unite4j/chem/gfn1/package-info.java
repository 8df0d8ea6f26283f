/**
 * GFN1-xTB written in Java from the published method (Grimme, Bannwarth, Shushkov, JCTC 13, 1989
 * (2017)), with the parameters read at run time from the parameter file of the {@code xtb}
 * package ({@code param_gfn1-xtb.txt}): minimal basis of contracted Gaussians (STO-nG expansions
 * of the Slater functions), overlap, the extended-Hueckel-type H0 with coordination-number
 * dependent levels, shell-resolved isotropic second-order electrostatics, atomic third order and
 * a self-consistent charge cycle with Fermi smearing and Broyden mixing.
 *
 * <p>Entry point: {@link org.unite4j.chem.gfn1.Gfn1Calculator}. Results are in the project's AO
 * convention ({@link org.unite4j.chem.xtb.XtbBasisSet}), so the operators compare element by
 * element with those of libxtb.
 */
package org.unite4j.chem.gfn1;
