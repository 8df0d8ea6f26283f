package org.unite4j.cli;

import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.ClebschGordan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code unite cg L1 L2 L3 [--json]}: prints the non-zero entries of the real Clebsch-Gordan
 * tensor C^{L3}_{L1 L2} (project convention, see {@link ClebschGordan}) with m = -l..l, in
 * (m3, m1, m2) order; values with 17 significant digits.
 */
@Command(name = "cg",
        mixinStandardHelpOptions = true,
        description = {"Print the real Clebsch-Gordan coefficients C[m1,m2,m3] coupling l1 (x) l2 -> l3",
                "(real spherical-harmonic basis, orthonormal: sum_{m1,m2} C[m1,m2,m3] C[m1,m2,m3'] = delta).",
                "Only non-zero entries are printed, in (m3, m1, m2) order."})
public final class CgCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "L1", description = "degree of the first factor (>= 0)")
    int l1;

    @Parameters(index = "1", paramLabel = "L2", description = "degree of the second factor (>= 0)")
    int l2;

    @Parameters(index = "2", paramLabel = "L3", description = "degree of the result, |L1-L2| <= L3 <= L1+L2")
    int l3;

    @Option(names = "--json", description = "print {\"l1\":..,\"l2\":..,\"l3\":..,\"entries\":[[m1,m2,m3,value],...]}")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        int[] ls = {l1, l2, l3};
        for (int k = 0; k < 3; k++)
            if (ls[k] < 0) throw new IllegalArgumentException("degree L" + (k + 1) + " must be >= 0, got " + ls[k]);
        if (!ClebschGordan.allowed(l1, l2, l3))
            throw new IllegalArgumentException("forbidden triple (" + l1 + ", " + l2 + ", " + l3 + "): L3 must lie in |L1-L2|..L1+L2 = "
                    + Math.abs(l1 - l2) + ".." + (l1 + l2) + ", so every coefficient is zero");
        CGTable t = ClebschGordan.sparse(l1, l2, l3);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            StringBuilder sb = new StringBuilder();
            sb.append("{\"l1\":").append(l1).append(",\"l2\":").append(l2).append(",\"l3\":").append(l3).append(",\"entries\":[");
            for (int j = 0; j < t.nnz(); j++) {
                if (j > 0) sb.append(',');
                sb.append('[').append(t.i1[j] - l1).append(',').append(t.i2[j] - l2).append(',').append(t.i3[j] - l3)
                        .append(',').append(format(t.value[j])).append(']');
            }
            sb.append("]}");
            out.println(sb);
        } else {
            out.printf(Locale.ROOT, "real Clebsch-Gordan %d x %d -> %d: %d non-zero entries (m = -l..l; order m3, m1, m2)%n",
                    l1, l2, l3, t.nnz());
            out.printf(Locale.ROOT, "%5s %5s %5s  %24s%n", "m1", "m2", "m3", "C[m1,m2,m3]");
            for (int j = 0; j < t.nnz(); j++)
                out.printf(Locale.ROOT, "%5d %5d %5d  %24s%n", t.i1[j] - l1, t.i2[j] - l2, t.i3[j] - l3, format(t.value[j]));
        }
        out.flush();
    }

    /** 17 significant digits: enough to read back the identical double. */
    static String format(double v) {
        // via the exact decimal expansion: Formatter pads a double's shortest repr with zeros
        return String.format(Locale.ROOT, "%.16e", new java.math.BigDecimal(v));
    }
}
