package org.unite4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unite4j.chem.Units;
import org.unite4j.data.Dataset;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteModel;
import org.unite4j.train.Metrics;
import org.unite4j.train.ModelStore;
import org.unite4j.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unite predict}: energies (and dipoles) of every molecule of a file with a trained model;
 * MAE/RMSE when the file carries the model's energy label. With {@code --json}:
 * {@code {"molecules":[{"index":i,"energy":E,"unit":"..","dipole":[x,y,z]}],"mae":m}} (mae null without
 * labels; dipole only from a model with a dipole head).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict energies and dipoles with a trained UNiTE model (folder written by unite train).")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model folder (OUT/model of unite train).")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Molecules (.xyz, .extxyz, .sdf, .npz).")
    Path data;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default: none).")
    Path cache;

    @Option(names = "--threads", description = "xTB calculations in parallel (default: all cores).")
    Integer threads;

    /** {@code --backend cpu|cuda|auto}: where the model computes (CUDA: float32). */
    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws IOException {
        UniteModel model = ModelStore.load(modelDir, backendOption.resolve());
        if (!Files.isRegularFile(data)) throw new java.nio.file.NoSuchFileException(data + ": no such file");
        Dataset ds = Dataset.load(data);
        if (ds.size() == 0) throw new IllegalArgumentException(data + ": no molecules");
        Heads h = model.heads();
        FeatureCache fc = new FeatureCache(cache, model.config().xtbMethod(), model.config().accuracy(), model.config().tau());
        int nt = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<FeatureCache.Outcome> outs = fc.featurize(ds.molecules(), nt, null, System.err::println);
        List<MolecularGraph> graphs = new ArrayList<>();
        for (FeatureCache.Outcome o : outs) {
            if (!o.ok()) throw new IllegalArgumentException(data + ": " + o.error().getMessage());
            graphs.add(o.graph());
        }
        UniteModel.Prediction p = model.predict(graphs, 32);
        boolean labeled = true;
        for (int i = 0; i < ds.size() && labeled; i++) labeled = ds.frame(i).molecule().info().containsKey(h.energyKey());
        double[] ref = labeled ? ds.scalars(new org.unite4j.data.LabelSpec(h.energyKey(), h.energyLabelUnitValue()), h.energyUnitValue()) : null;
        double mae = ref == null ? Double.NaN : Metrics.mae(p.energy(), ref), rmse = ref == null ? Double.NaN : Metrics.rmse(p.energy(), ref);
        PrintStream out = System.out;
        if (json) {
            List<Object> mols = new ArrayList<>();
            for (int i = 0; i < graphs.size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", i);
                m.put("energy", p.energy()[i]);
                m.put("unit", h.energyUnit());
                if (h.hasDipole()) {
                    m.put("dipole", List.of(p.dipole()[i][0], p.dipole()[i][1], p.dipole()[i][2]));
                }
                mols.add(m);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("molecules", mols);
            root.put("mae", Double.isNaN(mae) ? null : mae);
            out.println(Json.write(root));
            return 0;
        }
        // a model trained without --dipole has no dipole head: no dipole column
        boolean dip = h.hasDipole();
        out.printf(Locale.ROOT, "%6s  %-12s %18s%s%n", "index", "formula", "energy (" + h.energyUnit() + ")",
                dip ? "  dipole (" + h.dipoleUnitValue().symbol() + ")" : "");
        for (int i = 0; i < graphs.size(); i++)
            out.printf(Locale.ROOT, "%6d  %-12s %18.6f%s%s%n", i, ds.frame(i).molecule().formula(), p.energy()[i],
                    dip ? String.format(Locale.ROOT, "  [%.4f, %.4f, %.4f]", p.dipole()[i][0], p.dipole()[i][1], p.dipole()[i][2]) : "",
                    ref == null ? "" : String.format(Locale.ROOT, "   ref %.6f", ref[i]));
        if (ref != null) out.printf(Locale.ROOT, "MAE %.4f %s, RMSE %.4f %s over %d molecules (label %s)%n", mae, h.energyUnit(), rmse,
                h.energyUnit(), ref.length, h.energyKey());
        return 0;
    }
}
