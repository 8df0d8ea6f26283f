package org.unite4j.report;

import org.unite4j.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PNG plots drawn with java.awt in headless mode (no external libraries), written atomically.
 *
 * <ul>
 *   <li>{@link #learningCurve}: train and validation metric per epoch (epochs 1..n on x), optional
 *       log-scale y, axis labels with units, legend.</li>
 *   <li>{@link #parity}: predicted vs reference scatter with the y = x line, equal axes, and
 *       MAE = (1/n) sum |pred - ref| in the title.</li>
 *   <li>{@link #linePlot}: the general line chart both are built on.</li>
 *   <li>{@link #logLog}: log-log scatter with fitted power laws y = a x^k (scaling benchmarks).</li>
 * </ul>
 * Each returns the {@link Frame} it drew, i.e. the mapping from data to pixel coordinates.
 * Non-finite points are skipped (a gap in the line); on a log axis non-positive values are
 * skipped too.
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Series colours (matplotlib's tab10 blue and orange) and the parity points / diagonal colours. */
    public static final Color TRAIN_COLOR = new Color(31, 119, 180);
    public static final Color VALIDATION_COLOR = new Color(255, 127, 14);
    public static final Color POINT_COLOR = new Color(31, 119, 180);
    public static final Color DIAGONAL_COLOR = new Color(214, 39, 40);

    /** One line series: points (x[i], y[i]) in the given colour, with markers. */
    public record Series(String name, double[] x, double[] y, Color color) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series \"" + name + "\": " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** The data-to-pixel mapping of a drawn plot: the plot area and the axis ranges. */
    public record Frame(int width, int height, Rectangle area, double xMin, double xMax, double yMin, double yMax, boolean logY) {
        /** Pixel column of data x. */
        public double px(double x) {
            return area.x + (x - xMin) / (xMax - xMin) * area.width;
        }

        /** Pixel row of data y (log10 scale if logY). */
        public double py(double y) {
            double t = logY ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin)) : (y - yMin) / (yMax - yMin);
            return area.y + area.height - t * area.height;
        }
    }

    /**
     * Learning curve: train and validation values per epoch (epoch i+1 at index i).
     *
     * @param yLabel e.g. "MAE (kcal/mol)" or "loss"
     * @param validation may be null (train only)
     */
    public static Frame learningCurve(Path png, double[] train, double[] validation, String yLabel, boolean logY) throws IOException {
        List<Series> s = new ArrayList<>();
        s.add(new Series("train", epochs(train.length), train, TRAIN_COLOR));
        if (validation != null) s.add(new Series("validation", epochs(validation.length), validation, VALIDATION_COLOR));
        return linePlot(png, "Learning curve", "epoch", yLabel, s, logY, 800, 560);
    }

    private static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = i + 1;
        return e;
    }

    /** A line chart of several series; returns the frame drawn. */
    public static Frame linePlot(Path png, String title, String xLabel, String yLabel, List<Series> series,
                                 boolean logY, int width, int height) throws IOException {
        if (series.isEmpty()) throw new IllegalArgumentException("no series to plot");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i], logY)) continue;
                x0 = Math.min(x0, s.x[i]);
                x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
        if (x0 > x1) throw new IllegalArgumentException("nothing to plot: no finite" + (logY ? ", positive" : "") + " points in \"" + title + "\"");
        double[] xr = padRange(x0, x1, false);
        double[] yr = padRange(y0, y1, logY);
        Canvas c = new Canvas(width, height, title, xLabel, yLabel, xr[0], xr[1], yr[0], yr[1], logY);
        Graphics2D g = c.g;
        for (Series s : series) {
            g.setColor(s.color);
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i], logY)) {
                    pen = false;
                    continue;
                }
                double px = c.frame.px(s.x[i]), py = c.frame.py(s.y[i]);
                if (pen) path.lineTo(px, py);
                else path.moveTo(px, py);
                pen = true;
            }
            g.draw(path);
            double r = s.x.length > 200 ? 0 : 3.5;
            if (r > 0)
                for (int i = 0; i < s.x.length; i++)
                    if (usable(s.x[i], s.y[i], logY))
                        g.fill(new Ellipse2D.Double(c.frame.px(s.x[i]) - r, c.frame.py(s.y[i]) - r, 2 * r, 2 * r));
        }
        c.legend(series);
        return c.finish(png);
    }

    /**
     * Parity plot: predicted (y) against reference (x), equal ranges on both axes, the y = x line,
     * and "TITLE: MAE = m UNIT (n = N)" as the title.
     *
     * @param quantity e.g. "energy"; the axes read "reference energy (UNIT)" and "predicted energy (UNIT)"
     */
    public static Frame parity(Path png, double[] reference, double[] predicted, String quantity, String unit, String title) throws IOException {
        if (reference.length != predicted.length)
            throw new IllegalArgumentException(reference.length + " reference values but " + predicted.length + " predictions");
        long count = 0;
        double sumAbs = 0;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < reference.length; i++) {
            if (!Double.isFinite(reference[i]) || !Double.isFinite(predicted[i])) continue;
            count++;
            sumAbs += Math.abs(predicted[i] - reference[i]);
            lo = Math.min(lo, Math.min(reference[i], predicted[i]));
            hi = Math.max(hi, Math.max(reference[i], predicted[i]));
        }
        if (count == 0) throw new IllegalArgumentException("nothing to plot: no finite (reference, prediction) pairs");
        double[] r = padRange(lo, hi, false);
        String u = unit == null || unit.isBlank() ? "" : " (" + unit + ")";
        String fullTitle = String.format(Locale.ROOT, "%sMAE = %s%s (n = %d)", title == null || title.isBlank() ? "" : title + ": ",
                fmtSig(sumAbs / count, 3), unit == null || unit.isBlank() ? "" : " " + unit, count);
        Canvas c = new Canvas(720, 720, fullTitle, "reference " + quantity + u, "predicted " + quantity + u, r[0], r[1], r[0], r[1], false);
        Graphics2D g = c.g;
        g.setColor(POINT_COLOR);
        double rad = reference.length > 3000 ? 1.6 : 2.5;
        for (int i = 0; i < reference.length; i++) {
            if (!Double.isFinite(reference[i]) || !Double.isFinite(predicted[i])) continue;
            g.fill(new Ellipse2D.Double(c.frame.px(reference[i]) - rad, c.frame.py(predicted[i]) - rad, 2 * rad, 2 * rad));
        }
        // the y = x line on top of the points, so it stays visible where they crowd
        Shape clip = g.getClip();
        g.setClip(c.frame.area);
        g.setColor(DIAGONAL_COLOR);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 5f}, 0f));
        g.draw(new Line2D.Double(c.frame.px(r[0]), c.frame.py(r[0]), c.frame.px(r[1]), c.frame.py(r[1])));
        g.setClip(clip);
        return c.finish(png);
    }

    /**
     * Log-log scatter with fitted power laws: for each series its points (x, y) as markers and,
     * where {@code fits} gives {k, a} (may be null or hold null), the line y = a x^k dashed over
     * the series' x range, both axes logarithmic (ticks at powers of ten). A series without a
     * fit has its points joined by lines. Non-positive and non-finite points are skipped.
     * The legend goes to the corner of the plot area that covers the fewest points. The returned
     * frame maps log10(x) and log10(y) to pixels.
     */
    public static Frame logLog(Path png, String title, String xLabel, String yLabel, List<Series> series,
                               List<double[]> fits, int width, int height) throws IOException {
        if (series.isEmpty()) throw new IllegalArgumentException("no series to plot");
        if (fits != null && fits.size() != series.size())
            throw new IllegalArgumentException(series.size() + " series but " + fits.size() + " fits");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                if (!positive(s.x[i], s.y[i])) continue;
                x0 = Math.min(x0, Math.log10(s.x[i]));
                x1 = Math.max(x1, Math.log10(s.x[i]));
                y0 = Math.min(y0, Math.log10(s.y[i]));
                y1 = Math.max(y1, Math.log10(s.y[i]));
            }
        if (x0 > x1) throw new IllegalArgumentException("nothing to plot: no finite, positive points in \"" + title + "\"");
        double[] xr = padRange(x0, x1, false);
        double[] yr = padRange(y0, y1, false);
        Canvas c = new Canvas(width, height, title, xLabel, yLabel, xr[0], xr[1], yr[0], yr[1], false, true);
        Graphics2D g = c.g;
        Shape clip = g.getClip();
        g.setClip(c.frame.area);
        List<double[]> pixels = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(s.color);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            double r = 3.5;
            double[] prev = null;
            for (int i = 0; i < s.x.length; i++) {
                if (!positive(s.x[i], s.y[i])) continue;
                double lx = Math.log10(s.x[i]), ly = Math.log10(s.y[i]);
                lo = Math.min(lo, lx);
                hi = Math.max(hi, lx);
                double px = c.frame.px(lx), py = c.frame.py(ly);
                g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
                if ((fits == null || fits.get(k) == null) && prev != null) { // no fitted line: join the points
                    g.setStroke(new BasicStroke(1.5f));
                    g.draw(new Line2D.Double(prev[0], prev[1], px, py));
                }
                prev = new double[]{px, py};
                pixels.add(prev);
            }
            double[] f = fits == null ? null : fits.get(k);
            if (f != null && lo <= hi && Double.isFinite(f[0]) && f[1] > 0) {
                g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{7f, 4f}, 0f));
                double la = Math.log10(f[1]);
                g.draw(new Line2D.Double(c.frame.px(lo), c.frame.py(la + f[0] * lo), c.frame.px(hi), c.frame.py(la + f[0] * hi)));
            }
        }
        g.setClip(clip);
        c.legend(series, emptiestCorner(c, series, pixels)); // the corner that hides the fewest points
        return c.finish(png);
    }

    /** The legend corner (0 top left, 1 top right, 2 bottom left, 3 bottom right) covering the fewest points; ties: lowest. */
    private static int emptiestCorner(Canvas c, List<Series> series, List<double[]> pixels) {
        int[] wh = c.legendSize(series);
        int best = 0, bestCount = Integer.MAX_VALUE;
        for (int corner = 0; corner < 4; corner++) {
            int[] o = c.legendOrigin(series, corner);
            int n = 0;
            for (double[] p : pixels)
                if (p[0] >= o[0] - 4 && p[0] <= o[0] + wh[0] + 4 && p[1] >= o[1] - 4 && p[1] <= o[1] + wh[1] + 4) n++;
            if (n < bestCount) {
                best = corner;
                bestCount = n;
            }
        }
        return best;
    }

    private static boolean positive(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && x > 0 && y > 0;
    }

    private static boolean usable(double x, double y, boolean logY) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** Range padded by 5% (linear) or a factor (log); a single value gets a unit-width range. */
    private static double[] padRange(double lo, double hi, boolean log) {
        if (log) {
            double l0 = Math.log10(lo), l1 = Math.log10(hi);
            if (l1 - l0 < 1e-9) {
                l0 -= 0.5;
                l1 += 0.5;
            }
            double pad = 0.05 * (l1 - l0);
            return new double[]{Math.pow(10, l0 - pad), Math.pow(10, l1 + pad)};
        }
        if (hi - lo <= Math.max(1e-300, 1e-12 * Math.abs(hi))) {
            double w = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[]{lo - w, hi + w};
        }
        double pad = 0.05 * (hi - lo);
        return new double[]{lo - pad, hi + pad};
    }

    /** "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
    static double[] niceTicks(double lo, double hi, int target) {
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
        List<Double> t = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) t.add(Math.abs(v) < 1e-12 * step ? 0.0 : v);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Ticks for a log axis: every power of 10 in range, plus 2 and 5 multiples when the range spans few decades. */
    static double[] logTicks(double lo, double hi) {
        List<Double> t = new ArrayList<>();
        int k0 = (int) Math.floor(Math.log10(lo)), k1 = (int) Math.ceil(Math.log10(hi));
        int every = Math.max(1, (k1 - k0) / 8);
        boolean sub = Math.log10(hi / lo) <= 2.5; // few decades: also 2x and 5x ticks
        for (int k = k0; k <= k1; k++) {
            for (int mult : sub ? new int[]{1, 2, 5} : new int[]{1}) {
                if (mult == 1 && (k - k0) % every != 0) continue;
                double v = mult * Math.pow(10, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) t.add(v);
            }
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Ticks on a log10 axis (values are exponents): nice steps below 1.5 decades, the 1, 2 and 5
     * multiples of every power of ten up to 4 decades, the powers of ten beyond.
     */
    static double[] decadeTicks(double lo, double hi) {
        if (hi - lo < 1.5) return niceTicks(lo, hi, 5);
        boolean sub = hi - lo < 4;
        int every = Math.max(1, (int) Math.ceil((hi - lo) / 8));
        List<Double> t = new ArrayList<>();
        for (int k = (int) Math.floor(lo); k <= hi + 1e-9; k++)
            for (double m : sub ? new double[]{0, Math.log10(2), Math.log10(5)} : new double[]{0}) {
                double v = k + m;
                if (v >= lo - 1e-9 && v <= hi + 1e-9 && (m > 0 || Math.floorMod(k, every) == 0)) t.add(v);
            }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String fmtTick(double v, double step) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) return fmtSig(v, 3);
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }

    static String fmtSig(double v, int sig) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%." + (sig - 1) + "e", v);
            return s.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        int decimals = Math.max(0, sig - 1 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Axes, ticks, labels and title; data are drawn by the caller into frame coordinates. */
    private static final class Canvas {
        final BufferedImage img;
        final Graphics2D g;
        final Frame frame;
        final Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

        Canvas(int w, int h, String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1, boolean logY) {
            this(w, h, title, xLabel, yLabel, x0, x1, y0, y1, logY, false);
        }

        /** decades: both axes hold log10 values; ticks are labelled with the powers of ten they stand for. */
        Canvas(int w, int h, String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1, boolean logY,
               boolean decades) {
            if (w < 200 || h < 150) throw new IllegalArgumentException("plot size " + w + "x" + h + " is too small (min 200x150)");
            img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();

            double[] yt = decades ? decadeTicks(y0, y1) : logY ? logTicks(y0, y1) : niceTicks(y0, y1, 7);
            double ystep = yt.length > 1 ? yt[1] - yt[0] : Math.abs(y1 - y0);
            String[] ylabels = new String[yt.length];
            int maxLabel = 0;
            for (int i = 0; i < yt.length; i++) {
                ylabels[i] = decades ? fmtSig(Math.pow(10, yt[i]), y1 - y0 < 1.5 ? 2 : 1) : logY ? fmtSig(yt[i], 1) : fmtTick(yt[i], ystep);
                maxLabel = Math.max(maxLabel, fm.stringWidth(ylabels[i]));
            }
            int left = 20 + fm.getHeight() + 8 + maxLabel + 8;
            int top = 20 + fm.getHeight() + 14;
            int right = 25;
            int bottom = 20 + fm.getHeight() + 8 + fm.getHeight() + 6;
            Rectangle area = new Rectangle(left, top, w - left - right, h - top - bottom);
            if (area.width < 50 || area.height < 50) throw new IllegalArgumentException("plot size " + w + "x" + h + " leaves no room for data");
            frame = new Frame(w, h, area, x0, x1, y0, y1, logY);

            // grid and ticks
            g.setStroke(new BasicStroke(1f));
            double[] xt = decades ? decadeTicks(x0, x1) : niceTicks(x0, x1, 7);
            double xstep = xt.length > 1 ? xt[1] - xt[0] : Math.abs(x1 - x0);
            for (double v : xt) {
                int px = (int) Math.round(frame.px(v));
                g.setColor(new Color(230, 230, 230));
                g.drawLine(px, area.y, px, area.y + area.height);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(px, area.y + area.height, px, area.y + area.height + 5);
                String s = decades ? fmtSig(Math.pow(10, v), x1 - x0 < 1.5 ? 2 : 1) : fmtTick(v, xstep);
                g.drawString(s, px - fm.stringWidth(s) / 2, area.y + area.height + 8 + fm.getAscent());
            }
            for (int i = 0; i < yt.length; i++) {
                int py = (int) Math.round(frame.py(yt[i]));
                g.setColor(new Color(230, 230, 230));
                g.drawLine(area.x, py, area.x + area.width, py);
                g.setColor(Color.DARK_GRAY);
                g.drawLine(area.x - 5, py, area.x, py);
                g.drawString(ylabels[i], area.x - 8 - fm.stringWidth(ylabels[i]), py + fm.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.drawRect(area.x, area.y, area.width, area.height);

            // labels and title
            String xl = xLabel + (decades ? "  [log scale]" : "");
            g.drawString(xl, area.x + (area.width - fm.stringWidth(xl)) / 2, h - 14);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            String yl = yLabel + (logY || decades ? "  [log scale]" : "");
            g.drawString(yl, -(area.y + (area.height + fm.stringWidth(yl)) / 2), 18 + fm.getAscent());
            g.setTransform(saved);
            Font tf = font.deriveFont(Font.BOLD, 16f);
            g.setFont(tf);
            FontMetrics tm = g.getFontMetrics();
            g.drawString(title, Math.max(5, (w - tm.stringWidth(title)) / 2), 18 + tm.getAscent());
            g.setFont(font);
        }

        void legend(List<Series> series) {
            legend(series, false);
        }

        /** The legend box in the top right corner of the plot area, or the top left one. */
        void legend(List<Series> series, boolean topLeft) {
            legend(series, topLeft ? 0 : 1);
        }

        /** The legend box's [width, height] in pixels. */
        int[] legendSize(List<Series> series) {
            FontMetrics fm = g.getFontMetrics();
            int lw = 0;
            for (Series s : series) lw = Math.max(lw, fm.stringWidth(s.name));
            return new int[]{lw + 50, series.size() * (fm.getHeight() + 4) + 8};
        }

        /** The legend's top-left pixel in corner 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
        int[] legendOrigin(List<Series> series, int corner) {
            int[] wh = legendSize(series);
            int bx = corner % 2 == 0 ? frame.area.x + 10 : frame.area.x + frame.area.width - wh[0] - 10;
            int by = corner < 2 ? frame.area.y + 10 : frame.area.y + frame.area.height - wh[1] - 10;
            return new int[]{bx, by};
        }

        /** The legend box in corner 0 top left, 1 top right, 2 bottom left, 3 bottom right. */
        void legend(List<Series> series, int corner) {
            FontMetrics fm = g.getFontMetrics();
            int[] wh = legendSize(series), o = legendOrigin(series, corner);
            int boxW = wh[0], rowH = fm.getHeight() + 4, boxH = wh[1];
            int bx = o[0], by = o[1];
            g.setColor(new Color(255, 255, 255, 235));
            g.fillRect(bx, by, boxW, boxH);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(bx, by, boxW, boxH);
            for (int i = 0; i < series.size(); i++) {
                int cy = by + 4 + i * rowH + rowH / 2;
                g.setColor(series.get(i).color);
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(bx + 8, cy, bx + 32, cy);
                g.setColor(Color.BLACK);
                g.drawString(series.get(i).name, bx + 40, cy + fm.getAscent() / 2 - 1);
            }
        }

        Frame finish(Path png) throws IOException {
            g.dispose();
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", bos)) throw new IOException("no PNG writer available in ImageIO");
            AtomicFiles.writeBytes(png, bos.toByteArray());
            return frame;
        }
    }
}
