package org.unite4j.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.train.Metrics;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class PlotsTest {

    /** Whether a pixel within radius r of (x, y) has (nearly) colour c. */
    static boolean colourNear(BufferedImage img, double x, double y, int r, Color c) {
        for (int dy = -r; dy <= r; dy++)
            for (int dx = -r; dx <= r; dx++) {
                int px = (int) Math.round(x) + dx, py = (int) Math.round(y) + dy;
                if (px < 0 || py < 0 || px >= img.getWidth() || py >= img.getHeight()) continue;
                if (close(img.getRGB(px, py), c)) return true;
            }
        return false;
    }

    static boolean close(int rgb, Color c) {
        int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
        return Math.abs(r - c.getRed()) + Math.abs(g - c.getGreen()) + Math.abs(b - c.getBlue()) <= 12;
    }

    static int countColour(BufferedImage img, int x0, int y0, int x1, int y1, Color c) {
        int n = 0;
        for (int y = Math.max(0, y0); y < Math.min(img.getHeight(), y1); y++)
            for (int x = Math.max(0, x0); x < Math.min(img.getWidth(), x1); x++) if (close(img.getRGB(x, y), c)) n++;
        return n;
    }

    static Path outDir(Path tmp) throws IOException {
        // keep the PNGs for a look when asked: -Dunite.plots.keep=DIR
        String keep = System.getProperty("unite.plots.keep");
        return keep == null ? tmp : Files.createDirectories(Path.of(keep));
    }

    static BufferedImage read(Path png, int w, int h) throws IOException {
        assertTrue(Files.isRegularFile(png), png + " written");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "PNG decodes");
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        return img;
    }

    /** A label m x 10^k with m in the allowed mantissas. */
    static void assertMantissa(String label, int... allowed) {
        double v = Double.parseDouble(label);
        double m = v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9));
        assertTrue(Arrays.stream(allowed).anyMatch(a -> Math.abs(m - a) < 1e-6), label + " is not a " + Arrays.toString(allowed) + " x 10^k");
    }

    @Test
    void learningCurveDrawsBothSeriesWhereTheDataAreWithWholeEpochTicks(@TempDir Path tmp) throws IOException {
        int n = 30;
        double[] train = new double[n], val = new double[n];
        for (int i = 0; i < n; i++) {
            train[i] = 40 * Math.exp(-0.15 * i) + 0.5;
            val[i] = 45 * Math.exp(-0.12 * i) + 1.5;
        }
        val[17] = Double.NaN; // a gap, not a crash
        for (boolean logY : new boolean[]{false, true}) {
            Path png = outDir(tmp).resolve(logY ? "learning_curve_log.png" : "learning_curve.png");
            Plots.Frame f = Plots.learningCurve(png, train, val, "energy MAE (kcal/mol)", logY);
            BufferedImage img = read(png, 800, 560);
            assertEquals(f.width(), img.getWidth());
            for (int i = 0; i < n; i++) {
                assertTrue(colourNear(img, f.px(i + 1), f.py(train[i]), 2, Plots.TRAIN_COLOR), "train point at epoch " + (i + 1) + " log=" + logY);
                if (Double.isFinite(val[i]))
                    assertTrue(colourNear(img, f.px(i + 1), f.py(val[i]), 2, Plots.VALIDATION_COLOR), "validation point at epoch " + (i + 1));
            }
            // nothing of the train colour far from the curve: the region above both curves at late epochs
            int xMid = (int) f.px(n / 2.0), yHigh = (int) f.py(logY ? 30 : 35);
            assertEquals(0, countColour(img, xMid, f.area().y + 1, (int) f.px(n * 0.7), yHigh, Plots.TRAIN_COLOR), "stray train pixels");
            // the y axis really is logarithmic: a factor 10 spans the same height anywhere
            if (logY) assertEquals(f.py(1) - f.py(10), f.py(3) - f.py(30), 1e-9);
            else assertEquals(f.py(0) - f.py(10), f.py(20) - f.py(30), 1e-9);
            assertTrue(f.xTicks().size() >= 2 && f.yTicks().size() >= 2, f.xLabels() + " / " + f.yLabels());
            for (Plots.Tick t : f.xTicks()) {
                assertEquals(Math.rint(t.value()), t.value(), 0, "epoch tick " + t);
                assertEquals(String.valueOf((long) t.value()), t.label(), "epoch tick label");
            }
            if (logY) {
                // 0.5 .. 45: fewer than 3 decades, so the 1, 2 and 5 multiples, each labelled
                for (String l : f.yLabels()) assertMantissa(l, 1, 2, 5);
                assertTrue(f.yLabels().containsAll(List.of("1", "2", "5", "10", "20")), f.yLabels().toString());
            }
        }
        // few epochs: still only whole epochs, and more than one of them
        for (int epochs = 1; epochs <= 4; epochs++) {
            double[] t = new double[epochs];
            Arrays.fill(t, 3.0);
            for (int i = 0; i < epochs; i++) t[i] -= 0.5 * i;
            Plots.Frame f = Plots.learningCurve(tmp.resolve("lc" + epochs + ".png"), t, t.clone(), "loss", epochs % 2 == 0);
            assertTrue(f.xTicks().size() >= 2, epochs + " epochs: " + f.xLabels());
            for (Plots.Tick k : f.xTicks()) assertEquals(Math.rint(k.value()), k.value(), 0, epochs + " epochs: " + f.xLabels());
            assertTrue(f.yTicks().size() >= 2, epochs + " epochs: " + f.yLabels());
        }
    }

    @Test
    void logAxisTicksAreDecadesEachLabelled(@TempDir Path tmp) throws IOException {
        Plots.LogTicks t = Plots.logTicks(1e-3, 1e1);
        assertArrayEquals(new double[]{1e-3, 1e-2, 1e-1, 1, 10}, t.major(), 1e-15);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10"), t.labels());
        // fewer than 3 decades: the 2 and 5 multiples too
        assertArrayEquals(new double[]{0.1, 0.2, 0.5, 1, 2, 5, 10}, Plots.logTicks(0.09, 11).major(), 1e-12);
        assertEquals(List.of("0.1", "0.2", "0.5", "1", "2", "5", "10"), Plots.logTicks(0.09, 11).labels());
        // narrower than 2-5-10: every multiple; narrower still: linear steps; never a single label
        assertEquals(List.of("0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"), Plots.logTicks(0.3, 0.9).labels());
        assertEquals(List.of("0.52", "0.54", "0.56", "0.58"), Plots.logTicks(0.51, 0.59).labels());
        // many decades: only powers of ten, at most about ten labels
        Plots.LogTicks wide = Plots.logTicks(1e-9, 1e12);
        assertTrue(wide.major().length >= 2 && wide.major().length <= 11, wide.labels().toString());
        for (String l : wide.labels()) assertMantissa(l, 1);
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 2000; trial++) {
            double lo = Math.pow(10, -12 + 24 * r.nextDouble()), hi = lo * Math.pow(10, 1e-3 + 15 * r.nextDouble() * r.nextDouble());
            Plots.LogTicks k = Plots.logTicks(lo, hi);
            assertTrue(k.major().length >= 2, "[" + lo + ", " + hi + "]: " + k.labels());
            assertEquals(k.major().length, new HashSet<>(k.labels()).size(), "distinct labels " + k.labels());
            for (int i = 0; i < k.major().length; i++) {
                assertTrue(k.major()[i] >= lo * (1 - 1e-9) && k.major()[i] <= hi * (1 + 1e-9), "in range");
                if (i > 0) assertTrue(k.major()[i] > k.major()[i - 1], "increasing");
            }
        }
        // the drawn axis uses them: data from 1e-3 to 10 get the decades as labels, on both axes of a log-log plot
        double[] x = {1e-3, 1e-2, 1e-1, 1, 10};
        Plots.Frame f = Plots.linePlot(tmp.resolve("log.png"), "t", "x", "y (s)", List.of(new Plots.Series("s", new double[]{1, 2, 3, 4, 5}, x,
                Color.BLACK)), true, 600, 500);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10"), f.yLabels());
        Plots.Frame g = Plots.logLog(tmp.resolve("ll.png"), "t", "x", "y", List.of(new Plots.Series("s", x, x, Color.BLACK)), null, 600, 500);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10"), g.xLabels());
        assertEquals(g.xLabels(), g.yLabels());
        assertTrue(g.logX() && g.logY());
    }

    @Test
    void parityStatisticsEqualIndependentlyComputedOnes() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 257;
        double[] ref = new double[n], pred = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = 100 * r.nextGaussian() - 1000;
            pred[i] = ref[i] + 3 * r.nextGaussian() + 0.5;
        }
        ref[7] = Double.NaN; // skipped, as in the plot
        pred[9] = Double.POSITIVE_INFINITY;
        Plots.ParityStats s = Plots.parityStats(ref, pred);
        double sa = 0, ss = 0, mx = 0, sr = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (i == 7 || i == 9) continue;
            double e = pred[i] - ref[i];
            sa += Math.abs(e);
            ss += e * e;
            mx = Math.max(mx, Math.abs(e));
            sr += ref[i];
            m++;
        }
        double mean = sr / m, sst = 0;
        for (int i = 0; i < n; i++) if (i != 7 && i != 9) sst += (ref[i] - mean) * (ref[i] - mean);
        assertEquals(n - 2, s.n());
        assertEquals(sa / m, s.mae(), 1e-12);
        assertEquals(Math.sqrt(ss / m), s.rmse(), 1e-12);
        assertEquals(1 - ss / sst, s.r2(), 1e-12);
        assertEquals(mx, s.maxAbsError(), 0);
        // and the training metrics agree (Welford variance there)
        Metrics.Scalar ms = new Metrics.Scalar();
        for (int i = 0; i < n; i++) if (i != 7 && i != 9) ms.add(pred[i], ref[i]);
        assertEquals(ms.mae(), s.mae(), 1e-12);
        assertEquals(ms.r2(), s.r2(), 1e-9);
        // all references equal: R^2 is undefined
        assertTrue(Double.isNaN(Plots.parityStats(new double[]{2, 2}, new double[]{1, 3}).r2()));
    }

    @Test
    void parityPlotHasPointsDiagonalStatisticsAndEqualAxes(@TempDir Path tmp) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        int n = 400;
        double[] ref = new double[n], pred = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = -2000 + 1600 * r.nextDouble();
            pred[i] = ref[i] + 15 * r.nextGaussian();
        }
        Path png = outDir(tmp).resolve("parity.png");
        Plots.Frame f = Plots.parity(png, ref, pred, "atomization energy", "kcal/mol", "QM7 test set");
        BufferedImage img = read(png, 720, 720);
        assertEquals(f.xMin(), f.yMin());
        assertEquals(f.xMax(), f.yMax());
        assertEquals(f.area().width, f.area().height, 2, "square data area");
        assertEquals(f.xLabels(), f.yLabels(), "same ticks on both axes");
        assertTrue(f.xTicks().size() >= 3, f.xLabels().toString());
        assertEquals(0, Plots.parityLimits(ref, pred).outliers());
        for (int i = 0; i < n; i++)
            assertTrue(colourNear(img, f.px(ref[i]), f.py(pred[i]), 2, Plots.POINT_COLOR), "point " + i);
        // off the diagonal band (upper-left and lower-right corners of the plot area) there are no points
        int q = f.area().width / 4;
        assertEquals(0, countColour(img, f.area().x + 2, f.area().y + 2, f.area().x + q, f.area().y + q, Plots.POINT_COLOR));
        int ex = f.area().x + f.area().width, ey = f.area().y + f.area().height;
        assertEquals(0, countColour(img, ex - q, ey - q, ex - 2, ey - 2, Plots.POINT_COLOR));
        assertEquals(0, countColour(img, f.area().x, f.area().y, ex, ey, Plots.OUTLIER_COLOR), "no outlier markers");
        // the dashed y = x line: diagonal colour near the diagonal at many places
        int hits = 0;
        for (double t = 0.02; t < 0.98; t += 0.01) {
            double v = f.xMin() + t * (f.xMax() - f.xMin());
            if (colourNear(img, f.px(v), f.py(v), 1, Plots.DIAGONAL_COLOR)) hits++;
        }
        assertTrue(hits > 40, "y = x line drawn (" + hits + " of 96 samples hit)");
        // the statistics line, as computed by parityStats
        Plots.ParityStats s = Plots.parityStats(ref, pred);
        assertEquals("QM7 test set", f.titles().get(0));
        String stats = f.titles().get(1);
        assertEquals(String.format(java.util.Locale.ROOT, "atomization energy (n = 400):\nMAE %s, RMSE %s, max |error| %s kcal/mol; R\u00b2 = %.4f",
                Plots.fmtSig(s.mae(), 3), Plots.fmtSig(s.rmse(), 3), Plots.fmtSig(s.maxAbsError(), 3), s.r2()), stats);
        assertEquals(2, f.titles().size(), "no outlier line: " + f.titles());
        assertTrue(countColour(img, 0, 0, img.getWidth(), f.area().y - 4, Color.BLACK) > 100, "title text drawn");
        try (Stream<Path> st = Files.list(png.getParent())) {
            assertTrue(st.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void anOutlierIsCountedAndDrawnAtTheEdgeWithoutWideningTheAxes(@TempDir Path tmp) throws IOException {
        SplittableRandom r = new SplittableRandom(8);
        int n = 500;
        double[] ref = new double[n], pred = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = 10 * r.nextDouble();
            pred[i] = ref[i] + 0.2 * r.nextGaussian();
        }
        ref[42] = 5;
        pred[42] = 400; // one broken prediction, 40x the range of the rest
        Plots.ParityLimits lim = Plots.parityLimits(ref, pred);
        assertEquals(1, lim.outliers());
        assertTrue(lim.hi() < 13 && lim.lo() > -3, "limits " + lim.lo() + " .. " + lim.hi() + " follow the cloud, not the outlier");
        double cloudMin = Double.POSITIVE_INFINITY, cloudMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++)
            if (i != 42) {
                cloudMin = Math.min(cloudMin, Math.min(ref[i], pred[i]));
                cloudMax = Math.max(cloudMax, Math.max(ref[i], pred[i]));
            }
        assertTrue(lim.lo() <= cloudMin && lim.hi() >= cloudMax, "every other point inside");
        Path png = outDir(tmp).resolve("parity_outlier.png");
        Plots.Frame f = Plots.parity(png, ref, pred, "energy", "eV", "");
        BufferedImage img = read(png, 720, 720);
        assertEquals(lim.lo(), f.xMin());
        assertEquals(lim.hi(), f.yMax());
        assertEquals("Parity: energy", f.titles().get(0));
        assertTrue(f.titles().get(1).contains("max |error| 395 eV"), "statistics include the outlier: " + f.titles());
        assertTrue(f.titles().get(2).startsWith("1 outlier outside the axes"), f.titles().toString());
        // its marker sits on the top edge above its reference value, in the outlier colour
        assertTrue(colourNear(img, f.px(5), f.area().y + 0.012 * f.area().height, 3, Plots.OUTLIER_COLOR), "outlier marker at the edge");
        assertEquals(1, countBlobs(img, f, Plots.OUTLIER_COLOR), "one outlier marker");
        // no outliers for well-behaved data, however many points
        double[] a = new double[5000], b = new double[5000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble();
            b[i] = a[i] + 0.01 * (r.nextDouble() - 0.5);
        }
        assertEquals(0, Plots.parityLimits(a, b).outliers());
        Plots.ParityLimits same = Plots.parityLimits(new double[]{3, 3}, new double[]{3, 3});
        assertTrue(same.lo() < 3 && same.hi() > 3 && same.outliers() == 0);
    }

    /** Columns of the data area holding the colour, grouped into runs: a crude count of separate markers. */
    static int countBlobs(BufferedImage img, Plots.Frame f, Color c) {
        int runs = 0;
        boolean prev = false;
        for (int x = f.area().x; x < f.area().x + f.area().width; x++) {
            boolean any = countColour(img, x, f.area().y, x + 1, f.area().y + f.area().height, c) > 0;
            if (any && !prev) runs++;
            prev = any;
        }
        return runs;
    }

    @Test
    void ticksAreNiceAndBadInputIsRejected(@TempDir Path tmp) {
        assertArrayEquals(new double[]{0, 20, 40, 60, 80, 100}, Plots.niceTicks(-3, 104, 6), 1e-12);
        assertArrayEquals(new double[]{-1500, -1000, -500}, Plots.niceTicks(-1720, -410, 3), 1e-9);
        assertEquals("1.23", Plots.fmtSig(1.2345, 3));
        assertEquals("1.23e-4", Plots.fmtSig(1.2345e-4, 3));
        assertEquals("-1500", Plots.fmtTick(-1500, 500));
        assertEquals("0.30", Plots.fmtTick(0.30000000000000004, 0.05));
        assertEquals("1.005e5", Plots.fmtTick(100500, 500), "enough digits to tell neighbouring ticks apart");
        assertThrows(IllegalArgumentException.class, () -> Plots.learningCurve(tmp.resolve("x.png"), new double[]{-1, 0}, null, "loss", true));
        assertThrows(IllegalArgumentException.class, () -> Plots.parity(tmp.resolve("p.png"), new double[]{1, 2}, new double[]{1}, "energy", "eV", ""));
        assertThrows(IllegalArgumentException.class, () -> Plots.parity(tmp.resolve("p.png"), new double[]{Double.NaN}, new double[]{1}, "energy", "eV", ""));
        assertThrows(IllegalArgumentException.class, () -> Plots.linePlot(tmp.resolve("l.png"), "t", "x", "y", List.of(), false, 800, 600));
        assertThrows(IllegalArgumentException.class, () -> Plots.linePlot(tmp.resolve("l.png"), "t", "x", "y",
                List.of(new Plots.Series("s", new double[]{1}, new double[]{1}, Color.BLACK)), false, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> Plots.logTicks(0, 1));
        assertFalse(Files.exists(tmp.resolve("x.png")));
        assertFalse(Files.exists(tmp.resolve("p.png")));
    }

    @Test
    void aLinePlotWithManyPointsAndSharedNamesDraws(@TempDir Path tmp) throws IOException {
        int n = 2000;
        double[] t = new double[n], e = new double[n], k = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.5 * i;
            e[i] = Math.sin(i / 50.0);
            k[i] = -Math.sin(i / 50.0);
        }
        Path png = outDir(tmp).resolve("md_energy.png");
        // two series of the same name must both be drawn (series are told apart by index, not name)
        Plots.Frame f = Plots.linePlot(png, "NVE", "time (fs)", "energy (kcal/mol)",
                List.of(new Plots.Series("energy", t, e, Plots.TRAIN_COLOR), new Plots.Series("energy", t, k, Plots.VALIDATION_COLOR)), false, 800, 560);
        BufferedImage img = read(png, 800, 560);
        for (int i = 0; i < n; i += 97) {
            assertTrue(colourNear(img, f.px(t[i]), f.py(e[i]), 2, Plots.TRAIN_COLOR), "first series at " + i);
            assertTrue(colourNear(img, f.px(t[i]), f.py(k[i]), 2, Plots.VALIDATION_COLOR), "second series at " + i);
        }
        for (String l : f.yLabels()) assertFalse(l.contains(","), "no grouping or decimal commas: " + f.yLabels());
        assertTrue(f.xLabels().contains("500"), f.xLabels().toString());
    }
}
