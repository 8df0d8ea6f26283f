package org.unite4j.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;
import org.unite4j.irreps.Rotations;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;

/**
 * Whole pipeline, float64: geometry -> GFN1-xTB (libxtb) -> block decomposition -> UNiTE. Under
 * r -> Q r the predicted energy must not change and the dipole must become Q mu, for proper
 * rotations, the inversion and an improper rotation, to 1e-8 relative.
 */
class PipelineEquivarianceTest {
    static final double TOL = 1e-8;
    // The learned part of E = sum_A b_Z + E_GFN1 + scale * E_net is checked on its own as well.

    static Molecule mol(String name, int[] z, double[] xyz) {
        return new Molecule(z, xyz, 0, 1, name, null);
    }

    /** Methanol and chloromethane (Cl brings GFN1 d shells, so l = 2 AO blocks are exercised). */
    static List<Molecule> molecules() {
        return List.of(
                mol("methanol", new int[]{6, 8, 1, 1, 1, 1}, new double[]{-0.046, 0.663, 0.0, -0.046, -0.757, 0.0, -1.086, 0.975, 0.0,
                        0.439, 1.065, 0.890, 0.439, 1.065, -0.890, 0.862, -1.053, 0.0}),
                mol("chloromethane", new int[]{6, 17, 1, 1, 1}, new double[]{0.0, 0.0, -1.12, 0.0, 0.0, 0.66, 1.03, 0.0, -1.47, -0.515,
                        0.892, -1.47, -0.515, -0.892, -1.47}));
    }

    @Test
    void energyInvariantAndDipoleEquivariantUnderO3() {
        XtbFeaturizer xtb = new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300.0, 250);
        UniteConfig cfg = UniteConfig.fromJson(Map.of("dtype", "float64"));
        Heads heads = new Heads("e", "kcal/mol", "mu", "D", true, new int[]{1, 6, 8, 17}, new double[]{-300, -23000, -47000, -288000}, 0,
                5.0, 1.0);
        UniteModel model = new UniteModel(cfg, heads, 21);
        Random r = new Random(8);
        for (var e : model.parameters().entrySet()) { // a model whose every path matters (the readouts start at zero)
            double[] v = e.getValue().toDoubles();
            for (int i = 0; i < v.length; i++) v[i] += 0.1 * r.nextGaussian();
            model.setParameter(e.getKey(), v);
        }
        List<MolecularGraph> base = new ArrayList<>();
        for (Molecule m : molecules()) base.add(MolecularGraph.of(xtb.featurize(m), 12.0));
        model.fitInputStatistics(base);
        model.setTraining(true);
        model.forward(GraphBatch.of(base, XtbMethod.GFN1)); // non-trivial EvNorm running statistics
        UniteModel.Prediction p0 = model.predict(base, 8);
        double[][] inv = {{-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
        List<double[][]> ops = new ArrayList<>();
        ops.add(Rotations.random(new Random(1)));
        ops.add(Rotations.random(new Random(2)));
        ops.add(inv);
        ops.add(Rotations.multiply(inv, Rotations.random(new Random(3))));
        double worstE = 0, worstD = 0;
        for (double[][] q : ops) {
            List<MolecularGraph> moved = new ArrayList<>();
            for (Molecule m : molecules()) moved.add(MolecularGraph.of(xtb.featurize(m.transformed(q)), 12.0));
            UniteModel.Prediction p = model.predict(moved, 8);
            for (int i = 0; i < base.size(); i++) {
                double e0 = p0.energy()[i] - heads.fixedEnergy(base.get(i).atomicNumbers(), base.get(i).referenceEnergy());
                double e1 = p.energy()[i] - heads.fixedEnergy(moved.get(i).atomicNumbers(), moved.get(i).referenceEnergy());
                // the learned part alone (the total is dominated by the element shifts and E_xTB)
                double relE = Math.max(Math.abs(p.energy()[i] - p0.energy()[i]) / Math.abs(p0.energy()[i]), Math.abs(e1 - e0) / Math.abs(e0));
                worstE = Math.max(worstE, relE);
                double[] rot = Rotations.apply(q, p0.dipole()[i]);
                double n = Math.sqrt(rot[0] * rot[0] + rot[1] * rot[1] + rot[2] * rot[2]), d = 0;
                for (int k = 0; k < 3; k++) d = Math.max(d, Math.abs(p.dipole()[i][k] - rot[k]));
                worstD = Math.max(worstD, d / n);
                assertTrue(relE < TOL, "energy of " + molecules().get(i).name() + " changed by " + relE + " (relative); learned parts "
                        + e0 + " vs " + e1);
                assertTrue(d / n < TOL, "dipole of " + molecules().get(i).name() + " is off Q mu by " + d / n + " (relative)");
                assertTrue(Math.abs(e0) > 1e-3 && n > 1e-3, "vacuous check: learned energy " + e0 + ", dipole norm " + n);
            }
        }
        System.out.printf("whole-pipeline equivariance: worst relative energy change %.2e, worst relative dipole error %.2e%n", worstE, worstD);
    }
}
