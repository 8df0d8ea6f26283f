package org.unite4j.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

/** Small test molecules (Angstrom) and random distortions of them. */
public final class TestMolecules {
    private TestMolecules() {
    }

    public static Molecule parse(String name, String body) {
        List<Integer> z = new ArrayList<>();
        List<Double> r = new ArrayList<>();
        for (String line : body.strip().split("\n")) {
            String[] t = line.strip().split("\\s+");
            z.add(Elements.number(t[0]));
            for (int k = 1; k <= 3; k++) r.add(Double.parseDouble(t[k]));
        }
        return new Molecule(z.stream().mapToInt(Integer::intValue).toArray(), r.stream().mapToDouble(Double::doubleValue).toArray(),
                0, 1, name, null);
    }

    public static Molecule water() {
        return parse("water", """
                O   0.000000   0.000000   0.117790
                H   0.000000   0.755453  -0.471161
                H   0.000000  -0.755453  -0.471161
                """);
    }

    public static Molecule methanol() {
        return parse("methanol", """
                C  -0.046  0.663  0.000
                O  -0.046 -0.757  0.000
                H  -1.086  0.975  0.000
                H   0.439  1.065  0.890
                H   0.439  1.065 -0.890
                H   0.862 -1.053  0.000
                """);
    }

    public static Molecule formaldehyde() {
        return parse("formaldehyde", """
                C   0.000  0.000 -0.530
                O   0.000  0.000  0.680
                H   0.000  0.940 -1.110
                H   0.000 -0.940 -1.110
                """);
    }

    public static Molecule ammonia() {
        return parse("ammonia", """
                N   0.000  0.000  0.116
                H   0.000  0.939 -0.271
                H   0.813 -0.469 -0.271
                H  -0.813 -0.469 -0.271
                """);
    }

    /** m with every coordinate moved by a uniform random amount in [-amp, amp] Angstrom. */
    /** CH3SH: H, C and S. */
    public static Molecule methanethiol() {
        return parse("methanethiol", """
                C  -0.047  1.149  0.000
                S  -0.047 -0.669  0.000
                H   1.288 -0.898  0.000
                H  -1.090  1.477  0.000
                H   0.448  1.535  0.895
                H   0.448  1.535 -0.895
                """);
    }

    /** HC(O)NH2: H, C, N and O. */
    public static Molecule formamide() {
        return parse("formamide", """
                C   0.000  0.419  0.000
                O   1.213  0.456  0.000
                N  -0.718 -0.730  0.000
                H  -0.552  1.381  0.000
                H  -1.725 -0.701  0.000
                H  -0.231 -1.613  0.000
                """);
    }

    public static Molecule distorted(Molecule m, double amp, Random rng) {
        double[] x = m.positions();
        for (int i = 0; i < x.length; i++) x[i] += amp * (2 * rng.nextDouble() - 1);
        return m.withPositions(x);
    }
}
