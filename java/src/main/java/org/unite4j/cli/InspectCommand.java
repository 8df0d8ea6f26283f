package org.unite4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.unite4j.chem.Elements;
import org.unite4j.chem.io.AtomProperty;
import org.unite4j.chem.io.Frame;
import org.unite4j.chem.io.FrameReader;
import org.unite4j.chem.io.MoleculeReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code unite inspect FILE}: reads a molecule file (xyz/extxyz, SDF/MOL, npz) frame by frame
 * and prints its size, elements, the label keys with min/mean/max of the numeric ones, and the
 * per-atom arrays: what to pass to {@code --target KEY:UNIT}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Summarize a molecule file (.xyz .extxyz .sdf .mol .npz): frames, elements, labels, per-atom arrays.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "molecule file")
    Path file;

    @Option(names = "--show", paramLabel = "N", description = "also print the first N molecules (default ${DEFAULT-VALUE})")
    int show = 0;

    @picocli.CommandLine.Mixin
    MoleculeReadOptions.Cell cell;

    @Spec
    CommandSpec spec;

    private static final class Stat {
        long n;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum;
        boolean numeric = true;
        String example;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int frames = 0, minAtoms = Integer.MAX_VALUE, maxAtoms = 0;
        long atoms = 0;
        TreeSet<Integer> elements = new TreeSet<>();
        Map<String, Stat> labels = new LinkedHashMap<>();
        Map<String, String> arrays = new LinkedHashMap<>();
        try (FrameReader r = MoleculeReader.open(file, cell.options())) {
            while (r.hasNext()) {
                Frame f = r.next();
                var m = f.molecule();
                if (frames < show) out.println("  " + (frames + 1) + ": " + m.formula() + (m.name().isEmpty() ? "" : " " + m.name())
                        + (m.charge() != 0 ? " charge " + m.charge() : "") + (m.multiplicity() != 1 ? " multiplicity " + m.multiplicity() : ""));
                frames++;
                atoms += m.size();
                minAtoms = Math.min(minAtoms, m.size());
                maxAtoms = Math.max(maxAtoms, m.size());
                for (int z : m.atomicNumbers()) elements.add(z);
                for (var e : m.info().entrySet()) {
                    Stat s = labels.computeIfAbsent(e.getKey(), k -> new Stat());
                    s.n++;
                    if (s.example == null) s.example = e.getValue();
                    if (!s.numeric) continue;
                    try {
                        double v = Double.parseDouble(e.getValue().strip());
                        s.min = Math.min(s.min, v);
                        s.max = Math.max(s.max, v);
                        s.sum += v;
                    } catch (NumberFormatException ex) {
                        s.numeric = false;
                    }
                }
                for (AtomProperty p : f.atomProperties().values())
                    arrays.putIfAbsent(p.name(), p.name() + ":" + p.type().code() + ":" + p.columns());
            }
        }
        if (frames == 0) throw new IllegalArgumentException(file + ": no molecules in the file");
        StringBuilder el = new StringBuilder();
        for (int z : elements) el.append(el.isEmpty() ? "" : " ").append(Elements.symbol(z));
        out.printf(Locale.ROOT, "%s: %d molecules, %d-%d atoms (mean %.1f), elements %s%n", file, frames, minAtoms, maxAtoms,
                (double) atoms / frames, el);
        if (!labels.isEmpty()) {
            out.println("labels (as stored; give the unit with --target KEY:UNIT):");
            for (var e : labels.entrySet()) {
                Stat s = e.getValue();
                String where = s.n == frames ? "" : " (in " + s.n + " of " + frames + ")";
                if (s.numeric && s.n > 0)
                    out.printf(Locale.ROOT, "  %-36s min %s  mean %s  max %s%s%n", e.getKey(), num(s.min), num(s.sum / s.n), num(s.max), where);
                else
                    out.printf(Locale.ROOT, "  %-36s e.g. %s%s%n", e.getKey(), abbreviate(s.example), where);
            }
        }
        if (!arrays.isEmpty()) out.println("per-atom arrays: " + String.join(" ", arrays.values()));
        out.flush();
        return 0;
    }

    /** Six significant digits without trailing zeros. */
    static String num(double v) {
        if (!Double.isFinite(v) || v == 0) return Double.toString(v);
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros();
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e7 ? d.toPlainString() : d.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 50 ? s : s.substring(0, 47) + "...";
    }
}
