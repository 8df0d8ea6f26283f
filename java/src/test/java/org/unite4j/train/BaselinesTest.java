package org.unite4j.train;

import org.unite4j.report.Plots;
import org.junit.jupiter.api.Test;
import org.unite4j.io.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BaselinesTest {

    static int[][] randomMolecules(SplittableRandom r, int n, int[] elements) {
        int[][] z = new int[n][];
        for (int m = 0; m < n; m++) {
            int na = r.nextInt(1, 25);
            z[m] = new int[na];
            for (int a = 0; a < na; a++) z[m][a] = elements[r.nextInt(elements.length)];
        }
        return z;
    }

    @Test
    void recoversExactCoefficientsOfNoiseFreeData() {
        SplittableRandom r = new SplittableRandom(1);
        int[] els = {1, 6, 7, 8, 16};
        double[] b = {-0.5, -37.8, -54.6, -75.1, -398.1};
        double c = 12.34;
        int[][] z = randomMolecules(r, 400, els);
        double[] y = new double[z.length];
        for (int m = 0; m < z.length; m++) {
            y[m] = c;
            for (int a : z[m]) for (int k = 0; k < els.length; k++) if (els[k] == a) y[m] += b[k];
        }
        Baselines.ElementCountModel fit = Baselines.fitElementCounts(z, y, 0.0);
        assertArrayEquals(els, fit.elements());
        assertArrayEquals(b, fit.coefficients(), 1e-9);
        assertEquals(c, fit.intercept(), 1e-9);
        assertEquals(0, fit.mae(z, null, y), 1e-9);
        // the default ridge changes nothing measurable
        Baselines.ElementCountModel ridge = Baselines.fitElementCounts(z, y);
        assertArrayEquals(b, ridge.coefficients(), 1e-5); // lambda = 4e-6 shifts b by ~1e-6
    }

    @Test
    void agreesWithNormalEquationsOnNoisyData() {
        SplittableRandom r = new SplittableRandom(2);
        int[] els = {1, 6, 8};
        int[][] z = randomMolecules(r, 300, els);
        double[] y = new double[z.length];
        for (int m = 0; m < z.length; m++) y[m] = 3 * z[m].length + r.nextGaussian() * 5;
        Baselines.ElementCountModel fit = Baselines.fitElementCounts(z, y, 0.0);
        // independent solution: normal equations X^T X b = X^T y by Gauss-Jordan with partial pivoting
        int p = 4;
        double[][] ata = new double[p][p + 1];
        for (int m = 0; m < z.length; m++) {
            double[] row = new double[p];
            for (int a : z[m]) row[a == 1 ? 0 : a == 6 ? 1 : 2]++;
            row[3] = 1;
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < p; j++) ata[i][j] += row[i] * row[j];
                ata[i][p] += row[i] * y[m];
            }
        }
        for (int col = 0; col < p; col++) {
            int piv = col;
            for (int i = col + 1; i < p; i++) if (Math.abs(ata[i][col]) > Math.abs(ata[piv][col])) piv = i;
            double[] t = ata[col]; ata[col] = ata[piv]; ata[piv] = t;
            for (int i = 0; i < p; i++) {
                if (i == col) continue;
                double f = ata[i][col] / ata[col][col];
                for (int j = col; j <= p; j++) ata[i][j] -= f * ata[col][j];
            }
        }
        double[] sol = new double[p];
        for (int i = 0; i < p; i++) sol[i] = ata[i][p] / ata[i][i];
        assertArrayEquals(new double[]{sol[0], sol[1], sol[2]}, fit.coefficients(), 1e-8);
        assertEquals(sol[3], fit.intercept(), 1e-8);
        // least squares: the residual is orthogonal to every column (here: sums to zero against the intercept)
        double s = 0;
        for (int m = 0; m < z.length; m++) s += y[m] - fit.predict(z[m]);
        assertEquals(0, s, 1e-7);
    }

    @Test
    void collinearCountsNeedTheRidgeAndUnknownElementsAreNamed() {
        // every molecule has exactly one O: its count duplicates the intercept column
        int[][] z = {{8, 1, 1}, {8, 6, 1, 1, 1, 1}, {8, 6, 6, 1}, {8, 1}};
        double[] y = {-10, -50, -80, -5};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Baselines.fitElementCounts(z, y, 0.0));
        assertTrue(e.getMessage().contains("rank-deficient"), e.getMessage());
        Baselines.ElementCountModel fit = Baselines.fitElementCounts(z, y);
        for (double v : fit.coefficients()) assertTrue(Double.isFinite(v) && Math.abs(v) < 1e3, fit.toString());
        assertEquals(fit.predict(z[0]), fit.predict(new int[]{1, 8, 1}), 1e-12, "order of atoms does not matter");
        e = assertThrows(IllegalArgumentException.class, () -> fit.predictAll(new int[][]{{8, 1}, {8, 16}}, null));
        assertTrue(e.getMessage().contains("molecule 1") && e.getMessage().contains("Z=16"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Baselines.fitElementCounts(z, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Baselines.fitElementCounts(new int[][]{{1}, {1, 1}}, new double[]{1, Double.NaN}));
        // JSON round trip
        @SuppressWarnings("unchecked")
        Baselines.ElementCountModel back = Baselines.ElementCountModel.fromJson((Map<String, Object>) Json.parse(Json.write(fit.toJson())));
        assertEquals(fit.predict(z[1]), back.predict(z[1]), 0);
    }

    // ---------------------------------------------------------------- QM7 (PBE0 / DFTB3) baselines

    record Qm7(int[][] z, double[] pbe0, double[] dftb3) {}

    static Path sharedDir() {
        return Path.of(System.getProperty("unite.shared.dir", "../shared"));
    }

    /** Minimal extxyz loop for this test only (the project's readers live in another package). */
    static Qm7 readQm7(Path file) throws IOException {
        Map<String, Integer> zOf = Map.of("H", 1, "C", 6, "N", 7, "O", 8, "S", 16);
        Pattern pbe0 = Pattern.compile("energy_pbe0_atomization_kcalmol=(\\S+)");
        Pattern dftb = Pattern.compile("energy_dftb3_atomization_kcalmol=(\\S+)");
        List<int[]> zs = new ArrayList<>();
        List<Double> e1 = new ArrayList<>(), e2 = new ArrayList<>();
        try (BufferedReader br = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = br.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int n = Integer.parseInt(line.strip());
                String props = br.readLine();
                lineNo++;
                Matcher a = pbe0.matcher(props), b = dftb.matcher(props);
                assertTrue(a.find() && b.find(), file + ":" + lineNo + ": missing energy keys");
                int[] z = new int[n];
                for (int i = 0; i < n; i++) {
                    String atom = br.readLine();
                    lineNo++;
                    Integer zz = zOf.get(atom.strip().split("\\s+")[0]);
                    assertNotNull(zz, file + ":" + lineNo + ": unexpected element in " + atom);
                    z[i] = zz;
                }
                zs.add(z);
                e1.add(Double.parseDouble(a.group(1)));
                e2.add(Double.parseDouble(b.group(1)));
            }
        }
        return new Qm7(zs.toArray(int[][]::new), e1.stream().mapToDouble(Double::doubleValue).toArray(),
                e2.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Test
    void qm7BaselinesOnAFixedRandomSplit(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path file = sharedDir().resolve("data/qm7/qm7_pbe0.extxyz");
        assumeTrue(Files.isReadable(file), "QM7 data not found at " + file.toAbsolutePath() + " (set -Dunite.shared.dir)");
        Qm7 d = readQm7(file);
        int n = d.z.length;
        assertEquals(6101, n, "QM7 (PBE0) has 6,101 molecules");
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(20240501L);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        int nTrain = (int) Math.round(0.8 * n);
        int[][] zTr = new int[nTrain][], zTe = new int[n - nTrain][];
        double[] yTr = new double[nTrain], yTe = new double[n - nTrain], refTr = new double[nTrain], refTe = new double[n - nTrain];
        for (int i = 0; i < n; i++) {
            int m = perm[i];
            if (i < nTrain) { zTr[i] = d.z[m]; yTr[i] = d.pbe0[m]; refTr[i] = d.dftb3[m]; }
            else { zTe[i - nTrain] = d.z[m]; yTe[i - nTrain] = d.pbe0[m]; refTe[i - nTrain] = d.dftb3[m]; }
        }
        double meanTr = 0;
        for (double v : yTr) meanTr += v;
        meanTr /= nTrain;
        double[] meanPred = new double[yTe.length];
        java.util.Arrays.fill(meanPred, meanTr);
        double maeMean = Metrics.mae(meanPred, yTe);
        double maeDftb = Metrics.mae(refTe, yTe); // raw DFTB3 atomization energy as the prediction

        Baselines.ElementCountModel counts = Baselines.fitElementCounts(zTr, yTr);
        Baselines.ElementCountModel delta = Baselines.fitReferencePlusCounts(zTr, refTr, yTr);
        double maeCounts = counts.mae(zTe, null, yTe), maeDelta = delta.mae(zTe, refTe, yTe);
        Metrics.Scalar sc = new Metrics.Scalar().addAll(counts.predictAll(zTe, null), yTe);
        Metrics.Scalar sd = new Metrics.Scalar().addAll(delta.predictAll(zTe, refTe), yTe);
        System.out.printf(java.util.Locale.ROOT,
                "QM7 PBE0 atomization energy, %d train / %d test (seed 20240501): test MAE kcal/mol: mean %.3f, raw DFTB3 %.3f, "
                        + "element counts %.3f (RMSE %.3f, R2 %.5f), DFTB3 + element counts %.3f (RMSE %.3f, R2 %.6f)%n  counts: %s%n  delta:  %s%n",
                nTrain, n - nTrain, maeMean, maeDftb, maeCounts, sc.rmse(), sc.r2(), maeDelta, sd.rmse(), sd.r2(), counts, delta);

        // the parity plot of the delta baseline (kept with -Dunite.plots.keep=DIR)
        Path plotDir = System.getProperty("unite.plots.keep") == null ? tmp : Files.createDirectories(Path.of(System.getProperty("unite.plots.keep")));
        Plots.parity(plotDir.resolve("qm7_baseline_parity.png"), yTe, delta.predictAll(zTe, refTe),
                "atomization energy", "kcal/mol", "QM7 test, DFTB3 + element counts");
        assertNotNull(javax.imageio.ImageIO.read(plotDir.resolve("qm7_baseline_parity.png").toFile()));

        assertTrue(maeCounts < 0.25 * maeMean, "element counts (" + maeCounts + ") must beat the mean (" + maeMean + ") by 4x");
        assertTrue(maeDelta < 0.5 * maeCounts, "DFTB3 + counts (" + maeDelta + ") must beat counts alone (" + maeCounts + ") by 2x");
        assertTrue(maeDelta < maeDftb, "fitting the residual must improve on raw DFTB3 (" + maeDftb + ")");
        // a least-squares fit minimizes the squared training error: no perturbation of a coefficient lowers it
        double sse0 = sse(counts.predictAll(zTr, null), yTr);
        for (int k = 0; k < counts.elements().length; k++) {
            Map<String, Object> js = counts.toJson();
            @SuppressWarnings("unchecked") Map<String, Object> co = (Map<String, Object>) js.get("coefficients");
            String key = Integer.toString(counts.elements()[k]);
            for (double h : new double[]{-0.01, 0.01}) {
                co.put(key, counts.coefficients()[k] + h);
                double s = sse(Baselines.ElementCountModel.fromJson(js).predictAll(zTr, null), yTr);
                assertTrue(s > sse0, "perturbing b_Z=" + key + " by " + h + " lowered the training SSE");
            }
        }
    }

    static double sse(double[] p, double[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) s += (p[i] - y[i]) * (p[i] - y[i]);
        return s;
    }
}
