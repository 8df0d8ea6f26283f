package org.unite4j.data.demo;

import org.unite4j.chem.Molecule;
import org.unite4j.chem.dynamics.Potential;
import org.unite4j.chem.xtb.XtbCalculator;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.chem.xtb.XtbMolecule;
import org.unite4j.chem.xtb.XtbResults;

/**
 * One in-process GFN-xTB single point that keeps only what labels need: total energy (Hartree),
 * gradient (Hartree/bohr, flat [atom][3]) and dipole (e*bohr). Settings: libxtb's defaults (300 K,
 * 250 iterations) but accuracy {@value #ACCURACY} instead of 1, i.e. SCC convergence 100 times
 * tighter: at accuracy 1 the dipole of a rotated molecule differs from the rotated dipole by up to
 * 2e-5 e*bohr, at {@value #ACCURACY} by less than 1e-6 (tested). (Energies differ from a default-accuracy
 * {@link org.unite4j.chem.xtb.XtbFeaturizer} single point by less than 1e-8 Eh.) Each call
 * owns its environment, so calls on several threads are independent and bitwise reproducible.
 */
record SinglePoint(double energy, double[] gradient, double[] dipole) {
    /** libxtb's accuracy parameter for labels (default 1; smaller is tighter). */
    static final double ACCURACY = 0.01;

    /** GFN-xTB with these settings as a {@link Potential} (the gradient comes with every single point). */
    static Potential potential(XtbMethod method) {
        return new Potential() {
            @Override
            public Evaluation evaluate(Molecule m, boolean gradient) {
                SinglePoint sp = of(m, method);
                return new Evaluation(sp.energy(), sp.gradient());
            }

            @Override
            public String toString() {
                return method.toString();
            }
        };
    }

    static SinglePoint of(Molecule m, XtbMethod method) {
        try (XtbEnvironment env = new XtbEnvironment();
             XtbMolecule mol = new XtbMolecule(env, m, method);
             XtbCalculator calc = new XtbCalculator(env, mol, method)) {
            calc.setAccuracy(ACCURACY);
            try (XtbResults res = calc.singlepoint(mol)) {
                return new SinglePoint(res.energy(), res.gradient(), res.dipole());
            }
        }
    }
}
