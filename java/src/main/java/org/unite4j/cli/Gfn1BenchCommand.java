package org.unite4j.cli;

import org.unite4j.bench.Gfn1VsLibxtb;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.FrameReader;
import org.unite4j.chem.io.MoleculeReader;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.io.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code unite bench gfn1}: the Java GFN1-xTB against libxtb (agreement and speed) on a molecule file. */
@Command(name = "gfn1",
        mixinStandardHelpOptions = true,
        description = {"Compare the Java GFN1-xTB with libxtb on the molecules of a file: worst element-wise difference of F, P, S, W "
                + "and charges from libxtb converged tightly (accuracy 1e-4), and the median time per single point of each on one thread."})
public final class Gfn1BenchCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Molecules (.xyz, .extxyz, .sdf, .mol, .npz).")
    Path data;

    @Option(names = "--n", paramLabel = "N", description = "Only the first N molecules (default: all).")
    Integer n;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (n != null && n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        XtbEnvironment.availabilityProblem().ifPresent(p -> {
            throw new IllegalArgumentException("libxtb is not available (install the libxtb6 package): " + p);
        });
        List<Molecule> mols = new ArrayList<>();
        try (FrameReader r = MoleculeReader.open(data)) {
            while (r.hasNext() && (n == null || mols.size() < n)) mols.add(r.next().molecule());
        }
        if (mols.isEmpty()) throw new IllegalArgumentException(data + ": no molecules in the file");
        PrintWriter err = spec.commandLine().getErr(), out = spec.commandLine().getOut();
        err.println("unite bench gfn1: " + mols.size() + " molecules from " + data);
        err.flush();
        Gfn1VsLibxtb.Result r = Gfn1VsLibxtb.run(mols, line -> {
            err.println(line);
            err.flush();
        });
        out.print(json ? Json.write(r.toJson()) + "\n" : r.summary());
        out.flush();
        return 0;
    }
}
