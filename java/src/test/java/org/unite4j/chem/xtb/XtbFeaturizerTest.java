package org.unite4j.chem.xtb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Properties of the GFN1/GFN2 operators and agreement with the {@code xtb} program. */
class XtbFeaturizerTest {
    @BeforeAll
    static void needLibxtb() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
    }

    static List<Molecule> molecules() {
        return List.of(XtbTestMolecules.water(), XtbTestMolecules.mixed(), XtbTestMolecules.ironPentacarbonyl(),
                XtbTestMolecules.phosphorusSiliconIodineLithium());
    }

    @Test
    void overlapHasUnitDiagonalAndDensityCountsValenceElectrons() {
        for (XtbMethod method : XtbMethod.values())
            for (Molecule m : molecules()) {
                XtbFeatures f = new XtbFeaturizer(method).featurize(m);
                int n = f.nao();
                assertEquals(n, f.basis().numAo());
                double trace = 0, occ = 0;
                for (int i = 0; i < n; i++) {
                    assertEquals(1.0, f.overlap()[i * n + i], 1e-10, method + " " + m + " S[" + i + "," + i + "]");
                    for (int j = 0; j < n; j++) {
                        trace += f.density()[i * n + j] * f.overlap()[j * n + i];
                        for (String op : XtbFeatures.OPERATORS)
                            assertEquals(f.operator(op)[i * n + j], f.operator(op)[j * n + i], 1e-12, op + " symmetric");
                    }
                }
                for (double o : f.occupations()) occ += o;
                int valence = XtbBasisSet.valenceElectrons(m);
                assertEquals(valence, trace, 1e-8, method + " " + m + ": trace(P S)");
                assertEquals(valence, occ, 1e-8, method + " " + m + ": sum of occupations");
                // F C = S C eps  <=>  the generalized eigenvalues of (F, S) are the orbital energies:
                // check trace(P F) = sum f eps (band energy) as a consistency test of F and P.
                double pf = 0, band = 0, pw = 0;
                for (int i = 0; i < n * n; i++) pf += f.density()[i] * f.fock()[i];
                for (int k = 0; k < n; k++) band += f.occupations()[k] * f.orbitalEnergies()[k];
                for (int i = 0; i < n * n; i++) pw += f.energyWeightedDensity()[i] * f.overlap()[i];
                assertEquals(band, pf, 1e-8 * Math.max(1, Math.abs(band)), "trace(P F)");
                assertEquals(band, pw, 1e-8 * Math.max(1, Math.abs(band)), "trace(W S)");
                assertTrue(Double.isFinite(f.energy()) && f.energy() < 0);
                assertEquals(3 * m.size(), f.gradient().length);
                assertEquals(m.size(), f.charges().length);
                double q = 0;
                for (double c : f.charges()) q += c;
                assertEquals(m.charge(), q, 1e-8, "partial charges sum to the total charge");
            }
    }

    @Test
    void energiesAgreeWithTheXtbProgram() throws Exception {
        Path xtb = Path.of("/usr/bin/xtb");
        Assumptions.assumeTrue(Files.isExecutable(xtb), "the xtb program is not installed");
        for (Molecule m : List.of(XtbTestMolecules.water(), XtbTestMolecules.mixed(), XtbTestMolecules.phosphorusSiliconIodineLithium())) {
            for (XtbMethod method : XtbMethod.values()) {
                double mine = new XtbFeaturizer(method).featurize(m).energy();
                double ref = runXtbProgram(xtb, m, method);
                assertEquals(ref, mine, 1e-8, method + " " + m);
            }
        }
    }

    static double runXtbProgram(Path xtb, Molecule m, XtbMethod method) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("unite-xtb");
        try {
            StringBuilder sb = new StringBuilder().append(m.size()).append("\n").append(m.name()).append("\n");
            for (int i = 0; i < m.size(); i++)
                sb.append(String.format(Locale.ROOT, "%s %.14f %.14f %.14f%n", org.unite4j.chem.Elements.symbol(m.atomicNumber(i)),
                        m.x(i, 0), m.x(i, 1), m.x(i, 2)));
            Files.writeString(dir.resolve("mol.xyz"), sb);
            Process p = new ProcessBuilder(xtb.toString(), "mol.xyz", "--gfn", String.valueOf(method.level()), "--sp")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile())
                    .start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "xtb program did not finish");
            String out = Files.readString(dir.resolve("out.txt"));
            Matcher mt = Pattern.compile("TOTAL ENERGY\\s+(-?\\d+\\.\\d+)\\s+Eh").matcher(out);
            assertTrue(mt.find(), () -> "no TOTAL ENERGY in xtb output:\n" + out);
            return Double.parseDouble(mt.group(1));
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }
}
