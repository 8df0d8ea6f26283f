package org.unite4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.MolecularGraph;
import org.unite4j.irreps.Rotations;

/**
 * Forces of the whole pipeline (float64): the model's input gradients against finite
 * differences of the model, forces against central differences of the energy the same
 * calculator predicts (featurization included), rotation/inversion covariance and zero net
 * force. Molecules with H, C, N, O and S.
 */
class ForcesTest {
    static final List<Molecule> MOLECULES = List.of(TestMolecules.methanethiol(), TestMolecules.formamide());
    static List<MolecularGraph> graphs = new ArrayList<>();
    /** Readouts with random weights of scale 0.3 (large, curved energies: a hard test of the derivatives). */
    static UniteModel model;
    /** Readouts of scale 0.01: GFN1 plus a small learned-looking correction, a surface to move on. */
    static UniteModel tame;

    @BeforeAll
    static void setUp() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        // libxtb's tightest SCF: at its default accuracy the energy itself is converged to ~1e-6 Eh,
        // which central differences of the whole pipeline would turn into ~1 kcal/mol/A of noise
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250);
        for (Molecule m : MOLECULES) graphs.add(MolecularGraph.of(x.featurize(m), 12.0));
        UniteConfig c = UniteConfig.fromJson(Map.of("hidden", "8x0e+4x1o+4x2e", "tp_channels", 4, "blocks", 2, "edge_hidden", 8,
                "mlp_hidden", 8, "dtype", "float64", "method", "gfn1", "accuracy", 1e-4));
        // delta learning, so the xTB gradient is part of the forces too
        Heads h = new Heads("e", "kcal/mol", "mu", "D", true, new int[]{1, 6, 7, 8, 16}, new double[]{-1, -2, -3, -4, -5}, 0.5, 2.0, 1.0);
        model = withReadouts(new UniteModel(c, h, 17), 0.3);
        tame = withReadouts(new UniteModel(c, h, 17), 0.01);
    }

    /** The readouts start at zero (E_net would depend on nothing): give them random weights. */
    static UniteModel withReadouts(UniteModel m, double scale) {
        m.fitInputStatistics(graphs);
        Random r = new Random(4);
        for (var e : m.parameters().entrySet()) {
            String k = e.getKey();
            if (!(k.startsWith("energy.") || k.startsWith("charge.") || k.startsWith("atomic_dipole."))) continue;
            double[] v = e.getValue().toDoubles();
            for (int i = 0; i < v.length; i++) v[i] += scale * r.nextGaussian();
            m.setParameter(k, v);
        }
        return m;
    }

    static double energy(MolecularGraph g) {
        return model.predict(List.of(g), 1).energy()[0];
    }

    @Test
    void inputGradientsMatchFiniteDifferencesOfTheModel() {
        Random r = new Random(5);
        for (MolecularGraph g : graphs) {
            UniteModel.EnergyGradient eg = model.energyGradients(List.of(g), 1).get(0);
            assertEquals(energy(g), eg.energy(), 1e-12 * Math.abs(eg.energy()), "the gradient sweep's energy is the prediction");
            double[] t = g.blockValues(), x = g.positions();
            // blocks along a physical direction (the change of the features under a small random
            // displacement): a direction that breaks the blocks' symmetries would meet the kinks
            // of norms of channels that are zero by symmetry
            double[] d = new double[x.length];
            for (int j = 0; j < d.length; j++) d[j] = 1e-3 * r.nextGaussian();
            Molecule moved = new Molecule(g.atomicNumbers(), axpy(x, 1.0, d));
            double[] v = axpy(g.atSamePairs(new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250).featurize(moved)).blockValues(), -1.0, t);
            double eps = 1e-3;
            double fd = (energy(g.withValues(axpy(t, eps, v), x)) - energy(g.withValues(axpy(t, -eps, v), x))) / (2 * eps);
            double an = dot(eg.blocks(), v);
            assertEquals(fd, an, 1e-6 * Math.abs(fd), "dE/dT along a physical direction");
            // positions with the blocks held fixed: the explicit part (edge lengths)
            double[] w = new double[x.length];
            for (int j = 0; j < w.length; j++) w[j] = r.nextGaussian();
            eps = 1e-4; // the radial basis is smooth on this scale; smaller steps meet the energy's rounding
            double fdx = (energy(g.withValues(t, axpy(x, eps, w))) - energy(g.withValues(t, axpy(x, -eps, w)))) / (2 * eps);
            assertEquals(fdx, dot(eg.positions(), w), 1e-6 * Math.abs(fdx), "dE/dR|explicit along a random direction");
        }
    }

    @Test
    void forcesAreMinusTheDerivativeOfThePredictedEnergy() {
        Calculator calc = new Calculator(model);
        double h = 1e-4; // Angstrom
        for (Molecule m : MOLECULES) {
            Calculator.Result res = calc.calculate(m, true);
            assertEquals("kcal/mol/A", res.forceUnit());
            double worst = 0, scale = 0;
            double[] x = m.positions();
            for (int q = 0; q < x.length; q++) {
                double[] p = x.clone(), n = x.clone();
                p[q] += h;
                n[q] -= h;
                MolecularGraph gp = calc.featurize(m.withPositions(p)), gn = calc.featurize(m.withPositions(n));
                assertEquals(graphs.get(0).method(), gp.method());
                double fd = -(energy(gp) - energy(gn)) / (2 * h);
                double an = res.forces()[q / 3][q % 3];
                worst = Math.max(worst, Math.abs(fd - an));
                scale = Math.max(scale, Math.abs(fd));
            }
            System.out.printf("%s: max |F - (-dE/dR by central differences)| = %.3e of max |F| = %.3e kcal/mol/A%n", m.name(), worst, scale);
            assertTrue(scale > 1, "forces of a perturbed model are not small: " + scale);
            assertTrue(worst < 1e-5 * scale, m.name() + ": force error " + worst + " of " + scale);
        }
    }

    @Test
    void forcesRotateWithTheMoleculeAndSumToZero() {
        Calculator calc = new Calculator(model);
        Molecule m = MOLECULES.get(1);
        double[][] f = calc.forces(m);
        double max = 0;
        double[] net = new double[3];
        for (double[] fa : f)
            for (int k = 0; k < 3; k++) {
                net[k] += fa[k];
                max = Math.max(max, Math.abs(fa[k]));
            }
        for (int k = 0; k < 3; k++) assertEquals(0.0, net[k], 1e-6 * max, "net force along " + "xyz".charAt(k));
        Random r = new Random(9);
        for (int trial = 0; trial < 2; trial++) {
            double[][] q = Rotations.random(r);
            if (trial == 1) q = Rotations.scale(-1.0, q); // with inversion
            double[][] fq = calc.forces(m.transformed(q));
            double worst = 0;
            for (int a = 0; a < f.length; a++) {
                double[] expect = Rotations.apply(q, f[a]);
                for (int k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(expect[k] - fq[a][k]));
            }
            assertTrue(worst < 1e-6 * max, "F(QR) = Q F(R), trial " + trial + ": " + worst + " of " + max);
        }
    }

    @Test
    void shortNveRunConservesTheTotalEnergy() {
        Calculator calc = new Calculator(tame);
        Molecule m = MOLECULES.get(1);
        double[] v0 = org.unite4j.chem.dynamics.VelocityVerlet.maxwellBoltzmann(m, 300, 3);
        double ekin = org.unite4j.chem.dynamics.VelocityVerlet.kinetic(m, v0);
        var good = org.unite4j.chem.dynamics.VelocityVerlet.run(m, v0, calc.potential(), 0.25, 30, null);
        System.out.printf("NVE formamide 30 x 0.25 fs: max |E_tot(t) - E_tot(0)| = %.3e Eh = %.2e of E_kin(0)%n",
                good.maxDeviation(), good.maxDeviation() / ekin);
        assertTrue(good.maxDeviation() < 2e-3 * ekin, "NVE energy deviation " + good.maxDeviation() / ekin + " of E_kin");
        // the bound is tight enough to see forces that are 2% off the energy's derivative
        org.unite4j.chem.dynamics.Potential p = calc.potential();
        org.unite4j.chem.dynamics.Potential off = (mol, grad) -> {
            var ev = p.evaluate(mol, grad);
            double[] g = ev.gradient().clone();
            for (int i = 0; i < g.length; i++) g[i] *= 1.02;
            return new org.unite4j.chem.dynamics.Potential.Evaluation(ev.energy(), g);
        };
        var bad = org.unite4j.chem.dynamics.VelocityVerlet.run(m, v0, off, 0.25, 30, null);
        assertTrue(bad.maxDeviation() > 2e-3 * ekin, "2% force error: " + bad.maxDeviation() / ekin);
    }

    @Test
    void optimizationLowersTheEnergyToAStationaryPoint() {
        Calculator calc = new Calculator(tame);
        Molecule start = TestMolecules.distorted(MOLECULES.get(1), 0.05, new Random(2));
        double e0 = calc.energy(start);
        var r = org.unite4j.chem.dynamics.Bfgs.minimize(start, calc.potential(), 5e-4, 100, null);
        double e1 = calc.energy(r.molecule());
        double fmax = 0;
        for (double[] fa : calc.forces(r.molecule())) for (double v : fa) fmax = Math.max(fmax, Math.abs(v));
        System.out.printf("optimize formamide: %d steps, E %.6f -> %.6f kcal/mol, max |F_i| %.2e kcal/mol/A%n", r.steps(), e0, e1, fmax);
        assertTrue(e1 < e0, "energy decreased");
        // 5e-4 Eh/bohr = 0.59 kcal/mol/A
        assertTrue(fmax < 5e-4 * 627.509474 * org.unite4j.chem.Units.ANGSTROM_IN_BOHR, "max force at the end " + fmax);
    }

    @Test
    void trainingForcesAreThePredictedForcesAndDifferentiateToTheParameters() {
        List<org.unite4j.data.FeatureJacobian.Jacobian> jac = new ArrayList<>();
        org.unite4j.data.NumericalFeatureJacobian nj = new org.unite4j.data.NumericalFeatureJacobian();
        for (MolecularGraph g : graphs) jac.add(nj.of(g));
        org.unite4j.data.GraphBatch b = org.unite4j.data.GraphBatch.of(graphs, XtbMethod.GFN1);
        model.setTraining(false);
        double[] f = model.forwardWithForces(b, jac).forces().toDoubles();
        List<double[][]> ref = new Calculator(model).forces(graphs, jac);
        double scale = model.heads().energyScale(), toUnit = 627.509474;
        for (int m = 0, o = 0; m < graphs.size(); m++) {
            double[] rg = jac.get(m).referenceGradient();
            for (int a = 0; a < graphs.get(m).numAtoms(); a++, o++)
                for (int k = 0; k < 3; k++) {
                    double phys = scale * f[3 * o + k] - toUnit * rg[3 * a + k]; // delta learning
                    assertEquals(ref.get(m)[a][k], phys, 1e-9 * Math.max(1, Math.abs(phys)), "force of atom " + a);
                }
        }
        // d(force loss)/d(parameters): second derivatives through the recorded gradient sweep
        List<String> names = List.of("embed.weight", "node_mlp.0.weight", "edge_mlp.0.weight", "block0.weights.weight",
                "block1.self_tp", "block0.norm.beta", "block1.gate.0.weight", "energy.1.weight", "block0.message.weight", "block1.edge.weight");
        org.unite4j.autograd.Tensor[] in = names.stream().map(n -> model.parameters().get(n)).toArray(org.unite4j.autograd.Tensor[]::new);
        org.unite4j.autograd.GradCheck.Result r = org.unite4j.autograd.GradCheck.check(t -> {
            Map<String, org.unite4j.autograd.Tensor> rep = new java.util.LinkedHashMap<>();
            for (int i = 0; i < t.length; i++) rep.put(names.get(i), t[i]);
            return model.forwardWithForces(b, jac, rep).forces();
        }, in, 13, 1e-5, 4);
        System.out.println("force-loss parameter gradient rel errors " + java.util.Arrays.toString(r.relErr()));
        assertTrue(r.maxRelErr() < 1e-5, "max relative error of d(forces)/d(parameters) " + r.maxRelErr());
        // training mode: the force sweep normalizes with the running statistics, so the forces of
        // a molecule in a batch are those inference gives (no term from the other molecules)
        double[] before = model.forwardWithForces(b, jac).forces().toDoubles(); // inference
        model.setTraining(true);
        double[] during;
        try {
            during = model.forwardWithForces(b, jac).forces().toDoubles();
        } finally {
            model.setTraining(false);
        }
        assertEquals(before.length, during.length);
        for (int i = 0; i < before.length; i++) assertEquals(before[i], during[i], 1e-12 * Math.max(1, Math.abs(before[i])));
    }

    static double[] axpy(double[] x, double a, double[] y) {
        double[] out = x.clone();
        for (int i = 0; i < out.length; i++) out[i] += a * y[i];
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
