package org.unite4j.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.dynamics.Potential;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.FeatureJacobian;
import org.unite4j.data.MolecularGraph;

/**
 * Energy, forces and dipole of molecules with a trained model, as an ASE calculator gives them.
 * With E(R) = [E_xTB(R) if delta] + sum_A b_Z + s E_net(T(R), R),
 * <pre>
 *   F = -dE/dR = -[dE_xTB/dR] - s (dE_net/dT . dT/dR + dE_net/dR|explicit)
 * </pre>
 * where dE_net/dT and the explicit part (edge lengths) come from one backward sweep of the model
 * ({@link UniteModel#energyGradients}) and dT/dR, dE_xTB/dR from a {@link FeatureJacobian}.
 * Works for any model, trained with or without forces. Energies are in the model's energy unit,
 * forces in that unit per Angstrom ({@link #forceUnit()}), dipoles in its dipole unit.
 */
public final class Calculator {

    /**
     * One molecule's results.
     *
     * @param energy energy, {@link #energyUnit}
     * @param dipole dipole [3] in the model's dipole unit, null for a model without a dipole head
     * @param forces -dE/dR [atom][3] in {@link #forceUnit}, null when not asked for
     */
    public record Result(double energy, double[] dipole, double[][] forces, String energyUnit, String forceUnit) {
        /** The same result with the energy in {@code energy} and the forces in it per Angstrom. */
        public Result inUnit(org.unite4j.chem.Units.Unit energy) {
            double f = org.unite4j.chem.Units.parse(energyUnit, org.unite4j.chem.Units.Kind.ENERGY).factorTo(energy);
            double[][] fo = null;
            if (forces != null) {
                fo = new double[forces.length][];
                for (int a = 0; a < forces.length; a++) fo[a] = new double[]{forces[a][0] * f, forces[a][1] * f, forces[a][2] * f};
            }
            return new Result(this.energy * f, dipole, fo, energy.symbol(), energy.symbol() + "/A");
        }
    }

    private final UniteModel model;
    private final FeatureJacobian jacobian;
    private final int threads;

    /**
     * The model's default featurizer Jacobian ({@link FeatureJacobian.Kind#AUTO}: analytic for
     * GFN1 models, numerical for GFN2), on all cores.
     */
    public Calculator(UniteModel model) {
        this(model, FeatureJacobian.forMethod(FeatureJacobian.Kind.AUTO, model.config().xtbMethod(),
                Runtime.getRuntime().availableProcessors(), null), Runtime.getRuntime().availableProcessors());
    }

    /** @param threads xTB single points in parallel when featurizing */
    public Calculator(UniteModel model, FeatureJacobian jacobian, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.model = model;
        this.jacobian = jacobian;
        this.threads = threads;
    }

    public UniteModel model() { return model; }

    /** The unit of the forces: the energy unit per Angstrom, e.g. "kcal/mol/A". */
    public String forceUnit() {
        return model.heads().energyUnit() + "/A";
    }

    /** The molecule as the model sees it (the model's featurizer settings and cutoff). */
    public MolecularGraph featurize(Molecule m) {
        UniteConfig c = model.config();
        try {
            FeatureCache.Outcome o = new FeatureCache(null, c.xtbMethod(), c.accuracy(), c.tau()).featurize(List.of(m), threads, null, null).get(0);
            if (!o.ok()) throw o.error();
            return o.graph();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result calculate(Molecule m, boolean forces) {
        return calculate(List.of(featurize(m)), forces, null).get(0);
    }

    public double energy(Molecule m) {
        return calculate(m, false).energy();
    }

    /** -dE/dR [atom][3] in {@link #forceUnit()}. */
    public double[][] forces(Molecule m) {
        return calculate(m, true).forces();
    }

    /**
     * The model's energy surface in atomic units (Hartree, Hartree/bohr) for the optimizer and the
     * dynamics; a gradient costs the Jacobian's single points, an energy alone one.
     */
    public Potential potential() {
        double toEh = model.heads().energyUnitValue().factorTo(Units.HARTREE);
        return new Potential() {
            @Override
            public Evaluation evaluate(Molecule m, boolean gradient) {
                Result r = calculate(m, gradient);
                double[] g = null;
                if (gradient) {
                    g = new double[3 * m.size()];
                    for (int a = 0; a < m.size(); a++)
                        for (int k = 0; k < 3; k++) g[3 * a + k] = -r.forces()[a][k] * toEh * Units.BOHR_IN_ANGSTROM;
                }
                return new Evaluation(r.energy() * toEh, g);
            }

            @Override
            public String toString() {
                return "the model";
            }
        };
    }

    /**
     * Results for featurized molecules (e.g. from a {@link FeatureCache}); {@code done} (may be
     * null) is told after each molecule whose forces are computed, since those take 6 N
     * single points each with the numerical Jacobian.
     */
    public List<Result> calculate(List<MolecularGraph> graphs, boolean forces, Consumer<Integer> done) {
        UniteModel.Prediction p = model.predict(graphs, 32);
        Heads h = model.heads();
        List<Result> out = new ArrayList<>(graphs.size());
        for (int i = 0; i < graphs.size(); i++) {
            double[][] f = null;
            if (forces) {
                MolecularGraph g = graphs.get(i);
                UniteModel.EnergyGradient eg = model.energyGradients(List.of(g), 1).get(0);
                FeatureJacobian.Product jp = jacobian.vjp(g, eg.blocks());
                f = forces(g, jp.featureGradient(), eg.positions(), jp.referenceGradient());
                if (done != null) done.accept(i + 1);
            }
            out.add(new Result(p.energy()[i], h.hasDipole() ? p.dipole()[i] : null, f, h.energyUnit(), forceUnit()));
        }
        return out;
    }

    /**
     * Forces [molecule][atom][3] of featurized molecules whose Jacobians are known (e.g. a
     * training set's), the network's part in batches of 32.
     */
    public List<double[][]> forces(List<MolecularGraph> graphs, List<FeatureJacobian.Jacobian> jacobians) {
        if (graphs.size() != jacobians.size())
            throw new IllegalArgumentException(graphs.size() + " molecules and " + jacobians.size() + " Jacobians");
        List<UniteModel.EnergyGradient> eg = model.energyGradients(graphs, 32);
        List<double[][]> out = new ArrayList<>(graphs.size());
        for (int i = 0; i < graphs.size(); i++) {
            FeatureJacobian.Jacobian j = jacobians.get(i);
            out.add(forces(graphs.get(i), j.vjp(eg.get(i).blocks()), eg.get(i).positions(), j.referenceGradient()));
        }
        return out;
    }

    /** F = -(dE/dT . dT/dR + dE/dR|explicit + [delta] dE_xTB/dR), [atom][3] in the model's unit per A. */
    private double[][] forces(MolecularGraph g, double[] dT, double[] pos, double[] rg) {
        Heads h = model.heads();
        double ref = h.delta() ? Units.HARTREE.factorTo(h.energyUnitValue()) : 0.0;
        double[][] f = new double[g.numAtoms()][3];
        for (int a = 0; a < g.numAtoms(); a++)
            for (int q = 0; q < 3; q++) {
                int k = 3 * a + q;
                f[a][q] = -(dT[k] + pos[k] + ref * rg[k]);
            }
        return f;
    }
}
