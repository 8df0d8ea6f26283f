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
import org.unite4j.data.demo.DemoData;
import org.unite4j.model.UniteConfig;
import org.unite4j.train.Trainer;
import org.unite4j.train.TrainingRun;
import org.unite4j.util.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unite demo}: the self-contained tour. Generates distorted conformers of 15 small
 * molecules labelled with GFN2-xTB energies and dipoles ({@link DemoData}), trains UNiTE on GFN1-xTB
 * features to predict the GFN2 energy as a correction on top of the GFN1 energy (delta learning:
 * E = E_GFN1 + sum_A b_Z + c + UNiTE) and the GFN2 dipole, and compares test MAEs with the
 * baselines GFN1 + element counts (energy) and the GFN1 dipole itself.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Self-contained demo: generate GFN2-labelled conformers of 15 small molecules, train UNiTE on GFN1 features "
                + "(delta learning on the GFN1 energy) to predict GFN2 energies and dipoles, print test MAEs against baselines, "
                + "write plots. About 2-3 minutes on 2 cores (--quick: under a minute)."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "unite-demo", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Fewer conformers and epochs (a smoke run).")
    boolean quick;

    @Option(names = "--conformers", paramLabel = "N", description = "Conformers per molecule (default: 60, quick: 8).")
    Integer conformers;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (default: 40, quick: 4).")
    Integer epochs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of data, split and training (default: ${DEFAULT-VALUE}).")
    long seed;

    /** {@code --backend cpu|cuda|auto}: where the model computes (CUDA: float32). */
    @Mixin
    BackendOption backendOption;

    /** The architecture the demo trains (small enough for 2 cores). */
    static UniteConfig demoConfig() {
        return UniteConfig.fromJson(Map.of("hidden", "24x0e+12x1o+6x2e", "tp_channels", 12, "blocks", 2, "edge_hidden", 24, "mlp_hidden", 32));
    }

    /**
     * The demo has no inputs, but it replaces a folder's model: it refuses a file as --out and a
     * folder holding a training run that is not an earlier demo's (no demo.extxyz), which is
     * someone's {@code unite train} result.
     */
    static void refuseForeignOutput(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out))
            throw new IllegalArgumentException("--out " + out + " is a file, not a folder: choose another --out");
        if ((Files.exists(out.resolve("model")) || Files.exists(out.resolve("checkpoint"))) && !Files.exists(out.resolve("demo.extxyz")))
            throw new IllegalArgumentException("--out " + out + " holds a training run that is not a demo's (model/ or checkpoint/ "
                    + "without demo.extxyz): choose another --out");
    }

    @Override
    public Integer call() throws IOException {
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        org.unite4j.backend.Backend backend = backendOption.resolve();
        refuseForeignOutput(out);
        PrintStream o = System.out;
        long t0 = System.nanoTime();
        int k = conformers != null ? conformers : quick ? 8 : 60;
        int ep = epochs != null ? epochs : quick ? 4 : 40;
        Files.createDirectories(out);
        Path data = out.resolve("demo.extxyz");
        o.printf(Locale.ROOT, "1/3 generating %d conformers of %d molecules, labelled with GFN2-xTB -> %s%n", DemoData.frameCount(k),
                DemoData.frameCount(1), data);
        int frames;
        try (Progress bar = new Progress("GFN2 labels", DemoData.frameCount(k))) {
            frames = DemoData.generate(k, seed, data, bar);
        }
        double tData = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "    %d frames in %.1f s%n", frames, tData);
        o.printf(Locale.ROOT, "2/3 training UNiTE on GFN1-xTB features: target %s (delta on the GFN1 energy), dipole %s%n",
                DemoData.ENERGY_GFN2, DemoData.DIPOLE_GFN2);
        Trainer.Options opt = Trainer.Options.defaults().withEpochs(ep).withBatchSize(16).withLr(5e-3).withSeed(seed).withPatience(ep);
        TrainingRun.Request req = new TrainingRun.Request(data, LabelSpec.parse(DemoData.ENERGY_GFN2 + ":Eh"),
                LabelSpec.parse(DemoData.DIPOLE_GFN2 + ":e*bohr"), out, out.resolve("cache"), demoConfig(), opt, true, false, false, null,
                0.1, 0.2, Runtime.getRuntime().availableProcessors(), Progress.Mode.AUTO, Units.KCAL_MOL, Units.DEBYE, 0, null);
        TrainingRun.Report r = TrainingRun.run(req, System.err, backend);
        double total = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "3/3 test set (%d conformers never seen in training):%n", r.split().test().length);
        o.printf(Locale.ROOT, "    GFN2 energy MAE   UNiTE %.3f kcal/mol   baselines: GFN1 + element counts %.3f, element counts %.3f kcal/mol%n",
                r.testMae(), r.referenceBaselineMae(), r.countsBaselineMae());
        o.printf(Locale.ROOT, "    GFN2 dipole MAE   UNiTE %.3f D          baseline: GFN1 dipole %.3f D   (mean |mu_pred - mu_ref| per conformer)%n",
                r.testDipoleMae(), r.referenceDipoleMae());
        o.printf(Locale.ROOT, "    plots: %s, %s, %s; model: %s%n", out.resolve("learning_curve.png"), out.resolve("parity_energy.png"),
                out.resolve("parity_dipole.png"), r.modelDir());
        o.printf(Locale.ROOT, "    wall time %.0f s (data %.0f s)%n", total, tData);
        return 0;
    }
}
