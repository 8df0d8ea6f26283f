package org.unite4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unite4j.data.Dataset;
import org.unite4j.model.UniteModel;
import org.unite4j.train.ModelStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of the commands that apply a trained model to a molecule file ({@code predict},
 * {@code optimize}, {@code md}): the model folder, the file and how it is read, the xTB threads, the
 * backend and the featurizer Jacobian of the forces.
 */
public final class ModelInputOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR|NAME", description = "Model folder (OUT/model of unite train), or "
            + "the name of a shipped model (./unite models).")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Molecules (.xyz, .extxyz, .sdf, .npz).")
    Path data;

    @Option(names = "--threads", description = "xTB calculations in parallel (default: all cores).")
    Integer threads;

    @Mixin
    JacobianOption jacobianOption;

    /** The --jacobian of this model's featurizer, reporting its work units to progress (may be null). */
    org.unite4j.data.FeatureJacobian jacobian(UniteModel model, int threads, java.util.function.IntConsumer progress) {
        return org.unite4j.data.FeatureJacobian.forMethod(jacobianOption.kind(),
                model.config().xtbMethod(), threads, progress);
    }

    /** {@code --backend cpu|cuda|auto}: where the model computes (CUDA: float32). */
    @Mixin
    BackendOption backendOption;

    @Mixin
    MoleculeReadOptions.Cell cell;

    @Mixin
    MoleculeReadOptions.Size size;

    /**
     * The model on the chosen backend; its --jacobian is checked here too, and the auto backend's
     * note is printed only once the model has loaded (a bad folder stays a one-line error).
     */
    UniteModel loadModel() throws IOException {
        modelDir = ShippedModels.resolve("--model", modelDir);
        UniteModel m = ModelStore.load(modelDir, backendOption.resolveQuietly());
        jacobian(m, 1, null);
        backendOption.printNote();
        return m;
    }

    /** The molecules of --data; an error for a missing or empty file. */
    Dataset loadData() throws IOException {
        return loadData(null);
    }

    /**
     * The molecules of --data, bad frames handed to {@code onInvalid} and left out (null: the first
     * is an error); an error for a missing file or one without a readable molecule.
     */
    Dataset loadData(java.util.function.Consumer<org.unite4j.chem.io.MoleculeFormatException> onInvalid) throws IOException {
        if (!Files.isRegularFile(data)) throw new java.nio.file.NoSuchFileException(data + ": no such file");
        Dataset ds = Dataset.load(data, size.with(cell), onInvalid);
        if (ds.size() == 0) throw new IllegalArgumentException(data + ": no molecules" + (onInvalid == null ? "" : " could be read"));
        return ds;
    }

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + t);
        return t;
    }

    /** Refuses an output file that is the molecule file or a file of the model folder (nothing the user wrote is replaced). */
    void refuseOverwritingInput(Path out) throws IOException {
        modelDir = ShippedModels.resolve("--model", modelDir);
        OutputGuard.refuseFile("--out", out, new OutputGuard.Input("--data", data), new OutputGuard.Input("--model", modelDir));
    }
}
