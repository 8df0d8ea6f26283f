package org.unite4j.cli;

import org.unite4j.bench.Psi4;
import org.unite4j.bench.VsDft;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.FrameReader;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.xtb.XtbEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code unite bench vs-dft}: our featurize + predict against a psi4 DFT single point, per molecule. */
@Command(name = "vs-dft",
        mixinStandardHelpOptions = true,
        description = {"Time featurize (GFN1-xTB) + predict per molecule against a DFT single point (psi4 B3LYP/def2-SVP, run as an "
                + "external program) on the same molecules and machine; print the median of each and the ratio.",
                "Needs 'psi4' on PATH (else exits 2 saying how to install it), unless --ours-only."})
public final class VsDftCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Molecules (.xyz, .extxyz, .sdf, .mol, .npz).")
    Path data;

    @Option(names = "--n", defaultValue = "50", paramLabel = "N", description = "The first N molecules of the file (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--dft-threads", paramLabel = "T", description = "Threads of psi4 (default: all cores).")
    Integer dftThreads;

    @Option(names = "--dft-timeout", defaultValue = "3600", paramLabel = "S", description = "Seconds allowed per DFT single point (default: ${DEFAULT-VALUE}).")
    long dftTimeout;

    @Option(names = "--channels", defaultValue = "16", paramLabel = "C", hidden = true, description = "Unused (the model's configuration decides).")
    int channels;

    @Option(names = "--ours-only", description = "Time only featurize + predict (no DFT).")
    boolean oursOnly;

    @Option(names = "--forces", description = "Time energy + forces (our 6N-point featurizer Jacobian and gradient) against a "
            + "psi4 B3LYP/def2-SVP gradient.")
    boolean forces;

    @picocli.CommandLine.Mixin
    JacobianOption jacobianOption;

    @picocli.CommandLine.Mixin
    MoleculeReadOptions.Cell cell;

    @picocli.CommandLine.Mixin
    MoleculeReadOptions.Size size;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        if (channels < 1) throw new IllegalArgumentException("--channels must be >= 1, got " + channels);
        int threads = dftThreads == null ? Runtime.getRuntime().availableProcessors() : dftThreads;
        if (threads < 1) throw new IllegalArgumentException("--dft-threads must be >= 1, got " + threads);
        if (dftTimeout < 1) throw new IllegalArgumentException("--dft-timeout must be >= 1 s, got " + dftTimeout);
        Psi4 psi4 = null;
        if (!oursOnly) {
            Optional<Path> exe = Psi4.find();
            if (exe.isEmpty())
                throw new IllegalArgumentException("psi4 was not found on PATH; " + Psi4.INSTALL_HINT + ". With psi4 this command "
                        + "measures, for each of the first " + n + " molecules of " + data + ", the wall time of GFN1-xTB featurization + "
                        + "prediction and of a psi4 B3LYP/def2-SVP single point (" + threads + " threads), and prints the median of "
                        + "each and the ratio. Run with --ours-only to time our side alone.");
            psi4 = new Psi4(exe.get(), threads, dftTimeout);
        }
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        List<Molecule> mols = new ArrayList<>();
        try (FrameReader r = MoleculeReader.open(data, size.with(cell))) {
            while (r.hasNext() && mols.size() < n) mols.add(r.next().molecule());
        }
        if (mols.isEmpty()) throw new IllegalArgumentException(data + ": no molecules in the file");
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        err.println("unite bench vs-dft: " + mols.size() + " molecules from " + data + (psi4 == null ? " (our side only)" : ""));
        err.flush();
        VsDft.Result r = VsDft.run(mols, channels, psi4, threads, forces, jacobianOption.kind(), line -> {
            err.println(line);
            err.flush();
        });
        out.print(r.summary());
        out.flush();
        return 0;
    }
}
