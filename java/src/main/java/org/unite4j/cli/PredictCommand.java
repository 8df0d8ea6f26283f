package org.unite4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.AtomProperty;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.Frame;
import org.unite4j.data.Dataset;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.MolecularGraph;
import org.unite4j.data.NumericalFeatureJacobian;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteModel;
import org.unite4j.train.Metrics;
import org.unite4j.io.Json;
import org.unite4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unite predict}: energies (and dipoles, and with {@code --forces} forces) of every molecule
 * of a file with a trained model; MAE/RMSE when the file carries the model's energy label. With
 * {@code --json}: {@code {"molecules":[{"index":i,"name":..,"energy":E,"unit":"..","dipole":[x,y,z],
 * "forces":[[fx,fy,fz],...],"force_unit":".."}],"mae":m}} (mae null without labels; dipole only
 * from a model with a dipole head, forces only when asked). {@code --out FILE.extxyz} writes the
 * molecules with the predictions ("energy", "dipole" in the info line, a "forces" column).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict energies and dipoles with a trained UNiTE model (folder written by unite train).")
public final class PredictCommand implements Callable<Integer> {
    @Mixin
    ModelInputOptions in;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default: none).")
    Path cache;

    @Option(names = "--forces", description = "Also predict forces -dE/dR (energy unit per Angstrom). Each molecule of N atoms "
            + "costs one analytic response pass (GFN1 models) or 6N extra xTB single points (--jacobian numerical, GFN2).")
    boolean forces;

    @Option(names = "--force-label", paramLabel = "KEY:UNIT", description = "With --forces: compare with this per-atom label "
            + "(e.g. forces:kcal/mol/A of rMD17): force MAE and RMSE per component.")
    String forceLabel;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the molecules with their predictions to this "
            + "extxyz file (info: energy, energy_unit, dipole; per atom: forces; written atomically).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (forceLabel != null && !forces) throw new IllegalArgumentException("--force-label needs --forces");
        in.refuseOverwritingInput(out);
        Dataset ds = in.loadData();
        UniteModel model = in.loadModel();
        Path data = in.data;
        Heads h = model.heads();
        FeatureCache fc = new FeatureCache(cache, model.config().xtbMethod(), model.config().accuracy(), model.config().tau());
        int nt = in.threads();
        for (int i = 0; i < ds.size(); i++) {
            String why = h.unknownElement(ds.frame(i).molecule().atomicNumbers());
            if (why != null) throw new IllegalArgumentException(ds.frame(i).where() + " (" + ds.frame(i).molecule().formula() + "): " + why);
        }
        List<FeatureCache.Outcome> outs = fc.featurize(ds.molecules(), nt, null, System.err::println);
        List<MolecularGraph> graphs = new ArrayList<>();
        for (FeatureCache.Outcome o : outs) {
            if (!o.ok()) throw new IllegalArgumentException(data + ": " + o.error().getMessage());
            graphs.add(o.graph());
        }
        org.unite4j.data.LabelSpec fl = forceLabel == null ? null : org.unite4j.data.LabelSpec.parse(forceLabel, org.unite4j.chem.Units.Kind.FORCE);
        double[][] fref = fl == null ? null : ds.atomArrays(fl, org.unite4j.chem.Units.parse(h.energyUnit() + "/A",
                org.unite4j.chem.Units.Kind.FORCE));
        if (fref != null)
            for (int i = 0; i < fref.length; i++)
                if (fref[i].length != 3 * ds.frame(i).molecule().size())
                    throw new IllegalArgumentException(ds.frame(i).where() + ": '" + fl.key() + "' has " + fref[i].length / 3 + " rows for "
                            + ds.frame(i).molecule().size() + " atoms");
        List<Calculator.Result> res = calculate(model, graphs, nt);
        double[] energies = res.stream().mapToDouble(Calculator.Result::energy).toArray();
        boolean labeled = true;
        for (int i = 0; i < ds.size() && labeled; i++) labeled = ds.frame(i).molecule().info().containsKey(h.energyKey());
        double[] ref = labeled ? ds.scalars(new org.unite4j.data.LabelSpec(h.energyKey(), h.energyLabelUnitValue()), h.energyUnitValue()) : null;
        double mae = ref == null ? Double.NaN : Metrics.mae(energies, ref), rmse = ref == null ? Double.NaN : Metrics.rmse(energies, ref);
        double fMae = Double.NaN, fRmse = Double.NaN;
        if (fref != null) {
            org.unite4j.train.Metrics.Scalar mf = new org.unite4j.train.Metrics.Scalar();
            for (int i = 0; i < res.size(); i++) {
                double[][] f = res.get(i).forces();
                if (fref[i].length != 3 * f.length)
                    throw new IllegalArgumentException(data + ": molecule " + i + ": '" + fl.key() + "' has " + fref[i].length / 3
                            + " rows for " + f.length + " atoms");
                for (int a = 0; a < f.length; a++) for (int q = 0; q < 3; q++) mf.add(f[a][q], fref[i][3 * a + q]);
            }
            fMae = mf.mae();
            fRmse = mf.rmse();
        }
        if (out != null) writeExtxyz(ds, res, h);
        PrintStream o = System.out;
        if (json) {
            List<Object> mols = new ArrayList<>();
            for (int i = 0; i < graphs.size(); i++)
                mols.add(org.unite4j.serve.PredictionJson.molecule(i, ds.frame(i).molecule(), res.get(i), h));
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("molecules", mols);
            root.put("mae", Double.isNaN(mae) ? null : mae);
            if (fref != null) {
                root.put("force_mae", fMae);
                root.put("force_rmse", fRmse);
            }
            o.println(Json.write(root));
            return 0;
        }
        // a model trained without --dipole has no dipole head: no dipole column
        boolean dip = h.hasDipole();
        o.printf(Locale.ROOT, "%6s  %-12s %18s%s%s%n", "index", "formula", "energy (" + h.energyUnit() + ")",
                dip ? "  dipole (" + h.dipoleUnitValue().symbol() + ")" : "", forces ? "  max |F| (" + res.get(0).forceUnit() + ")" : "");
        for (int i = 0; i < graphs.size(); i++) {
            Calculator.Result r = res.get(i);
            o.printf(Locale.ROOT, "%6d  %-12s %18.6f%s%s%s%n", i, ds.frame(i).molecule().formula(), r.energy(),
                    dip ? String.format(Locale.ROOT, "  [%.4f, %.4f, %.4f]", r.dipole()[0], r.dipole()[1], r.dipole()[2]) : "",
                    forces ? String.format(Locale.ROOT, "  %12.4f", maxForce(r.forces())) : "",
                    ref == null ? "" : String.format(Locale.ROOT, "   ref %.6f", ref[i]));
        }
        if (ref != null) o.printf(Locale.ROOT, "MAE %.4f %s, RMSE %.4f %s over %d molecules (label %s)%n", mae, h.energyUnit(), rmse,
                h.energyUnit(), ref.length, h.energyKey());
        if (fref != null) o.printf(Locale.ROOT, "force MAE %.4f %s, RMSE %.4f per component over %d molecules (label %s)%n", fMae,
                res.get(0).forceUnit(), fRmse, res.size(), fl.key());
        if (forces && out == null) o.println("(every force component: --json, or --out FILE.extxyz)");
        return 0;
    }

    /** Energies (and dipoles) of all molecules; with --forces their forces, with a progress bar over the single points. */
    private List<Calculator.Result> calculate(UniteModel model, List<MolecularGraph> graphs, int nt) {
        if (!forces) return new Calculator(model, in.jacobian(model, nt, null), nt).calculate(graphs, false, null);
        java.util.concurrent.atomic.AtomicLong base = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Progress> bar = new java.util.concurrent.atomic.AtomicReference<>();
        org.unite4j.data.FeatureJacobian jac = in.jacobian(model, nt, n -> bar.get().advanceTo(base.get() + n));
        long total = 0;
        for (MolecularGraph g : graphs) total += jac.workUnits(g.numAtoms());
        String what = jac instanceof NumericalFeatureJacobian ? "forces (6N xTB single points per molecule)"
                : "forces (analytic featurizer Jacobian, molecules)";
        try (Progress p = new Progress(what, total)) {
            bar.set(p);
            return new Calculator(model, jac, nt).calculate(graphs, true,
                    i -> p.advanceTo(base.addAndGet(jac.workUnits(graphs.get(i - 1).numAtoms()))));
        }
    }

    private static double maxForce(double[][] f) {
        double m = 0;
        for (double[] fa : f) m = Math.max(m, Math.sqrt(fa[0] * fa[0] + fa[1] * fa[1] + fa[2] * fa[2]));
        return m;
    }

    /**
     * The input molecules with the predictions: info "energy", "energy_unit", "dipole", "dipole_unit",
     * "force_unit" and a per-atom "forces" column (an input entry of the same name is kept as
     * "input_NAME").
     */
    private void writeExtxyz(Dataset ds, List<Calculator.Result> res, Heads h) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < res.size(); i++) {
            Frame in = ds.frame(i);
            Molecule m = in.molecule();
            Calculator.Result r = res.get(i);
            Map<String, String> info = new LinkedHashMap<>();
            Map<String, String> pred = new LinkedHashMap<>();
            pred.put("energy", Double.toString(r.energy()));
            pred.put("energy_unit", h.energyUnit());
            if (r.dipole() != null) {
                pred.put("dipole", r.dipole()[0] + " " + r.dipole()[1] + " " + r.dipole()[2]);
                pred.put("dipole_unit", h.dipoleUnitValue().symbol());
            }
            if (r.forces() != null) pred.put("force_unit", r.forceUnit());
            for (Map.Entry<String, String> e : m.info().entrySet())
                info.put(pred.containsKey(e.getKey()) ? "input_" + e.getKey() : e.getKey(), e.getValue());
            info.putAll(pred);
            List<AtomProperty> props = new ArrayList<>();
            for (AtomProperty p : in.atomProperties().values())
                props.add(r.forces() != null && p.name().equals("forces")
                        ? new AtomProperty("input_forces", p.type(), p.columns(), p.values(), p.strings()) : p);
            if (r.forces() != null) {
                double[] f = new double[3 * m.size()];
                for (int a = 0; a < m.size(); a++) System.arraycopy(r.forces()[a], 0, f, 3 * a, 3);
                props.add(AtomProperty.real("forces", 3, f));
            }
            Molecule outMol = new Molecule(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), m.name(), info);
            frames.add(new Frame(outMol, props, out.toString(), i, 0));
        }
        ExtXyzWriter.write(out, frames);
    }
}
