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
import org.unite4j.chem.Dimer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.io.Frame;
import org.unite4j.data.Dataset;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.LabelSpec;
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
 * {@code unite predict}: energies (and dipoles, with {@code --forces} forces, with
 * {@code --fragments} interaction energies) of every molecule of a file with a trained model;
 * MAE/RMSE when the file carries the model's energy label. With {@code --json}:
 * {@code {"molecules":[{"index":i,"name":..,"energy":E,"unit":"..","dipole":[x,y,z],"dipole_unit":"..",
 * "forces":[[fx,fy,fz],...],"force_unit":"..","interaction_energy":..}],"mae":m,"skipped":[..]}}
 * ("index" is the frame's 0-based position in the file; mae null without labels; dipole only from
 * a model with a dipole head, forces only when asked, "skipped" only when molecules were skipped).
 * {@code --out FILE} writes the results as extxyz ({@link PredictionWriter}), CSV, JSON or JSON lines,
 * chosen by the extension.
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

    @Option(names = "--unit", paramLabel = "UNIT", description = "Energy unit of the results (Eh, kcal/mol, kJ/mol, eV, meV; "
            + "forces in UNIT/A; default: the model's).")
    String unit;

    @Option(names = "--fragments", arity = "0..1", fallbackValue = "", paramLabel = "NA[,NB]",
            description = "Interaction energies E(AB) - E(A) - E(B) of complexes: A = the first NA atoms, B = the next NB. Without a "
                    + "value the sizes come from each molecule's nA/nB labels (S22/S66 files) and the fragments' charge and "
                    + "multiplicity from chgmultA/chgmultB. The constant of the model's element-count baseline counts once. Costs two "
                    + "more single points per molecule.")
    String fragments;

    @Option(names = "--interaction-label", paramLabel = "KEY:UNIT", description = "With --fragments: compare with this "
            + "reference interaction energy of each molecule (e.g. BIND_S22B_kcalmol:kcal/mol for S22, BIND_kcalmol:kcal/mol "
            + "for S66): MAE and RMSE.")
    String interactionLabel;

    @Option(names = "--on-bad-molecule", defaultValue = "stop", paramLabel = "skip|stop",
            description = "Molecules that cannot be predicted (malformed SDF records or extxyz frames, frames above --max-atoms "
                    + "or periodic, elements the model was not trained on, failed xTB runs): skip them with a warning (listed "
                    + "under \"skipped\" in JSON and as error rows in CSV/JSON-lines output), or stop (default: ${DEFAULT-VALUE}).")
    String onBad;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the results to FILE, atomically, in the format of its "
            + "extension: .extxyz/.xyz (the molecules with energy, dipole, interaction_energy in the info line and a forces "
            + "column), .csv (one row per molecule; skipped ones with their error), .json (what --json prints), .jsonl (one JSON "
            + "object per molecule).")
    Path out;

    /** One molecule of the file: its frame, and either its result or why it was skipped. */
    record Row(Frame frame, Calculator.Result result, Double interaction, String error) {
        boolean ok() { return error == null; }

        Molecule molecule() { return frame.molecule(); }
    }

    @Override
    public Integer call() throws IOException {
        if (forceLabel != null && !forces) throw new IllegalArgumentException("--force-label needs --forces");
        if (interactionLabel != null && fragments == null) throw new IllegalArgumentException("--interaction-label needs --fragments");
        boolean skip = switch (onBad) {
            case "skip" -> true;
            case "stop" -> false;
            default -> throw new IllegalArgumentException("--on-bad-molecule must be skip or stop, got '" + onBad + "'");
        };
        PredictionWriter.Format outFormat = out == null ? null : PredictionWriter.format(out);
        int[] sizes = fragments == null || fragments.isBlank() ? null : Dimer.parseSizes(fragments);
        in.refuseOverwritingInput(out);
        List<Row> skipped = new ArrayList<>();
        PrintStream err = System.err;
        Dataset ds = in.loadData(!skip ? null : e -> {
            err.println("warning: skipping " + e.getMessage());
            skipped.add(new Row(null, null, null, e.getMessage()));
        });
        UniteModel model = in.loadModel();
        Heads h = model.heads();
        Units.Unit eu = unit == null ? h.energyUnitValue() : Units.parse(unit, Units.Kind.ENERGY);
        LabelSpec fl = forceLabel == null ? null : LabelSpec.parse(forceLabel, Units.Kind.FORCE);
        LabelSpec il = interactionLabel == null ? null : LabelSpec.parse(interactionLabel, Units.Kind.ENERGY);
        int nt = in.threads();

        // every molecule the model can take: its frame and, with --fragments, its two fragments
        List<Frame> frames = new ArrayList<>();
        List<Dimer> dimers = new ArrayList<>();
        for (Frame f : ds.frames()) {
            String why = h.unknownElement(f.molecule().atomicNumbers());
            Dimer d = null;
            if (why == null && fragments != null) {
                try {
                    d = Dimer.split(f.molecule(), sizes);
                } catch (IllegalArgumentException e) {
                    why = e.getMessage();
                }
            }
            if (why != null) {
                bad(skip, skipped, f, why, err);
                continue;
            }
            frames.add(f);
            dimers.add(d);
        }
        List<Molecule> toFeaturize = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            toFeaturize.add(frames.get(i).molecule());
            if (fragments != null) {
                toFeaturize.add(dimers.get(i).a());
                toFeaturize.add(dimers.get(i).b());
            }
        }
        FeatureCache fc = new FeatureCache(cache, model.config().xtbMethod(), model.config().accuracy(), model.config().tau());
        List<FeatureCache.Outcome> outs;
        try (Progress bar = new Progress("featurize (" + model.config().xtbMethod() + ")", toFeaturize.size())) {
            outs = toFeaturize.isEmpty() ? List.of() : fc.featurize(toFeaturize, nt, bar::advanceTo, err::println);
        }
        int per = fragments == null ? 1 : 3;
        List<Frame> okFrames = new ArrayList<>();
        List<MolecularGraph> graphs = new ArrayList<>(), fragmentGraphs = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            String why = null;
            for (int k = 0; k < per && why == null; k++) {
                FeatureCache.Outcome o = outs.get(per * i + k);
                if (!o.ok()) why = (k == 0 ? "" : "fragment " + "AB".charAt(k - 1) + ": ") + "xTB failed: " + o.error().getMessage();
            }
            if (why != null) {
                bad(skip, skipped, frames.get(i), why, err);
                continue;
            }
            okFrames.add(frames.get(i));
            graphs.add(outs.get(per * i).graph());
            for (int k = 1; k < per; k++) fragmentGraphs.add(outs.get(per * i + k).graph());
        }
        int total = ds.size() + (int) skipped.stream().filter(r -> r.frame() == null).count();
        if (graphs.isEmpty())
            throw new IllegalArgumentException("nothing succeeded: " + skipped.size() + " of " + total + " molecules were skipped; first: "
                    + skipped.getFirst().error());
        if (!skipped.isEmpty()) err.println("warning: skipped " + skipped.size() + " of " + total + " molecules");

        List<Calculator.Result> res = calculate(model, graphs, nt).stream().map(r -> r.inUnit(eu)).toList();
        List<Row> rows = new ArrayList<>();
        List<Calculator.Result> fragRes = fragmentGraphs.isEmpty() ? List.of()
                : new Calculator(model, in.jacobian(model, nt, null), nt).calculate(fragmentGraphs, false, null).stream()
                .map(r -> r.inUnit(eu)).toList();
        // the element-count fit's intercept c is a constant per molecule, not an energy of atoms: in
        // E(AB) - E(A) - E(B) it would count as -c, so it is added back and the result is size-consistent
        double c = h.intercept() * h.energyUnitValue().factorTo(eu);
        for (int i = 0; i < res.size(); i++) {
            Double ie = fragRes.isEmpty() ? null : res.get(i).energy() - fragRes.get(2 * i).energy() - fragRes.get(2 * i + 1).energy() + c;
            rows.add(new Row(okFrames.get(i), res.get(i), ie, null));
        }
        Stats stats = Stats.of(okFrames, rows, h, eu, fl, il);
        Map<String, Object> root = json(rows, skipped, h, stats);
        if (out != null) PredictionWriter.write(out, outFormat, rows, skipped, h, root);
        PrintStream o = System.out;
        if (json) {
            o.println(Json.write(root));
            return 0;
        }
        table(o, rows, h, eu, stats);
        return 0;
    }

    /** A molecule that cannot be predicted: an error naming it, or with skip a warning and a skipped row. */
    private static void bad(boolean skip, List<Row> skipped, Frame f, String why, PrintStream err) {
        String msg = describe(f) + ": " + why;
        if (!skip) throw new IllegalArgumentException(msg + " (use --on-bad-molecule skip to leave such molecules out)");
        err.println("warning: skipping " + msg);
        skipped.add(new Row(f, null, null, msg));
    }

    /** "FILE:LINE (frame K) NAME (FORMULA)" for messages. */
    static String describe(Frame f) {
        Molecule m = f.molecule();
        return f.where() + " " + (m.name().isEmpty() ? m.formula() : "'" + m.name() + "' (" + m.formula() + ")");
    }

    /** Comparisons with the labels the file carries, in the output unit: energy, forces, interaction energies. */
    record Stats(double[] ref, double mae, double rmse, double forceMae, double forceRmse, int forceMolecules, double[] interactionRef,
                 double interactionMae, double interactionRmse, String energyKey, String forceKey, String interactionKey) {
        static Stats of(List<Frame> frames, List<Row> rows, Heads h, Units.Unit eu, LabelSpec fl, LabelSpec il) {
            Dataset ok = Dataset.of(frames, "");
            boolean labeled = true;
            for (int i = 0; i < ok.size() && labeled; i++) labeled = ok.frame(i).molecule().info().containsKey(h.energyKey());
            double[] ref = labeled ? ok.scalars(new LabelSpec(h.energyKey(), h.energyLabelUnitValue()), eu) : null;
            double[] e = rows.stream().mapToDouble(r -> r.result().energy()).toArray();
            double mae = ref == null ? Double.NaN : Metrics.mae(e, ref), rmse = ref == null ? Double.NaN : Metrics.rmse(e, ref);
            double fMae = Double.NaN, fRmse = Double.NaN;
            if (fl != null) {
                double[][] fref = ok.atomArrays(fl, Units.parse(eu.symbol() + "/A", Units.Kind.FORCE));
                Metrics.Scalar mf = new Metrics.Scalar();
                for (int i = 0; i < rows.size(); i++) {
                    double[][] f = rows.get(i).result().forces();
                    if (fref[i].length != 3 * f.length)
                        throw new IllegalArgumentException(describe(frames.get(i)) + ": '" + fl.key() + "' has " + fref[i].length / 3
                                + " rows for " + f.length + " atoms");
                    for (int a = 0; a < f.length; a++) for (int q = 0; q < 3; q++) mf.add(f[a][q], fref[i][3 * a + q]);
                }
                fMae = mf.mae();
                fRmse = mf.rmse();
            }
            double[] iref = il == null ? null : ok.scalars(il, eu);
            double iMae = Double.NaN, iRmse = Double.NaN;
            if (iref != null) {
                double[] ie = rows.stream().mapToDouble(Row::interaction).toArray();
                iMae = Metrics.mae(ie, iref);
                iRmse = Metrics.rmse(ie, iref);
            }
            return new Stats(ref, mae, rmse, fMae, fRmse, rows.size(), iref, iMae, iRmse, h.energyKey(), fl == null ? null : fl.key(),
                    il == null ? null : il.key());
        }
    }

    /** The JSON document of {@code --json} and {@code --out FILE.json}. */
    private static Map<String, Object> json(List<Row> rows, List<Row> skipped, Heads h, Stats s) {
        List<Object> mols = new ArrayList<>();
        for (Row r : rows) mols.add(PredictionWriter.jsonRow(r, h));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("molecules", mols);
        root.put("mae", Double.isNaN(s.mae()) ? null : s.mae());
        if (s.forceKey() != null) {
            root.put("force_mae", s.forceMae());
            root.put("force_rmse", s.forceRmse());
        }
        if (s.interactionKey() != null) {
            root.put("interaction_mae", s.interactionMae());
            root.put("interaction_rmse", s.interactionRmse());
        }
        if (!skipped.isEmpty()) {
            List<Object> sk = new ArrayList<>();
            for (Row r : skipped) sk.add(PredictionWriter.jsonRow(r, h));
            root.put("skipped", sk);
        }
        return root;
    }

    private void table(PrintStream o, List<Row> rows, Heads h, Units.Unit eu, Stats s) {
        // a model trained without --dipole has no dipole head: no dipole column
        boolean dip = h.hasDipole(), named = rows.stream().anyMatch(r -> !r.molecule().name().isEmpty());
        String fu = eu.symbol() + "/A";
        o.printf(Locale.ROOT, "%6s  %s%-12s %18s%s%s%s%n", "index", named ? String.format(Locale.ROOT, "%-24s ", "name") : "", "formula",
                "energy (" + eu.symbol() + ")", fragments != null ? String.format(Locale.ROOT, " %18s", "E_int (" + eu.symbol() + ")") : "",
                dip ? "  dipole (" + h.dipoleUnitValue().symbol() + ")" : "", forces ? "  max |F| (" + fu + ")" : "");
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Calculator.Result r = row.result();
            String name = row.molecule().name();
            o.printf(Locale.ROOT, "%6d  %s%-12s %18.6f%s%s%s%s%s%n", row.frame().index(),
                    named ? String.format(Locale.ROOT, "%-24s ", name.length() > 24 ? name.substring(0, 23) + "~" : name) : "",
                    row.molecule().formula(), r.energy(),
                    row.interaction() != null ? String.format(Locale.ROOT, " %18.6f", row.interaction()) : "",
                    dip ? String.format(Locale.ROOT, "  [%.4f, %.4f, %.4f]", r.dipole()[0], r.dipole()[1], r.dipole()[2]) : "",
                    forces ? String.format(Locale.ROOT, "  %12.4f", maxForce(r.forces())) : "",
                    s.ref() == null ? "" : String.format(Locale.ROOT, "   ref %.6f", s.ref()[i]),
                    s.interactionRef() == null ? "" : String.format(Locale.ROOT, "   E_int ref %.4f", s.interactionRef()[i]));
        }
        if (s.ref() != null) o.printf(Locale.ROOT, "MAE %.4f %s, RMSE %.4f %s over %d molecules (label %s)%n", s.mae(), eu.symbol(), s.rmse(),
                eu.symbol(), s.ref().length, s.energyKey());
        if (s.forceKey() != null) o.printf(Locale.ROOT, "force MAE %.4f %s, RMSE %.4f per component over %d molecules (label %s)%n",
                s.forceMae(), fu, s.forceRmse(), s.forceMolecules(), s.forceKey());
        if (s.interactionKey() != null) o.printf(Locale.ROOT, "interaction energy MAE %.4f %s, RMSE %.4f over %d complexes (label %s)%n",
                s.interactionMae(), eu.symbol(), s.interactionRmse(), s.interactionRef().length, s.interactionKey());
        if (forces && out == null) o.println("(every force component: --json, or --out FILE.extxyz)");
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
}
