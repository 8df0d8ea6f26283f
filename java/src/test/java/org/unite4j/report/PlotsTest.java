package org.unite4j.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void learningCurveDrawsBothSeriesWhereTheDataAre(@TempDir Path tmp) throws IOException {
        int n = 30;
        double[] train = new double[n], val = new double[n];
        for (int i = 0; i < n; i++) {
            train[i] = 40 * Math.exp(-0.15 * i) + 0.5;
            val[i] = 45 * Math.exp(-0.12 * i) + 1.5;
        }
        val[17] = Double.NaN; // a gap, not a crash
        for (boolean logY : new boolean[]{false, true}) {
            Path png = outDir(tmp).resolve(logY ? "learning_curve_log.png" : "learning_curve.png");
            Plots.Frame f = Plots.learningCurve(png, train, val, "MAE (kcal/mol)", logY);
            BufferedImage img = ImageIO.read(png.toFile());
            assertNotNull(img, "PNG decodes");
            assertEquals(800, img.getWidth());
            assertEquals(560, img.getHeight());
            assertEquals(f.width(), img.getWidth());
            for (int i = 0; i < n; i++) {
                assertTrue(colourNear(img, f.px(i + 1), f.py(train[i]), 2, Plots.TRAIN_COLOR), "train point at epoch " + (i + 1) + " log=" + logY);
                if (Double.isFinite(val[i]))
                    assertTrue(colourNear(img, f.px(i + 1), f.py(val[i]), 2, Plots.VALIDATION_COLOR), "validation point at epoch " + (i + 1));
            }
            // nothing of the train colour far from the curve: the upper-left region above both curves
            // at late epochs holds no data (legend excluded: it sits in the upper-right)
            int xMid = (int) f.px(n / 2.0), yHigh = (int) f.py(logY ? 30 : 35);
            assertEquals(0, countColour(img, xMid, f.area().y + 1, (int) f.px(n * 0.7), yHigh, Plots.TRAIN_COLOR), "stray train pixels");
            // the y axis really is logarithmic: a factor 10 spans the same height anywhere
            if (logY) assertEquals(f.py(1) - f.py(10), f.py(3) - f.py(30), 1e-9);
            else assertEquals(f.py(0) - f.py(10), f.py(20) - f.py(30), 1e-9);
        }
    }

    @Test
    void parityPlotHasPointsDiagonalAndMaeTitle(@TempDir Path tmp) throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        int n = 400;
        double[] ref = new double[n], pred = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = -2000 + 1600 * r.nextDouble();
            pred[i] = ref[i] + 15 * r.nextGaussian();
        }
        Path png = outDir(tmp).resolve("parity.png");
        Plots.Frame f = Plots.parity(png, ref, pred, "atomization energy", "kcal/mol", "QM7 test set");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(720, img.getWidth());
        assertEquals(720, img.getHeight());
        assertEquals(f.xMin(), f.yMin());
        assertEquals(f.xMax(), f.yMax());
        for (int i = 0; i < n; i++)
            assertTrue(colourNear(img, f.px(ref[i]), f.py(pred[i]), 2, Plots.POINT_COLOR), "point " + i);
        // off the diagonal band (upper-left and lower-right corners of the plot area) there are no points
        int q = f.area().width / 4;
        assertEquals(0, countColour(img, f.area().x + 2, f.area().y + 2, f.area().x + q, f.area().y + q, Plots.POINT_COLOR));
        int ex = f.area().x + f.area().width, ey = f.area().y + f.area().height;
        assertEquals(0, countColour(img, ex - q, ey - q, ex - 2, ey - 2, Plots.POINT_COLOR));
        // the dashed y = x line: diagonal colour near the diagonal at many places
        int hits = 0;
        for (double t = 0.02; t < 0.98; t += 0.01) {
            double v = f.xMin() + t * (f.xMax() - f.xMin());
            if (colourNear(img, f.px(v), f.py(v), 1, Plots.DIAGONAL_COLOR)) hits++;
        }
        assertTrue(hits > 40, "y = x line drawn (" + hits + " of 96 samples hit)");
        // the title band holds text (the MAE line)
        assertTrue(countColour(img, 0, 0, img.getWidth(), f.area().y - 4, Color.BLACK) > 100, "title text");
        try (Stream<Path> s = Files.list(png.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    @Test
    void ticksAreNiceAndBadInputIsRejected(@TempDir Path tmp) {
        assertArrayEquals(new double[]{0, 20, 40, 60, 80, 100}, Plots.niceTicks(-3, 104, 6), 1e-12);
        assertArrayEquals(new double[]{-1500, -1000, -500}, Plots.niceTicks(-1720, -410, 3), 1e-9);
        assertArrayEquals(new double[]{0.1, 0.2, 0.5, 1, 2, 5, 10}, Plots.logTicks(0.09, 11), 1e-12);
        assertEquals("1.23", Plots.fmtSig(1.2345, 3));
        assertEquals("1.23e-4", Plots.fmtSig(1.2345e-4, 3));
        assertThrows(IllegalArgumentException.class, () -> Plots.learningCurve(tmp.resolve("x.png"), new double[]{-1, 0}, null, "loss", true));
        assertThrows(IllegalArgumentException.class, () -> Plots.parity(tmp.resolve("p.png"), new double[]{1, 2}, new double[]{1}, "energy", "eV", ""));
        assertThrows(IllegalArgumentException.class, () -> Plots.linePlot(tmp.resolve("l.png"), "t", "x", "y", List.of(), false, 800, 600));
        assertFalse(Files.exists(tmp.resolve("x.png")));
    }
}
