/**
 * In-process GFN1-/GFN2-xTB through libxtb (Panama bindings in {@code org.unite4j.bindings.xtb}):
 * AutoCloseable wrappers ({@link org.unite4j.chem.xtb.XtbEnvironment},
 * {@link org.unite4j.chem.xtb.XtbMolecule}, {@link org.unite4j.chem.xtb.XtbCalculator},
 * {@link org.unite4j.chem.xtb.XtbResults}) that turn libxtb's error stack into exceptions and reject
 * inputs that would crash the process, and the {@link org.unite4j.chem.xtb.XtbFeaturizer}, which
 * returns energy, gradient, dipole, charges and the AO operators F, P, S, W in the project's
 * real-spherical-harmonic convention.
 */
package org.unite4j.chem.xtb;
