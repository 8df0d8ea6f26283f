package org.unite4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.dynamics.Bfgs;
import org.unite4j.chem.io.AtomProperty;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.Frame;
import org.unite4j.data.Dataset;
import org.unite4j.model.Calculator;
import org.unite4j.model.UniteModel;
import org.unite4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unite optimize}: relaxes every molecule of a file on the model's energy surface (BFGS in
 * Cartesian coordinates with a backtracking line search, {@link Bfgs}) and writes the minima as
 * extxyz with their energies and final forces.
 */
@Command(name = "optimize", mixinStandardHelpOptions = true,
        description = "Optimize geometries with a trained model (BFGS); forces through the featurizer Jacobian (--jacobian: "
                + "analytic for GFN1 models, else 6N xTB single points per step).")
public final class OptimizeCommand implements Callable<Integer> {
    @Mixin
    ModelInputOptions in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Optimized geometries (extxyz, written atomically).")
    Path out;

    @Option(names = "--fmax", paramLabel = "F", description = "Converged when every force component is below F, in the model's "
            + "energy unit per Angstrom (default: 0.05 eV/A in that unit).")
    Double fmax;

    @Option(names = "--max-steps", description = "Most BFGS steps per molecule (default: ${DEFAULT-VALUE}).")
    int maxSteps = 200;


    @Override
    public Integer call() throws IOException {
        if (maxSteps < 1) throw new IllegalArgumentException("--max-steps must be >= 1, got " + maxSteps);
        in.refuseOverwritingInput(out);
        Dataset ds = in.loadData();
        UniteModel model = in.loadModel();
        Path data = in.data;
        int nt = in.threads();
        Calculator calc = new Calculator(model, in.jacobian(model, nt, null), nt);
        Units.Unit eu = model.heads().energyUnitValue();
        double perAngstrom = eu.factorTo(Units.HARTREE) * Units.BOHR_IN_ANGSTROM; // unit/A -> Eh/bohr
        double f = fmax != null ? fmax : 0.05 * Units.parse("eV", Units.Kind.ENERGY).factorTo(eu);
        if (!(f > 0)) throw new IllegalArgumentException("--fmax must be > 0, got " + f);
        List<Frame> frames = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%6s  %-12s %6s %18s %18s %14s%n", "index", "formula", "steps", "E start (" + eu.symbol() + ")",
                "E final (" + eu.symbol() + ")", "max |F_i| (" + calc.forceUnit() + ")");
        for (int i = 0; i < ds.size(); i++) {
            Molecule m = ds.frame(i).molecule();
            Bfgs.Result r;
            double e0 = calc.energy(m);
            try (Progress bar = new Progress("optimize " + m.formula() + " (molecule " + i + ")", 0)) {
                r = Bfgs.minimize(m, calc.potential(), f * perAngstrom, maxSteps, s -> bar.step());
            } catch (IllegalStateException e) {
                boolean steps = e.getMessage() != null && e.getMessage().contains("did not converge");
                throw new IllegalArgumentException(data + ": molecule " + i + ": " + e.getMessage()
                        + (steps ? " (try a larger --max-steps or --fmax)" : ""), e);
            }
            Calculator.Result end = calc.calculate(r.molecule(), true);
            double worst = 0;
            double[] fl = new double[3 * m.size()];
            for (int a = 0; a < m.size(); a++)
                for (int k = 0; k < 3; k++) {
                    fl[3 * a + k] = end.forces()[a][k];
                    worst = Math.max(worst, Math.abs(end.forces()[a][k]));
                }
            System.out.printf(Locale.ROOT, "%6d  %-12s %6d %18.6f %18.6f %14.5f%s%n", i, m.formula(), r.steps(), e0, end.energy(), worst,
                    worst < f ? "" : "  (not below --fmax: the line search stalled, the energy no longer decreases at this precision)");
            Map<String, String> info = new LinkedHashMap<>(m.info());
            info.put("energy", Double.toString(end.energy()));
            info.put("energy_unit", eu.symbol());
            info.put("force_unit", calc.forceUnit());
            info.put("optimization_steps", Integer.toString(r.steps()));
            Molecule om = new Molecule(m.atomicNumbers(), r.molecule().positions(), m.charge(), m.multiplicity(), m.name(), info);
            frames.add(new Frame(om, List.of(AtomProperty.real("forces", 3, fl)), out.toString(), i, 0));
        }
        ExtXyzWriter.write(out, frames);
        System.out.println("optimized geometries: " + out);
        return 0;
    }
}
