package org.unite4j.train;

import org.unite4j.report.Plots;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.data.Dataset;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.LabelSpec;
import org.unite4j.data.MolecularGraph;
import org.unite4j.data.Split;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.util.AtomicFiles;
import org.unite4j.io.Json;
import org.unite4j.util.Progress;

/**
 * The whole training workflow behind {@code unite train} and {@code unite demo}: read a labelled
 * molecule file, drop (or stop at) molecules with unsupported elements or failed xTB runs,
 * featurize through the on-disk cache, split, fit the heads and baselines on the training set,
 * train, evaluate the best model on the test set, and write {@code OUT/model}, the learning-curve
 * and parity plots and {@code OUT/metrics.json}.
 */
public final class TrainingRun {
    /**
     * Everything a run needs. {@code split} null: random split with the fractions; {@code trainSize}
     * > 0 then keeps only that many of the training molecules (validation and test sets unchanged,
     * so runs with different sizes share them: a learning curve). {@code baselineReference} non-null:
     * one more baseline, that label of the file (an energy of a cheaper method, e.g. DFTB3) + element
     * counts fitted on the training set, reported on the test set.
     */
    public record Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                          Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                          double validationFraction, double testFraction, int threads, Progress.Mode progress,
                          Units.Unit energyUnit, Units.Unit dipoleUnit, int trainSize, LabelSpec baselineReference,
                          LabelSpec forces, Path testData, org.unite4j.chem.io.ReadOptions read,
                          org.unite4j.data.FeatureJacobian.Kind jacobian) {
        /** The default featurizer Jacobian ({@link org.unite4j.data.FeatureJacobian.Kind#AUTO}). */
        public Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                       Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                       double validationFraction, double testFraction, int threads, Progress.Mode progress,
                       Units.Unit energyUnit, Units.Unit dipoleUnit, int trainSize, LabelSpec baselineReference,
                       LabelSpec forces, Path testData, org.unite4j.chem.io.ReadOptions read) {
            this(data, target, dipole, out, cacheDir, config, options, delta, skipBad, resume, split, validationFraction, testFraction,
                    threads, progress, energyUnit, dipoleUnit, trainSize, baselineReference, forces, testData, read,
                    org.unite4j.data.FeatureJacobian.Kind.AUTO);
        }

        /** Molecule files read with {@link org.unite4j.chem.io.ReadOptions#DEFAULT}. */
        public Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                       Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                       double validationFraction, double testFraction, int threads, Progress.Mode progress,
                       Units.Unit energyUnit, Units.Unit dipoleUnit, int trainSize, LabelSpec baselineReference, LabelSpec forces,
                       Path testData) {
            this(data, target, dipole, out, cacheDir, config, options, delta, skipBad, resume, split, validationFraction, testFraction,
                    threads, progress, energyUnit, dipoleUnit, trainSize, baselineReference, forces, testData,
                    org.unite4j.chem.io.ReadOptions.DEFAULT);
        }

        /** Without a separate test file. */
        public Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                       Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                       double validationFraction, double testFraction, int threads, Progress.Mode progress,
                       Units.Unit energyUnit, Units.Unit dipoleUnit, int trainSize, LabelSpec baselineReference, LabelSpec forces) {
            this(data, target, dipole, out, cacheDir, config, options, delta, skipBad, resume, split, validationFraction, testFraction,
                    threads, progress, energyUnit, dipoleUnit, trainSize, baselineReference, forces, null);
        }

        /** Without force labels. */
        public Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                       Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                       double validationFraction, double testFraction, int threads, Progress.Mode progress,
                       Units.Unit energyUnit, Units.Unit dipoleUnit, int trainSize, LabelSpec baselineReference) {
            this(data, target, dipole, out, cacheDir, config, options, delta, skipBad, resume, split, validationFraction, testFraction,
                    threads, progress, energyUnit, dipoleUnit, trainSize, baselineReference, null);
        }

        /** Without explicit units: the model works in the labels' own units. */
        public Request(Path data, LabelSpec target, LabelSpec dipole, Path out, Path cacheDir, UniteConfig config,
                       Trainer.Options options, boolean delta, boolean skipBad, boolean resume, Path split,
                       double validationFraction, double testFraction, int threads, Progress.Mode progress) {
            this(data, target, dipole, out, cacheDir, config, options, delta, skipBad, resume, split, validationFraction, testFraction,
                    threads, progress, null, null, 0, null, null);
        }
    }

    /**
     * Test-set results (energy in the target unit, dipole in the dipole unit; NaN where absent).
     * The dipole MAE is {@value #DIPOLE_MAE_DEFINITION}: {@code testDipoleMae} for the model,
     * {@code referenceDipoleMae} for the xTB dipole; {@code testDipoleComponentMae} is the MAE over
     * the x, y and z components (what the dipole parity plot shows).
     */
    public record Report(int molecules, List<String> skipped, Split split, Trainer.Result result, double testMae, double testRmse,
                         double testDipoleMae, double countsBaselineMae, double referenceBaselineMae, double referenceDipoleMae,
                         Path modelDir, Heads heads, double labelReferenceBaselineMae, double testForceMae, double testForceRmse,
                         double testDipoleComponentMae) {
    }

    /** The one dipole metric reported as "dipole MAE" (console, metrics.json, plot titles), as in the dipole-model literature. */
    public static final String DIPOLE_MAE_DEFINITION = "the mean over molecules of |mu_pred - mu_ref|, the Euclidean norm of the error vector";

    private TrainingRun() {
    }

    /**
     * What a run into {@code out} writes or replaces: the model and checkpoint folders, the feature
     * cache, metrics.json, split.npz and the plots; and {@code out} itself when it is not a folder
     * (a run cannot make a folder there). The CLI refuses inputs among these before any work.
     */
    public static List<Path> writtenPaths(Path out, Path cacheDir) {
        List<Path> w = new ArrayList<>();
        if (!java.nio.file.Files.isDirectory(out)) w.add(out);
        for (String f : List.of("model", "checkpoint", "metrics.json", "split.npz", "learning_curve.png", "parity_energy.png",
                "parity_dipole.png", "parity_forces.png"))
            w.add(out.resolve(f));
        if (cacheDir != null) w.add(cacheDir);
        return w;
    }

    /** {@link #run(Request, PrintStream, Backend)} on the CPU backend. */
    public static Report run(Request r, PrintStream log) throws IOException {
        return run(r, log, Backends.cpu());
    }

    /**
     * Runs the workflow with the model on {@code backend} (featurization stays on the CPU); a float64
     * config runs in float32 on a float32-only backend (CUDA), said on {@code log}.
     */
    public static Report run(Request r, PrintStream log, Backend backend) throws IOException {
        return run(r, log, backend, null);
    }

    /** As above; {@code backendNote} (may be null) is printed once the input has been read and checked. */
    public static Report run(Request r, PrintStream log, Backend backend, String backendNote) throws IOException {
        UniteConfig runConfig = UniteModel.configFor(r.config(), backend);
        if (runConfig != r.config())
            log.println("note: the " + backend.name() + " backend computes in " + runConfig.dtype() + ", not " + r.config().dtype());
        Dataset ds = Dataset.load(r.data(), r.read());
        if (ds.size() == 0) throw new IllegalArgumentException(r.data() + ": no molecules");
        int mainFrames = ds.size();
        if (r.testData() != null) {
            if (r.split() != null) throw new IllegalArgumentException("--test-data and --split exclude each other");
            Dataset t = Dataset.load(r.testData(), r.read());
            if (t.size() == 0) throw new IllegalArgumentException(r.testData() + ": no molecules");
            List<org.unite4j.chem.io.Frame> both = new ArrayList<>(ds.frames());
            both.addAll(t.frames());
            ds = Dataset.of(both, r.data() + " + " + r.testData());
        }
        List<String> skipped = new ArrayList<>();
        Set<Integer> supported = new TreeSet<>();
        for (int z = 1; z <= XtbBasisSet.MAX_Z; z++) supported.add(z);
        List<Integer> keepIdx = new ArrayList<>();
        for (int i = 0; i < ds.size(); i++) {
            Dataset one = ds.subset(new int[]{i});
            try {
                if (one.requireElements(supported, r.skipBad(), skipped::add).size() == 1) keepIdx.add(i);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (use --on-bad-molecule skip to leave such molecules out)", e);
            }
        }
        Dataset kept = ds.subset(keepIdx.stream().mapToInt(Integer::intValue).toArray());
        Units.Unit eu = r.energyUnit() != null ? r.energyUnit() : r.target().unit();
        Units.Unit du = r.dipole() == null ? null : r.dipoleUnit() != null ? r.dipoleUnit() : r.dipole().unit();
        double[] energy = kept.scalars(r.target(), eu);
        double[][] dipole = r.dipole() == null ? null : kept.vectors(r.dipole(), du, 3);
        Units.Unit fu = Units.parse(eu.symbol() + "/A", Units.Kind.FORCE);
        double[][] forceLabels = r.forces() == null ? null : kept.atomArrays(r.forces(), fu);
        double[] baselineRef = r.baselineReference() == null ? null : kept.scalars(r.baselineReference(), eu);
        List<Molecule> mols = kept.molecules();
        if (backendNote != null) log.println(backendNote);
        FeatureCache cache = new FeatureCache(r.cacheDir(), r.config().xtbMethod(), r.config().accuracy(), r.config().tau());
        List<FeatureCache.Outcome> outs;
        try (Progress bar = new Progress("featurize (" + r.config().xtbMethod() + ")", mols.size(), System.err, r.progress(),
                Progress.PLAIN_INTERVAL_MS, System::nanoTime)) {
            outs = cache.featurize(mols, r.threads(), bar::advanceTo, log::println);
        }
        List<MolecularGraph> graphs = new ArrayList<>();
        List<Integer> ok = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            if (outs.get(i).ok()) {
                graphs.add(outs.get(i).graph());
                ok.add(i);
                continue;
            }
            String where = kept.frame(i).where() + ": xTB failed: " + outs.get(i).error().getMessage();
            if (!r.skipBad()) throw new IllegalArgumentException(where + " (use --on-bad-molecule skip to leave it out)");
            skipped.add("skipping " + where);
        }
        if (graphs.isEmpty()) // --on-bad-molecule skip with every molecule bad: an error before anything is written
            throw new IllegalArgumentException("nothing succeeded: " + skipped.size() + " of " + ds.size()
                    + " molecules failed; first error: " + skipped.getFirst().replaceFirst("^skipping ", ""));
        for (String s : skipped) log.println("warning: " + s);
        if (!skipped.isEmpty()) log.println("warning: skipped " + skipped.size() + " of " + ds.size() + " molecules");
        log.printf(Locale.ROOT, "featurized %d molecules (%d from the cache%s)%n", graphs.size(), cache.hits(),
                r.cacheDir() == null ? "" : " in " + r.cacheDir());
        int n = graphs.size();
        double[] e = new double[n];
        double[][] d = dipole == null ? null : new double[n][];
        for (int i = 0; i < n; i++) {
            e[i] = energy[ok.get(i)];
            if (d != null) d[i] = dipole[ok.get(i)];
        }
        Split split;
        if (r.split() != null) {
            Split given = Split.load(r.split(), ds.size());
            int[] fileToKept = new int[ds.size()];
            java.util.Arrays.fill(fileToKept, -1);
            for (int i = 0; i < n; i++) fileToKept[keepIdx.get(ok.get(i))] = i;
            split = new Split(remap(given.train(), fileToKept), remap(given.validation(), fileToKept), remap(given.test(), fileToKept));
        } else if (r.testData() != null) {
            // validation from --data, test = every usable frame of --test-data (they come last)
            int nMain = 0;
            while (nMain < n && keepIdx.get(ok.get(nMain)) < mainFrames) nMain++;
            int nv = Math.max(1, (int) Math.round(r.validationFraction() * nMain));
            if (nMain - nv < 1) throw new IllegalArgumentException("only " + nMain + " usable molecules in " + r.data() + ": too few to split");
            Split main = Split.random(nMain, nMain - nv, nv, r.options().seed());
            int[] train = main.train();
            if (r.trainSize() > 0) {
                if (r.trainSize() > train.length)
                    throw new IllegalArgumentException("--train-size " + r.trainSize() + " exceeds the " + train.length
                            + " molecules left for training");
                train = java.util.Arrays.copyOf(train, r.trainSize());
            }
            int[] test = new int[n - nMain];
            for (int i = 0; i < test.length; i++) test[i] = nMain + i;
            split = new Split(train, main.validation(), test);
        } else {
            int nv = Math.max(1, (int) Math.round(r.validationFraction() * n)), nt = (int) Math.round(r.testFraction() * n);
            if (n - nv - nt < 1) throw new IllegalArgumentException("only " + n + " usable molecules: too few to split into train/validation/test");
            split = Split.random(n, n - nv - nt, nv, r.options().seed());
            if (r.trainSize() > 0) {
                if (r.trainSize() > split.train().length)
                    throw new IllegalArgumentException("--train-size " + r.trainSize() + " exceeds the " + split.train().length
                            + " molecules left for training");
                split = new Split(java.util.Arrays.copyOf(split.train(), r.trainSize()), split.validation(), split.test());
            }
        }
        requireTrainingElements(kept, ok, split);
        Trainer.LabeledSet all = r.forces() == null ? new Trainer.LabeledSet(graphs, e, d)
                : withForces(r, graphs, e, d, forceLabels, ok, split, cache, log);
        Trainer.LabeledSet train = all.subset(split.train()), val = all.subset(split.validation()), test = all.subset(split.test());
        Heads heads = Trainer.fitHeads(train, r.target().key(), eu, r.dipole() == null ? null : r.dipole().key(),
                du, r.delta()).withLabelUnits(r.target().unit().symbol(), r.dipole() == null ? null : r.dipole().unit().symbol());
        UniteModel model = new UniteModel(runConfig, heads, r.options().seed(), backend);
        model.fitInputStatistics(train.graphs());
        log.printf(Locale.ROOT, "UNiTE: %d parameters, %d blocks, hidden %s; train %d, validation %d, test %d molecules%n",
                model.numParameters(), r.config().blocks(), r.config().hidden(), train.size(), val.size(), test.size());
        Trainer trainer = new Trainer(model, r.options(), r.out(), r.progress());
        Trainer.Result res = trainer.fit(train, val, r.resume());
        UniteModel best = ModelStore.load(trainer.modelDir(), backend);
        Plots.learningCurve(r.out().resolve("learning_curve.png"), toArray(res.trainMae()), toArray(res.validationMae()),
                "energy MAE (" + eu.symbol() + ")", true);
        // test set and baselines (fitted on the training set)
        int[][] zTrain = zs(train), zTest = zs(test);
        double toUnit = Units.HARTREE.factorTo(eu);
        double testMae = Double.NaN, testRmse = Double.NaN, dipMae = Double.NaN, countsMae = Double.NaN, refMae = Double.NaN, refDip = Double.NaN;
        double dipComp = Double.NaN;
        double labelRefMae = Double.NaN;
        Map<String, Object> metrics = new LinkedHashMap<>();
        if (test.size() > 0) {
            UniteModel.Prediction p = best.predict(test.graphs(), 32);
            testMae = Metrics.mae(p.energy(), test.energy());
            testRmse = Metrics.rmse(p.energy(), test.energy());
            countsMae = Baselines.fitElementCounts(zTrain, train.energy()).mae(zTest, null, test.energy());
            refMae = Baselines.fitReferencePlusCounts(zTrain, refs(train, toUnit), train.energy()).mae(zTest, refs(test, toUnit), test.energy());
            if (baselineRef != null) {
                double[] byGraph = new double[n];
                for (int i = 0; i < n; i++) byGraph[i] = baselineRef[ok.get(i)];
                double[] rTrain = pick(byGraph, split.train()), rTest = pick(byGraph, split.test());
                labelRefMae = Baselines.fitReferencePlusCounts(zTrain, rTrain, train.energy()).mae(zTest, rTest, test.energy());
            }
            // parity of the part the network learns: E minus the fixed baseline (element shifts, + E_xTB with delta)
            double[] refRel = new double[test.size()], predRel = new double[test.size()];
            for (int i = 0; i < test.size(); i++) {
                MolecularGraph g = test.graphs().get(i);
                double fixed = heads.fixedEnergy(g.atomicNumbers(), g.referenceEnergy());
                refRel[i] = test.energy()[i] - fixed;
                predRel[i] = p.energy()[i] - fixed;
            }
            Plots.parity(r.out().resolve("parity_energy.png"), refRel, predRel, "energy - baseline", eu.symbol(),
                    "UNiTE, test set (baseline: " + (heads.delta() ? "xTB + " : "") + "element shifts)");
            if (test.dipole() != null && heads.hasDipole()) {
                Metrics.Vector mv = new Metrics.Vector(3), xv = new Metrics.Vector(3);
                double f = Units.E_BOHR.factorTo(heads.dipoleUnitValue());
                double[] ref = new double[3 * test.size()], pred = new double[3 * test.size()];
                for (int i = 0; i < test.size(); i++) {
                    mv.add(p.dipole()[i], test.dipole()[i]);
                    double[] x = test.graphs().get(i).referenceDipole();
                    for (int k = 0; k < 3; k++) x[k] *= f;
                    xv.add(x, test.dipole()[i]);
                    for (int k = 0; k < 3; k++) {
                        ref[3 * i + k] = test.dipole()[i][k];
                        pred[3 * i + k] = p.dipole()[i][k];
                    }
                }
                dipMae = mv.mae(); // mean |mu_pred - mu_ref| per molecule (DIPOLE_MAE_DEFINITION)
                refDip = xv.mae();
                dipComp = Metrics.mae(pred, ref); // per component, what the parity plot shows
                Plots.parity(r.out().resolve("parity_dipole.png"), ref, pred, "dipole components x, y, z", heads.dipoleUnit(),
                        String.format(Locale.ROOT, "UNiTE, test set (%d molecules)\ndipole MAE, mean |mu_pred - mu_ref|: %.4g %s",
                                test.size(), dipMae, heads.dipoleUnit()));
            }
        }
        double forceMae = Double.NaN, forceRmse = Double.NaN;
        if (test.size() > 0 && test.hasForces()) {
            List<double[][]> pf = new org.unite4j.model.Calculator(best, g -> { throw new IllegalStateException("no Jacobian"); }, 1)
                    .forces(test.graphs(), test.jacobians());
            int comps = 0;
            for (double[] fl : test.forces()) comps += fl.length;
            double[] ref = new double[comps], pred = new double[comps];
            for (int i = 0, c = 0; i < test.size(); i++)
                for (int a = 0; a < pf.get(i).length; a++) {
                    double[] fr = java.util.Arrays.copyOfRange(test.forces()[i], 3 * a, 3 * a + 3);
                    for (int k = 0; k < 3; k++, c++) {
                        ref[c] = fr[k];
                        pred[c] = pf.get(i)[a][k];
                    }
                }
            forceMae = Metrics.mae(pred, ref); // per component
            forceRmse = Metrics.rmse(pred, ref);
            Plots.parity(r.out().resolve("parity_forces.png"), ref, pred, "force components x, y, z", fu.symbol(),
                    "UNiTE, test set");
        }
        metrics.put("molecules", n);
        metrics.put("skipped", skipped.size());
        metrics.put("train", train.size());
        metrics.put("validation", val.size());
        metrics.put("test", test.size());
        metrics.put("energy_unit", eu.symbol());
        metrics.put("best_epoch", res.bestEpoch() + 1);
        metrics.put("best_validation_mae", res.bestValidationMae());
        metrics.put("test_mae", nanNull(testMae));
        metrics.put("test_rmse", nanNull(testRmse));
        metrics.put("baseline_element_counts_test_mae", nanNull(countsMae));
        metrics.put("baseline_xtb_plus_counts_test_mae", nanNull(refMae));
        if (r.baselineReference() != null) {
            metrics.put("baseline_reference_key", r.baselineReference().key());
            metrics.put("baseline_reference_plus_counts_test_mae", nanNull(labelRefMae));
        }
        metrics.put("dipole_unit", heads.dipoleUnit());
        metrics.put("dipole_error_norm_mae_definition", DIPOLE_MAE_DEFINITION + ", in dipole_unit");
        metrics.put("test_dipole_error_norm_mae", nanNull(dipMae));
        metrics.put("baseline_xtb_dipole_test_error_norm_mae", nanNull(refDip));
        metrics.put("test_dipole_component_mae", nanNull(dipComp)); // mean |error| over the x, y, z components
        if (r.forces() != null) {
            metrics.put("force_unit", fu.symbol());
            metrics.put("force_weight", r.options().forceWeight());
            metrics.put("test_force_mae", nanNull(forceMae));
            metrics.put("test_force_rmse", nanNull(forceRmse));
        }
        AtomicFiles.writeString(r.out().resolve("metrics.json"), Json.writePretty(metrics) + "\n");
        split.save(r.out().resolve("split.npz"));
        return new Report(n, skipped, split, res, testMae, testRmse, dipMae, countsMae, refMae, refDip, trainer.modelDir(), heads,
                labelRefMae, forceMae, forceRmse, dipComp);
    }

    /**
     * The labeled set with force labels and the featurizer Jacobians of the molecules the split
     * uses (train, validation, test; others get none and are never used), cached under
     * CACHE/jacobian. States the memory they take.
     */
    private static Trainer.LabeledSet withForces(Request r, List<MolecularGraph> graphs, double[] e, double[][] d, double[][] forceLabels,
                                                 List<Integer> ok, Split split, FeatureCache cache, PrintStream log) throws IOException {
        int n = graphs.size();
        double[][] f = new double[n][];
        for (int i = 0; i < n; i++) {
            f[i] = forceLabels[ok.get(i)];
            if (f[i].length != 3 * graphs.get(i).numAtoms())
                throw new IllegalArgumentException(r.data() + ": molecule " + ok.get(i) + ": '" + r.forces().key() + "' has "
                        + f[i].length / 3 + " rows for " + graphs.get(i).numAtoms() + " atoms");
        }
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        for (int[] idx : new int[][]{split.train(), split.validation(), split.test()}) for (int i : idx) used.add(i);
        List<MolecularGraph> need = new ArrayList<>();
        for (int i : used) need.add(graphs.get(i));
        org.unite4j.data.FeatureJacobian jacobian = org.unite4j.data.FeatureJacobian.forMethod(
                r.jacobian() == null ? org.unite4j.data.FeatureJacobian.Kind.AUTO : r.jacobian(), r.config().xtbMethod(), r.threads(), null);
        long sps = 0, bytesNeeded = 0;
        for (MolecularGraph g : need) {
            sps += jacobian.workUnits(g.numAtoms());
            bytesNeeded += 4L * 3 * g.numAtoms() * g.numBlockValues();
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytesNeeded > 0.8 * heap)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the featurizer Jacobians of %d molecules need %.1f GB, the JVM "
                    + "may use %.1f GB: give it more (UNITE_JAVA_OPTS=-Xmx...g) or train on fewer molecules (--train-size)",
                    need.size(), bytesNeeded / 1e9, heap / 1e9));
        org.unite4j.data.JacobianCache jc = new org.unite4j.data.JacobianCache(r.cacheDir() == null ? null : r.cacheDir().resolve("jacobian"),
                cache, jacobian);
        List<org.unite4j.data.FeatureJacobian.Jacobian> got;
        String what = jacobian instanceof org.unite4j.data.NumericalFeatureJacobian
                ? "featurizer Jacobian (6N single points per molecule)" : "featurizer Jacobian (analytic, molecules)";
        try (Progress bar = new Progress(what, sps, System.err, r.progress(),
                Progress.PLAIN_INTERVAL_MS, System::nanoTime)) {
            got = jc.jacobians(need, bar::advanceTo, log::println);
        }
        List<org.unite4j.data.FeatureJacobian.Jacobian> jac = new ArrayList<>(java.util.Collections.nCopies(n, null));
        long bytes = 0;
        int k = 0;
        for (int i : used) {
            jac.set(i, got.get(k++));
            bytes += jac.get(i).bytes();
        }
        // molecules outside the split carry an empty stand-in (never read)
        for (int i = 0; i < n; i++)
            if (jac.get(i) == null)
                jac.set(i, org.unite4j.data.FeatureJacobian.Jacobian.ofFloat32(new float[3 * graphs.get(i).numAtoms()][0],
                        new double[3 * graphs.get(i).numAtoms()]));
        log.printf(Locale.ROOT, "featurizer Jacobians of %d molecules: %.1f MB in memory (float32; %d from the cache)%n", used.size(),
                bytes / 1e6, jc.hits());
        return new Trainer.LabeledSet(graphs, e, d, f, jac);
    }

    /**
     * Every element of the validation and test molecules must occur in a training molecule (the
     * element baseline and the embedding are fitted there): checked before any training, naming
     * the molecule.
     */
    private static void requireTrainingElements(Dataset kept, List<Integer> ok, Split split) {
        Set<Integer> seen = new TreeSet<>();
        for (int i : split.train()) for (int z : kept.frame(ok.get(i)).molecule().atomicNumbers()) seen.add(z);
        String[] names = {"validation", "test"};
        int[][] sets = {split.validation(), split.test()};
        for (int s = 0; s < 2; s++)
            for (int i : sets[s])
                for (int z : kept.frame(ok.get(i)).molecule().atomicNumbers())
                    if (!seen.contains(z))
                        throw new IllegalArgumentException(kept.frame(ok.get(i)).where() + " (" + kept.frame(ok.get(i)).molecule().formula()
                                + "), a " + names[s] + " molecule, has " + org.unite4j.chem.Elements.symbol(z)
                                + ", which no training molecule has: give the training set such molecules (--split or a larger --train-size)");
    }

    private static Object nanNull(double v) { return Double.isFinite(v) ? v : null; }

    private static int[] remap(int[] idx, int[] map) {
        return java.util.Arrays.stream(idx).map(i -> map[i]).filter(i -> i >= 0).toArray();
    }

    private static int[][] zs(Trainer.LabeledSet s) {
        int[][] z = new int[s.size()][];
        for (int i = 0; i < z.length; i++) z[i] = s.graphs().get(i).atomicNumbers();
        return z;
    }

    private static double[] refs(Trainer.LabeledSet s, double toUnit) {
        double[] r = new double[s.size()];
        for (int i = 0; i < r.length; i++) r[i] = s.graphs().get(i).referenceEnergy() * toUnit;
        return r;
    }

    private static double[] pick(double[] v, int[] idx) {
        double[] o = new double[idx.length];
        for (int i = 0; i < idx.length; i++) o[i] = v[idx[i]];
        return o;
    }

    private static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
