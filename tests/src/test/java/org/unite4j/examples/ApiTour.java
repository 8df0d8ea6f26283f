package org.unite4j.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.Dataset;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.LabelSpec;
import org.unite4j.data.MolecularGraph;
import org.unite4j.data.Split;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.train.Metrics;
import org.unite4j.train.ModelStore;
import org.unite4j.train.Trainer;
import org.unite4j.util.Progress;

/** The README's API tour: load molecules, featurize, build a model from a config, train, predict, forces. */
public final class ApiTour {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);                       // extxyz with energy_gfn2 labels in Hartree (e.g. OUT/demo.extxyz of `unite demo`)
        Path out = Path.of(args.length > 1 ? args[1] : "api-tour");

        // 1. Molecules and labels; LabelSpec converts from the file's unit to the one we ask for.
        Dataset ds = Dataset.load(file);
        double[] energy = ds.scalars(LabelSpec.parse("energy_gfn2:Eh"), Units.KCAL_MOL);

        // 2. GFN1-xTB features: the F, P, S, W blocks of every atom pair above the cutoff, cached on disk.
        FeatureCache xtb = new FeatureCache(out.resolve("cache"), XtbMethod.GFN1, 1.0, 12.0);
        List<MolecularGraph> graphs = xtb.featurize(ds.molecules(), 2, null, System.err::println)
                .stream().map(FeatureCache.Outcome::graph).toList();

        // 3. A split, a model from a config, heads fitted on the training part (delta on the GFN1 energy).
        int n = graphs.size();
        Split split = Split.random(n, n * 7 / 10, n / 10, 42);
        Trainer.LabeledSet all = new Trainer.LabeledSet(graphs, energy, null);
        Trainer.LabeledSet train = all.subset(split.train()), val = all.subset(split.validation()), test = all.subset(split.test());
        UniteConfig config = UniteConfig.fromJson(Map.of("hidden", "16x0e+8x1o+4x2e", "tp_channels", 8, "blocks", 2));
        Heads heads = Trainer.fitHeads(train, "energy_gfn2", Units.KCAL_MOL, null, null, true);
        UniteModel model = new UniteModel(config, heads, 42);
        model.fitInputStatistics(train.graphs());

        // 4. Train a few epochs (AdamW, warm-up + cosine; checkpoint and best model under out/).
        Trainer.Options options = Trainer.Options.defaults().withEpochs(3).withBatchSize(8);
        new Trainer(model, options, out, Progress.Mode.OFF).fit(train, val, false);

        // 5. Predict, save, load.
        UniteModel.Prediction p = model.predict(test.graphs(), 32);
        System.out.printf("test MAE %.3f kcal/mol over %d molecules%n", Metrics.mae(p.energy(), test.energy()), test.size());
        ModelStore.save(model, out.resolve("my-model"));
        UniteModel loaded = ModelStore.load(out.resolve("my-model"));
        UniteModel.Prediction first = loaded.predict(test.graphs().subList(0, 1), 1);
        System.out.printf("first test molecule: %.4f kcal/mol, dipole %s%n", first.energy()[0],
                first.dipole() == null ? "none (no dipole head)" : java.util.Arrays.toString(first.dipole()[0]));

        // 6. Energy and forces of a molecule (-dE/dR in kcal/mol/A; dT/dR analytic for GFN1 models).
        Calculator calc = new Calculator(loaded);
        Calculator.Result r = calc.calculate(ds.molecules().get(0), true);
        System.out.printf("%.4f kcal/mol, force on atom 0: %s %s%n", r.energy(), java.util.Arrays.toString(r.forces()[0]), r.forceUnit());
    }
}
