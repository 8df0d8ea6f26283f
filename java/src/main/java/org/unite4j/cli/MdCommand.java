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
import org.unite4j.chem.dynamics.VelocityVerlet;
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
 * {@code unite md}: NVE molecular dynamics (velocity Verlet, {@link VelocityVerlet}) of one molecule
 * on the model's energy surface; writes an extxyz trajectory and reports the total-energy drift,
 * the standard check that the forces are the energy's derivative.
 */
@Command(name = "md", mixinStandardHelpOptions = true,
        description = "NVE molecular dynamics with a trained model (velocity Verlet); writes an extxyz trajectory and reports "
                + "the total-energy drift.")
public final class MdCommand implements Callable<Integer> {
    @Mixin
    ModelInputOptions in;

    @Option(names = "--index", description = "Which molecule of the file (default: ${DEFAULT-VALUE}).")
    int index = 0;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Trajectory (extxyz, written atomically at the end).")
    Path out;

    @Option(names = "--steps", description = "Number of steps (default: ${DEFAULT-VALUE}).")
    int steps = 100;

    @Option(names = "--dt", paramLabel = "FS", description = "Time step in fs (default: ${DEFAULT-VALUE}).")
    double dt = 0.5;

    @Option(names = "--temperature", paramLabel = "K", description = "Initial Maxwell-Boltzmann temperature (default: ${DEFAULT-VALUE} K).")
    double temperature = 300;

    @Option(names = "--seed", description = "Seed of the initial velocities (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--every", description = "Write every n-th step (default: ${DEFAULT-VALUE}).")
    int every = 1;

    @Option(names = "--no-plot", description = "Do not draw OUT's energies against time (TRAJ_energy.png beside the trajectory).")
    boolean noPlot;


    @Override
    public Integer call() throws IOException {
        if (steps < 1) throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        if (every < 1) throw new IllegalArgumentException("--every must be >= 1, got " + every);
        if (!(dt > 0 && dt <= 10)) throw new IllegalArgumentException("--dt must be in (0, 10] fs, got " + dt);
        in.refuseOverwritingInput(out);
        Dataset ds = in.loadData();
        UniteModel model = in.loadModel();
        Path data = in.data;
        if (index < 0 || index >= ds.size())
            throw new IllegalArgumentException("--index " + index + ": " + data + " has " + ds.size() + " molecules");
        Molecule m = ds.frame(index).molecule();
        int nt = in.threads();
        Calculator calc = new Calculator(model, in.jacobian(model, nt, null), nt);
        Units.Unit eu = model.heads().energyUnitValue();
        double fromEh = Units.HARTREE.factorTo(eu);
        double[] v0 = VelocityVerlet.maxwellBoltzmann(m, temperature, seed);
        List<Frame> frames = new ArrayList<>();
        int nPoints = steps + 1;
        double[] time = new double[nPoints], epot = new double[nPoints], ekin = new double[nPoints], etot = new double[nPoints];
        VelocityVerlet.Summary s;
        try (Progress bar = new Progress("md " + m.formula() + " (" + dt + " fs steps)", steps)) {
            s = VelocityVerlet.run(m, v0, calc.potential(), dt, steps, st -> {
                if (st.step() > 0) bar.step();
                if (st.step() % every == 0 || st.step() == steps) frames.add(frame(st, eu, calc.forceUnit(), fromEh));
                time[st.step()] = st.timeFs();
                epot[st.step()] = st.potential() * fromEh;
                ekin[st.step()] = st.kinetic() * fromEh;
                etot[st.step()] = st.total() * fromEh;
                bar.setSuffix(String.format(Locale.ROOT, "T %.0f K  E_tot %.6f %s", st.temperature(), st.total() * fromEh, eu.symbol()));
            });
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(data + ": molecule " + index + ": " + e.getMessage() + " (a smaller --dt may help)", e);
        }
        ExtXyzWriter.write(out, frames);
        Path plot = null;
        if (!noPlot) {
            double e0 = etot[0];
            for (int i = 0; i < nPoints; i++) {
                epot[i] -= e0;
                etot[i] -= e0;
            }
            String name = out.getFileName().toString().replaceFirst("\\.[^.]*$", "") + "_energy.png";
            plot = out.toAbsolutePath().resolveSibling(name);
            org.unite4j.report.Plots.linePlot(plot, "NVE " + m.formula() + ", " + dt + " fs steps", "time (fs)",
                    "energy - E_tot(0) (" + eu.symbol() + ")", List.of(
                            new org.unite4j.report.Plots.Series("potential", time, epot, org.unite4j.report.Plots.TRAIN_COLOR),
                            new org.unite4j.report.Plots.Series("kinetic", time, ekin, org.unite4j.report.Plots.VALIDATION_COLOR),
                            new org.unite4j.report.Plots.Series("total", time, etot, org.unite4j.report.Plots.DIAGONAL_COLOR)),
                    false, 800, 560);
        }
        double perAtom = fromEh / m.size();
        System.out.printf(Locale.ROOT, "%s, %d steps of %.3g fs (%.3g ps), mean temperature %.1f K%n", m.formula(), s.steps(), dt,
                s.timeFs() / 1000, s.meanTemperature());
        System.out.printf(Locale.ROOT, "total energy: max |E(t) - E(0)| = %.3e %s (%.3e per atom), drift %.3e %s/ps (%.3e per atom)%n",
                s.maxDeviation() * fromEh, eu.symbol(), s.maxDeviation() * perAtom, s.driftPerPs() * fromEh, eu.symbol(),
                s.driftPerPs() * perAtom);
        System.out.println("trajectory: " + out + " (" + frames.size() + " frames)" + (plot == null ? "" : "; energies: " + plot));
        return 0;
    }

    private static Frame frame(VelocityVerlet.State st, Units.Unit eu, String forceUnit, double fromEh) {
        Molecule m = st.molecule();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("step", Integer.toString(st.step()));
        info.put("time_fs", Double.toString(st.timeFs()));
        info.put("energy", Double.toString(st.potential() * fromEh));
        info.put("kinetic_energy", Double.toString(st.kinetic() * fromEh));
        info.put("total_energy", Double.toString(st.total() * fromEh));
        info.put("energy_unit", eu.symbol());
        info.put("temperature_K", Double.toString(st.temperature()));
        info.put("force_unit", forceUnit);
        double[] f = new double[st.gradient().length];
        double g = fromEh * Units.ANGSTROM_IN_BOHR; // Eh/bohr -> unit/A
        for (int i = 0; i < f.length; i++) f[i] = -st.gradient()[i] * g;
        Molecule om = new Molecule(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), m.name(), info);
        return new Frame(om, List.of(AtomProperty.real("forces", 3, f), AtomProperty.real("velocities", 3, st.velocities())),
                "md", st.step(), 0);
    }
}
