package org.unite4j.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@link Plots#logLog}: markers at log-scaled positions, the fitted power law through them, decade labels. */
class PlotsLogLogTest {

    @Test
    void pointsAndFitLinesSitAtTheirLogPositions(@TempDir Path tmp) throws IOException {
        double[] n = {1e2, 1e3, 1e4, 1e5, 1e6};
        double[] lin = Arrays.stream(n).map(x -> 3e-6 * x).toArray(), quad = Arrays.stream(n).map(x -> 1e-12 * x * x).toArray();
        Color a = new Color(31, 119, 180), b = new Color(214, 39, 40);
        Path png = PlotsTest.outDir(tmp).resolve("loglog.png");
        Plots.Frame f = Plots.logLog(png, "scaling", "nnz", "seconds",
                List.of(new Plots.Series("linear", n, lin, a), new Plots.Series("quadratic", n, quad, b)),
                List.of(new double[]{1, 3e-6}, new double[]{2, 1e-12}), 900, 620);
        BufferedImage img = PlotsTest.read(png, 900, 620);
        assertTrue(f.logX() && f.logY());
        for (int i = 0; i < n.length; i++) {
            assertTrue(PlotsTest.colourNear(img, f.px(n[i]), f.py(lin[i]), 2, a), "linear point " + i);
            assertTrue(PlotsTest.colourNear(img, f.px(n[i]), f.py(quad[i]), 2, b), "quadratic point " + i);
        }
        // on log axes a power law is straight: the fit line passes the geometric midpoints between markers
        for (int i = 0; i + 1 < n.length; i++) {
            double mx = Math.sqrt(n[i] * n[i + 1]);
            assertTrue(PlotsTest.colourNear(img, f.px(mx), f.py(1e-12 * mx * mx), 2, b), "quadratic line near " + mx);
        }
        // equal decades take equal pixels
        assertEquals(f.px(1e3) - f.px(1e2), f.px(1e6) - f.px(1e5), 1e-9);
        // every decade labelled (1e2 .. 1e6 on x; 1e-8 .. 1 on y, 9 decades)
        assertEquals(List.of("100", "1000", "10000", "1e5", "1e6"), f.xLabels());
        assertEquals(List.of("1e-8", "1e-7", "1e-6", "1e-5", "1e-4", "0.001", "0.01", "0.1", "1"), f.yLabels());
        for (Plots.Tick t : f.xTicks()) assertEquals(t.value(), Double.parseDouble(t.label()), 1e-9 * t.value(), "label is the value");
        // the fit lines stay out of the legend; a subtitle says what the dashes are
        assertTrue(f.titles().stream().anyMatch(s -> s.contains("fitted power law")), f.titles().toString());
    }

    @Test
    void aFallingCurveIsNotHiddenByTheLegendAndItsPointsAreJoined(@TempDir Path tmp) throws IOException {
        // a learning curve: high on the left, where a legend inside the plot would cover the points
        double[] n = {500, 1000, 2000, 4000, 4881};
        double[] mae = {14, 8, 4, 2, 1.6};
        double[] flat = {14.2, 14.3, 14.1, 14.2, 14.2};
        Color a = new Color(31, 119, 180), b = new Color(127, 127, 127);
        Path png = PlotsTest.outDir(tmp).resolve("loglog_curve.png");
        Plots.Frame f = Plots.logLog(png, "learning curve", "training molecules", "MAE (kcal/mol)",
                List.of(new Plots.Series("model with a long name for a wide legend box", n, mae, a), new Plots.Series("baseline", n, flat, b)),
                null, 900, 620);
        BufferedImage img = PlotsTest.read(png, 900, 620);
        for (int i = 0; i < n.length; i++) {
            assertTrue(PlotsTest.colourNear(img, f.px(n[i]), f.py(mae[i]), 2, a), "model point " + i);
            assertTrue(PlotsTest.colourNear(img, f.px(n[i]), f.py(flat[i]), 2, b), "baseline point " + i);
        }
        // without fits the points are joined: the geometric midpoint of the first segment is drawn
        double mx = Math.sqrt(n[0] * n[1]), my = Math.sqrt(mae[0] * mae[1]);
        assertTrue(PlotsTest.colourNear(img, f.px(mx), f.py(my), 2, a), "segment between the first two points");
        // one decade on x: the 1, 2, 5 multiples are labelled, so more than one tick
        assertEquals(List.of("500", "1000", "2000", "5000"), f.xLabels());
        for (String l : f.yLabels()) PlotsTest.assertMantissa(l, 1, 2, 5);
        assertTrue(f.yTicks().size() >= 3, f.yLabels().toString());
        assertTrue(f.titles().stream().noneMatch(s -> s.contains("fitted")), "no fits, no fit caption");
    }

    @Test
    void rejectsMismatchedFitsAndEmptyData(@TempDir Path tmp) {
        Plots.Series s = new Plots.Series("s", new double[]{1, 2}, new double[]{1, 2}, Color.BLACK);
        assertThrows(IllegalArgumentException.class, () -> Plots.logLog(tmp.resolve("a.png"), "t", "x", "y", List.of(s), List.of(), 900, 620));
        Plots.Series neg = new Plots.Series("s", new double[]{-1, 0}, new double[]{1, 2}, Color.BLACK);
        var e = assertThrows(IllegalArgumentException.class, () -> Plots.logLog(tmp.resolve("b.png"), "t", "x", "y", List.of(neg), null, 900, 620));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }
}
