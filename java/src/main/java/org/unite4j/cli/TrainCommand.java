package org.unite4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.data.LabelSpec;
import org.unite4j.model.UniteConfig;
import org.unite4j.train.Trainer;
import org.unite4j.train.TrainingRun;
import org.unite4j.io.Json;
import org.unite4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code unite train}: featurize (cached), train UNiTE, evaluate on the test split, write the model and plots. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a UNiTE model on GFN-xTB features of a labelled molecule file (extxyz, npz, sdf).",
                "Writes OUT/model (model.json + weights.safetensors), OUT/checkpoint (every epoch), OUT/learning_curve.png, "
                        + "OUT/parity_energy.png, OUT/metrics.json, OUT/split.npz; features are cached in OUT/cache."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled molecules.")
    Path data;

    @Option(names = "--target", required = true, paramLabel = "KEY:UNIT", description = "Energy label and the unit it is stored in, e.g. energy:kcal/mol or energy:Eh.")
    String target;

    @Option(names = "--dipole", paramLabel = "KEY:UNIT", description = "Dipole vector label, e.g. mu:D or dipole:e*bohr.")
    String dipole;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--epochs", defaultValue = "100", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "16", description = "Molecules per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of initialization, split and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--patience", defaultValue = "30", description = "Early-stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--baseline", paramLabel = "KEY:UNIT",
            description = "Also report the baseline 'this label + element counts' (a cheaper method's energy in the file, "
                    + "e.g. energy_dftb3_atomization_kcalmol:kcal/mol), fitted on the training set.")
    String baseline;

    @Option(names = "--config", paramLabel = "JSON", description = "Model architecture JSON file (keys of UniteConfig; missing keys take defaults).")
    Path config;

    @Option(names = "--delta", description = "Learn the difference to the xTB (GFN1) total energy.")
    boolean delta;

    @Option(names = "--overwrite", description = "Replace a model already in OUT (without it, a fresh run refuses such a folder).")
    boolean overwrite;

    @Option(names = "--resume", description = "Continue from OUT/checkpoint exactly where it stopped.")
    boolean resume;

    @Option(names = "--split", paramLabel = "SPLIT.npz", description = "Given split (int arrays train, validation, test over the file's frames).")
    Path split;

    @Option(names = "--validation-fraction", defaultValue = "0.1", description = "Random split: validation share (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Option(names = "--test-fraction", defaultValue = "0.1", description = "Random split: test share (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--train-size", defaultValue = "0", paramLabel = "N",
            description = "Random split: train on only N molecules (same validation/test sets for every N: learning curves).")
    int trainSize;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache folder (default: OUT/cache).")
    Path cache;

    @Option(names = "--threads", description = "xTB calculations in parallel (default: all cores).")
    Integer threads;

    @Option(names = "--on-bad-molecule", defaultValue = "stop", paramLabel = "skip|stop",
            description = "Molecules with unsupported elements or failed xTB runs: skip them with a warning, or stop (default: ${DEFAULT-VALUE}).")
    String onBad;

    @Option(names = "--test-data", paramLabel = "FILE", description = "Test on every molecule of this file (e.g. the rMD17 "
            + "test file) instead of a share of --data; validation still comes from --data.")
    Path testData;

    @Option(names = "--forces", paramLabel = "KEY:UNIT", description = "Also train on forces: the per-atom label and its unit, "
            + "e.g. forces:kcal/mol/A (rMD17 npz) or forces:eV/A. Costs one featurizer Jacobian per molecule once (cached; analytic for GFN1).")
    String forces;

    @Mixin
    JacobianOption jacobianOption;

    @Option(names = "--force-weight", paramLabel = "W", description = "Weight of the force term of the loss (default: "
            + Trainer.Options.DEFAULT_FORCE_WEIGHT + ").")
    Double forceWeight;

    @Option(names = "--stop-after-epoch", hidden = true, defaultValue = "0", description = "Testing: end the run after this epoch as if killed.")
    int stopAfterEpoch;

    /** {@code --backend cpu|cuda|auto}: where the model computes (CUDA: float32). */
    @Mixin
    BackendOption backendOption;

    @Mixin
    MoleculeReadOptions.Cell cell;

    @Mixin
    MoleculeReadOptions.Size size;

    @Override
    public Integer call() throws IOException {
        TrainingRun.Request req = request();
        org.unite4j.backend.Backend backend = backendOption.resolveQuietly();
        PrintStream log = System.err;
        long t0 = System.nanoTime();
        TrainingRun.Report rep = TrainingRun.run(req, log, backend, backendOption.note());
        print(System.out, rep, (System.nanoTime() - t0) / 1e9, req.baselineReference() == null ? null : req.baselineReference().key());
        return 0;
    }

    TrainingRun.Request request() throws IOException {
        boolean skip = switch (onBad) {
            case "skip" -> true;
            case "stop" -> false;
            default -> throw new IllegalArgumentException("--on-bad-molecule must be skip or stop, got '" + onBad + "'");
        };
        if (trainSize < 0) throw new IllegalArgumentException("--train-size must be >= 0 (0: all), got " + trainSize);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (!(lr > 0 && lr < 10)) throw new IllegalArgumentException("--lr must be in (0, 10), got " + lr);
        LabelSpec t = LabelSpec.parse(target, Units.Kind.ENERGY);
        LabelSpec d = dipole == null ? null : LabelSpec.parse(dipole, Units.Kind.DIPOLE);
        LabelSpec b = baseline == null ? null : LabelSpec.parse(baseline, Units.Kind.ENERGY);
        LabelSpec f = forces == null ? null : LabelSpec.parse(forces, Units.Kind.FORCE);
        if (forceWeight != null && forces == null) throw new IllegalArgumentException("--force-weight needs --forces KEY:UNIT");
        if (!Files.isRegularFile(data)) throw new java.nio.file.NoSuchFileException(data + ": no such file");
        if (!resume && !overwrite && (Files.exists(out.resolve("model")) || Files.exists(out.resolve("checkpoint"))))
            throw new IllegalArgumentException(out + " already holds a training run (model/ or checkpoint/): --resume continues it, "
                    + "--overwrite replaces it, or choose another --out");
        if (resume && overwrite) throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        if (testData != null && !Files.isRegularFile(testData)) throw new java.nio.file.NoSuchFileException(testData + ": no such file");
        OutputGuard.refuse("--out", out, TrainingRun.writtenPaths(out, cache == null ? out.resolve("cache") : cache),
                new OutputGuard.Input("--data", data), new OutputGuard.Input("--test-data", testData),
                new OutputGuard.Input("--split", split), new OutputGuard.Input("--config", config));
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        UniteConfig cfg = UniteConfig.defaults();
        if (config != null) {
            Object o = Json.readFile(config);
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException(config + ": expected a JSON object");
            @SuppressWarnings("unchecked") Map<String, Object> mm = (Map<String, Object>) m;
            cfg = UniteConfig.fromJson(mm);
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        Trainer.Options opt = Trainer.Options.defaults().withEpochs(epochs).withBatchSize(batch).withLr(lr).withSeed(seed)
                .withPatience(patience).withStopAfterEpoch(stopAfterEpoch);
        if (forceWeight != null) opt = opt.withForceWeight(forceWeight);
        return new TrainingRun.Request(data, t, d, out, cache == null ? out.resolve("cache") : cache, cfg, opt, delta, skip, resume,
                split, validationFraction, testFraction, nThreads, Progress.Mode.AUTO, null, null, trainSize, b, f, testData,
                size.with(cell), jacobianOption.kind());
    }

    static void print(PrintStream o, TrainingRun.Report r, double seconds, String baselineKey) {
        String u = r.heads().energyUnit();
        o.printf(Locale.ROOT, "molecules: %d (train %d, validation %d, test %d), skipped %d%n", r.molecules(), r.split().train().length,
                r.split().validation().length, r.split().test().length, r.skipped().size());
        o.printf(Locale.ROOT, "epochs run: %d, best epoch %d, best validation MAE %.4f %s%n", r.result().epochsRun(),
                r.result().bestEpoch() + 1, r.result().bestValidationMae(), u);
        o.printf(Locale.ROOT, "test energy MAE: UNiTE %.4f %s (RMSE %.4f); baselines: element counts %.4f, xTB + element counts %.4f%n",
                r.testMae(), u, r.testRmse(), r.countsBaselineMae(), r.referenceBaselineMae());
        if (!Double.isNaN(r.labelReferenceBaselineMae()))
            o.printf(Locale.ROOT, "baseline %s + element counts: %.4f %s%n", baselineKey, r.labelReferenceBaselineMae(), u);
        if (!Double.isNaN(r.testForceMae()))
            o.printf(Locale.ROOT, "test force MAE: UNiTE %.4f %s/A (RMSE %.4f, per component)%n", r.testForceMae(), u, r.testForceRmse());
        if (!Double.isNaN(r.testDipoleMae()))
            o.printf(Locale.ROOT, "test dipole MAE, mean |mu_pred - mu_ref| per molecule: UNiTE %.4f %s, baseline xTB dipole %.4f;"
                            + " per-component MAE (parity_dipole.png): UNiTE %.4f%n", r.testDipoleMae(), r.heads().dipoleUnit(),
                    r.referenceDipoleMae(), r.testDipoleComponentMae());
        o.printf(Locale.ROOT, "model: %s   wall time %.1f s%n", r.modelDir(), seconds);
    }
}
