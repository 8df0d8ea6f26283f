package org.unite4j.report;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.TickUnit;
import org.jfree.chart.axis.TickUnitSource;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.unite4j.util.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * PNG figures for reports, drawn with JFreeChart in headless mode and written atomically
 * ({@link AtomicFiles}).
 *
 * <ul>
 *   <li>{@link #learningCurve}: train and validation metric per epoch, integer epoch ticks,
 *       optional log-scale y, units in the axis labels, legend.</li>
 *   <li>{@link #parity}: predicted vs reference with the y = x line, equal axes (same range, same
 *       ticks, square data area), MAE, RMSE, R^2, max |error| and n over all pairs
 *       ({@link #parityStats}); robust limits ({@link #parityLimits}) so that a few outliers do
 *       not squash the cloud: pairs outside are drawn at the edge as triangles and counted.</li>
 *   <li>{@link #linePlot}: a general line chart (molecular dynamics energies).</li>
 *   <li>{@link #logLog}: log-log markers with fitted power laws y = a x^k (scaling benchmarks).</li>
 * </ul>
 * Log axes are labelled at the powers of ten, and at their 2 and 5 multiples where the axis spans
 * fewer than 3 decades ({@link #logTicks}); no axis gets a single labelled tick. Linear tick labels
 * use {@link Locale#ROOT} without grouping. Each method returns the {@link Frame} it drew: the
 * data-to-pixel mapping and the tick labels as rendered. Non-finite points are skipped (a gap in a
 * line); on a log axis non-positive values are skipped too.
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Series colours (matplotlib's tab10 blue and orange) and the parity points / diagonal / outlier colours. */
    public static final Color TRAIN_COLOR = new Color(31, 119, 180);
    public static final Color VALIDATION_COLOR = new Color(255, 127, 14);
    public static final Color POINT_COLOR = new Color(31, 119, 180);
    public static final Color DIAGONAL_COLOR = new Color(214, 39, 40);
    public static final Color OUTLIER_COLOR = new Color(148, 103, 189);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color GRID = new Color(222, 222, 222);

    /** One line series: points (x[i], y[i]) in the given colour, with markers. */
    public record Series(String name, double[] x, double[] y, Color color) {
        public Series {
            if (x.length != y.length) throw new IllegalArgumentException("series \"" + name + "\": " + x.length + " x values but " + y.length + " y values");
        }
    }

    /** A labelled tick as drawn: its data value and its text. */
    public record Tick(double value, String label) {}

    /**
     * What was drawn: the image size, the data area in pixels, the axis ranges in data units
     * (log10 scale where logX / logY), the labelled ticks of each axis, and the title lines
     * (title first, then the subtitles).
     */
    public record Frame(int width, int height, Rectangle area, double xMin, double xMax, double yMin, double yMax,
                        boolean logX, boolean logY, List<Tick> xTicks, List<Tick> yTicks, List<String> titles) {
        /** Pixel column of data x. */
        public double px(double x) {
            double t = logX ? (Math.log10(x) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin)) : (x - xMin) / (xMax - xMin);
            return area.x + t * area.width;
        }

        /** Pixel row of data y. */
        public double py(double y) {
            double t = logY ? (Math.log10(y) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin)) : (y - yMin) / (yMax - yMin);
            return area.y + area.height - t * area.height;
        }

        public List<String> xLabels() { return xTicks.stream().map(Tick::label).toList(); }

        public List<String> yLabels() { return yTicks.stream().map(Tick::label).toList(); }
    }

    // ---------------------------------------------------------------- learning curve and line plots

    /**
     * Learning curve: train and validation values per epoch (epoch i+1 at index i), ticks at whole
     * epochs only.
     *
     * @param yLabel with its unit, e.g. "energy MAE (kcal/mol)"
     * @param validation may be null (train only)
     */
    public static Frame learningCurve(Path png, double[] train, double[] validation, String yLabel, boolean logY) throws IOException {
        List<Series> s = new ArrayList<>();
        s.add(new Series("train", epochs(train.length), train, TRAIN_COLOR));
        if (validation != null) s.add(new Series("validation", epochs(validation.length), validation, VALIDATION_COLOR));
        int n = Math.max(train.length, validation == null ? 0 : validation.length);
        // whole epochs 1..n with half an epoch either side; one epoch gets 0..2, so the axis has three ticks
        double[] xr = n >= 2 ? new double[]{0.5, n + 0.5} : new double[]{0, 2};
        return lines(png, "Learning curve", "epoch", yLabel, s, logY, true, xr, 800, 560);
    }

    private static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = i + 1;
        return e;
    }

    /** A line chart of several series (markers where a series has at most 200 points); returns the frame drawn. */
    public static Frame linePlot(Path png, String title, String xLabel, String yLabel, List<Series> series,
                                 boolean logY, int width, int height) throws IOException {
        return lines(png, title, xLabel, yLabel, series, logY, false, null, width, height);
    }

    private static Frame lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                               boolean integerX, double[] xRange, int width, int height) throws IOException {
        checkSize(width, height);
        if (series.isEmpty()) throw new IllegalArgumentException("no series to plot");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            XYSeries xy = new XYSeries(new Key(k, s.name()), false, true);
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i], logY)) {
                    xy.add(s.x[i], Double.NaN); // a gap in the line
                    continue;
                }
                xy.add(s.x[i], s.y[i]);
                x0 = Math.min(x0, s.x[i]);
                x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
            data.addSeries(xy);
            r.setSeriesPaint(k, s.color);
            r.setSeriesStroke(k, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            r.setSeriesShape(k, circle(3.5));
            r.setSeriesShapesVisible(k, s.x.length <= 200);
        }
        if (x0 > x1) throw new IllegalArgumentException("nothing to plot: no finite" + (logY ? ", positive" : "") + " points in \"" + title + "\"");
        double[] xr = xRange != null ? xRange : padRange(x0, x1, false);
        double[] yr = padRange(y0, y1, logY);
        ValueAxis xa = linearAxis(xLabel, integerX, xr);
        ValueAxis ya = logY ? logAxis(yLabel, yr) : linearAxis(yLabel, false, yr);
        XYPlot plot = plot(data, xa, ya, r);
        JFreeChart c = chart(title, plot, true);
        return render(c, width, height, png, false, logY);
    }

    // ---------------------------------------------------------------- parity plot

    /** Error statistics of (reference, prediction) pairs: MAE, RMSE, R^2 = 1 - SSE / SST (NaN when all references are equal), max |error|, n. */
    public record ParityStats(int n, double mae, double rmse, double r2, double maxAbsError) {}

    /** Axis limits [lo, hi] of a parity plot (both axes) and the number of pairs with a value outside them. */
    public record ParityLimits(double lo, double hi, int outliers) {}

    /** Statistics over the pairs where both values are finite (errors are predicted - reference). */
    public static ParityStats parityStats(double[] reference, double[] predicted) {
        requireSameLength(reference, predicted);
        int n = 0;
        double sumAbs = 0, sumSq = 0, max = 0, sumRef = 0;
        for (int i = 0; i < reference.length; i++) {
            if (!finitePair(reference, predicted, i)) continue;
            double e = predicted[i] - reference[i];
            n++;
            sumAbs += Math.abs(e);
            sumSq += e * e;
            max = Math.max(max, Math.abs(e));
            sumRef += reference[i];
        }
        if (n == 0) return new ParityStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double mean = sumRef / n, sst = 0;
        for (int i = 0; i < reference.length; i++)
            if (finitePair(reference, predicted, i)) sst += (reference[i] - mean) * (reference[i] - mean);
        return new ParityStats(n, sumAbs / n, Math.sqrt(sumSq / n), sst == 0 ? Double.NaN : 1 - sumSq / sst, max);
    }

    /**
     * Robust limits of a parity plot, the same on both axes: p_lo and p_hi are the 0.5th and
     * 99.5th percentiles of all reference and predicted values together, s = p_hi - p_lo; the
     * limits span the smallest and largest values within 25% of s beyond them (so the sparse tail
     * of a skewed data set stays on the axes, and values further out widen nothing), plus a 5%
     * margin. Pairs with either value outside are the outliers (drawn at the edge). Where every
     * value is equal the range is widened around it, as for any single value.
     */
    public static ParityLimits parityLimits(double[] reference, double[] predicted) {
        requireSameLength(reference, predicted);
        double[] v = new double[2 * reference.length];
        int m = 0;
        for (int i = 0; i < reference.length; i++)
            if (finitePair(reference, predicted, i)) {
                v[m++] = reference[i];
                v[m++] = predicted[i];
            }
        if (m == 0) throw new IllegalArgumentException("nothing to plot: no finite (reference, prediction) pairs");
        v = Arrays.copyOf(v, m);
        Arrays.sort(v);
        double pLo = quantile(v, 0.005), pHi = quantile(v, 0.995), s = pHi - pLo;
        double inLo = v[0], inHi = v[m - 1];
        for (int i = 0; i < m && v[i] < pLo - 0.25 * s; i++) inLo = v[i + 1]; // the extreme values within the band
        for (int i = m - 1; i >= 0 && v[i] > pHi + 0.25 * s; i--) inHi = v[i - 1];
        double[] r = padRange(inLo, inHi, false);
        int out = 0;
        for (int i = 0; i < reference.length; i++)
            if (finitePair(reference, predicted, i) && (outside(reference[i], r) || outside(predicted[i], r))) out++;
        return new ParityLimits(r[0], r[1], out);
    }

    private static boolean outside(double x, double[] r) {
        return x < r[0] || x > r[1];
    }

    /** Linear interpolation between order statistics (numpy's default): q in [0, 1] of sorted v. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    /**
     * Parity plot: predicted (y) against reference (x) on equal axes with the y = x line, 720 x 720
     * pixels. The title is {@code title} (or "Parity: QUANTITY"); a subtitle "QUANTITY (n = N):" above "MAE ..."
     * gives MAE, RMSE, R^2, max |error| (in {@code unit}) and n over all finite pairs, including any outside the axes,
     * and says how many pairs lie outside the robust limits ({@link #parityLimits}).
     *
     * @param quantity e.g. "energy"; the axes read "reference energy (UNIT)" and "predicted energy (UNIT)"
     */
    public static Frame parity(Path png, double[] reference, double[] predicted, String quantity, String unit, String title) throws IOException {
        requireSameLength(reference, predicted);
        ParityStats st = parityStats(reference, predicted);
        if (st.n() == 0) throw new IllegalArgumentException("nothing to plot: no finite (reference, prediction) pairs");
        ParityLimits lim = parityLimits(reference, predicted);
        double lo = lim.lo(), hi = lim.hi(), inset = 0.012 * (hi - lo);
        XYSeries in = new XYSeries(new Key(0, "pairs"), false, true), out = new XYSeries(new Key(1, "outliers"), false, true);
        for (int i = 0; i < reference.length; i++) {
            if (!finitePair(reference, predicted, i)) continue;
            double x = reference[i], y = predicted[i];
            if (x >= lo && x <= hi && y >= lo && y <= hi) in.add(x, y);
            else out.add(clamp(x, lo + inset, hi - inset), clamp(y, lo + inset, hi - inset));
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(in);
        data.addSeries(out);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        Shape dot = circle(st.n() > 3000 ? 1.6 : 2.5), tri = ShapeUtils.createUpTriangle(5f);
        r.setSeriesPaint(0, POINT_COLOR);
        r.setSeriesShape(0, dot);
        r.setSeriesPaint(1, OUTLIER_COLOR);
        r.setSeriesShape(1, tri);
        Stroke dash = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{8f, 5f}, 0f);
        // the y = x line on top of the points, so it stays visible where they crowd
        r.addAnnotation(new XYLineAnnotation(lo, lo, hi, hi, dash, DIAGONAL_COLOR), Layer.FOREGROUND);
        String u = unit == null || unit.isBlank() ? "" : " (" + unit + ")";
        double step = niceStep(lo, hi, 6);
        NumberAxis xa = linearAxis("reference " + quantity + u, false, new double[]{lo, hi});
        NumberAxis ya = linearAxis("predicted " + quantity + u, false, new double[]{lo, hi});
        for (NumberAxis a : new NumberAxis[]{xa, ya}) a.setTickUnit(new NumberTickUnit(step, new TickFormat(step), 0)); // same ticks on both
        XYPlot plot = plot(data, xa, ya, r);
        LegendItemCollection items = new LegendItemCollection();
        items.add(new LegendItem(String.format(Locale.ROOT, "%d pairs", st.n()), null, null, null, dot, POINT_COLOR));
        items.add(new LegendItem("y = x", null, null, null, new Line2D.Double(-12, 0, 12, 0), dash, DIAGONAL_COLOR));
        if (lim.outliers() > 0) items.add(new LegendItem(outlierText(lim.outliers()) + ", drawn at the edge", null, null, null, tri, OUTLIER_COLOR));
        plot.setFixedLegendItems(items);
        JFreeChart c = chart(title == null || title.isBlank() ? "Parity: " + quantity : title, plot, true);
        String us = unit == null || unit.isBlank() ? "" : " " + unit;
        c.addSubtitle(subtitle(String.format(Locale.ROOT, "%s (n = %d):\nMAE %s, RMSE %s, max |error| %s%s; R\u00b2 = %s", quantity, st.n(),
                fmtSig(st.mae(), 3), fmtSig(st.rmse(), 3), fmtSig(st.maxAbsError(), 3), us,
                Double.isNaN(st.r2()) ? "n/a" : String.format(Locale.ROOT, "%.4f", st.r2()))));
        if (lim.outliers() > 0) c.addSubtitle(subtitle(outlierText(lim.outliers()) + " (triangles at the edge; counted in the statistics)"));
        return render(c, 720, 720, png, true, false);
    }

    private static String outlierText(int k) {
        return k + (k == 1 ? " outlier" : " outliers") + " outside the axes";
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static boolean finitePair(double[] a, double[] b, int i) {
        return Double.isFinite(a[i]) && Double.isFinite(b[i]);
    }

    private static void requireSameLength(double[] reference, double[] predicted) {
        if (reference.length != predicted.length)
            throw new IllegalArgumentException(reference.length + " reference values but " + predicted.length + " predictions");
    }

    // ---------------------------------------------------------------- log-log scaling plot

    /**
     * Log-log plot with fitted power laws: for each series its points (x, y) as markers and,
     * where {@code fits} gives {k, a} (may be null or hold null), the line y = a x^k dashed over
     * the series' x range; both axes logarithmic. A series without a fit has its points joined by
     * lines. Non-positive and non-finite points are skipped. The legend sits below the plot, so it
     * hides no point.
     */
    public static Frame logLog(Path png, String title, String xLabel, String yLabel, List<Series> series,
                               List<double[]> fits, int width, int height) throws IOException {
        checkSize(width, height);
        if (series.isEmpty()) throw new IllegalArgumentException("no series to plot");
        if (fits != null && fits.size() != series.size())
            throw new IllegalArgumentException(series.size() + " series but " + fits.size() + " fits");
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        List<XYSeries> fitLines = new ArrayList<>();
        List<Color> fitColors = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            XYSeries xy = new XYSeries(new Key(k, s.name()), false, true);
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < s.x.length; i++) {
                if (!positive(s.x[i], s.y[i])) continue;
                xy.add(s.x[i], s.y[i]);
                lo = Math.min(lo, s.x[i]);
                hi = Math.max(hi, s.x[i]);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
            x0 = Math.min(x0, lo);
            x1 = Math.max(x1, hi);
            data.addSeries(xy);
            double[] f = fits == null ? null : fits.get(k);
            boolean fitted = f != null && lo <= hi && Double.isFinite(f[0]) && f[1] > 0 && Double.isFinite(f[1]);
            r.setSeriesPaint(k, s.color);
            r.setSeriesShape(k, circle(3.5));
            r.setSeriesLinesVisible(k, !fitted); // no fitted line: join the points
            r.setSeriesStroke(k, new BasicStroke(1.5f));
            if (fitted) {
                XYSeries line = new XYSeries(new Key(series.size() + fitLines.size(), s.name() + " fit"), false, true);
                line.add(lo, f[1] * Math.pow(lo, f[0]));
                line.add(hi, f[1] * Math.pow(hi, f[0]));
                fitLines.add(line);
                fitColors.add(s.color);
            }
        }
        if (x0 > x1) throw new IllegalArgumentException("nothing to plot: no finite, positive points in \"" + title + "\"");
        for (int j = 0; j < fitLines.size(); j++) {
            int k = series.size() + j;
            data.addSeries(fitLines.get(j));
            r.setSeriesPaint(k, fitColors.get(j));
            r.setSeriesShapesVisible(k, false);
            r.setSeriesLinesVisible(k, true);
            r.setSeriesVisibleInLegend(k, false);
            r.setSeriesStroke(k, new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{7f, 4f}, 0f));
        }
        XYPlot plot = plot(data, logAxis(xLabel, padRange(x0, x1, true)), logAxis(yLabel, padRange(y0, y1, true)), r);
        JFreeChart c = chart(title, plot, true);
        if (!fitLines.isEmpty()) c.addSubtitle(subtitle("dashed: fitted power law y = a\u00b7x^k over each series' range"));
        return render(c, width, height, png, false, true);
    }

    // ---------------------------------------------------------------- ticks

    /** Ticks of a log axis: the labelled (major) values with their labels, and unlabelled minor tick marks. */
    public record LogTicks(double[] major, List<String> labels, double[] minor) {}

    /**
     * Ticks of a log axis over [lo, hi]: from 3 decades up, the powers of ten (every other one, or
     * sparser, beyond 10 decades), with tick marks at 2..9 times them; below 3 decades the 1, 2
     * and 5 multiples of each power of ten; below that all of 1..9 multiples, and for a range
     * narrower still, linear 1-2-5 steps. So there are always at least two labelled ticks.
     */
    public static LogTicks logTicks(double lo, double hi) {
        if (!(lo > 0) || !(hi > lo) || !Double.isFinite(hi)) throw new IllegalArgumentException("log axis range [" + lo + ", " + hi + "]");
        double span = Math.log10(hi / lo);
        List<double[]> cand = new ArrayList<>(); // {value, mantissa, exponent}
        for (int k = (int) Math.floor(Math.log10(lo)) - 1; k <= (int) Math.ceil(Math.log10(hi)) + 1; k++)
            for (int m = 1; m <= 9; m++) {
                double v = Double.parseDouble(m + "e" + k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) cand.add(new double[]{v, m, k});
            }
        List<double[]> major = new ArrayList<>(), minor = new ArrayList<>();
        if (span >= 3) {
            long decades = cand.stream().filter(c -> c[1] == 1).count();
            int every = (int) Math.max(1, Math.ceil(decades / 10.0));
            for (double[] c : cand) {
                boolean isMajor = c[1] == 1 && Math.floorMod((int) c[2], every) == 0;
                if (isMajor) major.add(c);
                else if (c[1] == 1 || span <= 12) minor.add(c);
            }
        } else {
            for (double[] c : cand) (c[1] == 1 || c[1] == 2 || c[1] == 5 ? major : minor).add(c);
            if (major.size() < 2) {
                major = cand;
                minor = List.of();
            }
        }
        if (major.size() < 2) { // narrower than 1..9 multiples resolve: linear steps
            double step = niceStep(lo, hi, 5);
            double[] t = niceTicks(lo, hi, 5);
            List<String> labels = new ArrayList<>();
            for (double v : t) labels.add(fmtTick(v, step));
            return new LogTicks(t, labels, new double[0]);
        }
        List<String> labels = new ArrayList<>();
        for (double[] c : major) labels.add(fmtSig(c[0], 1));
        return new LogTicks(major.stream().mapToDouble(c -> c[0]).toArray(), labels, minor.stream().mapToDouble(c -> c[0]).toArray());
    }

    /** The 1, 2 or 5 x 10^k step that puts about {@code target} intervals in [lo, hi]. */
    static double niceStep(double lo, double hi, int target) {
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
    }

    /** "Nice" tick values (1, 2, 5 x 10^k steps) covering [lo, hi]. */
    static double[] niceTicks(double lo, double hi, int target) {
        double step = niceStep(lo, hi, target);
        List<Double> t = new ArrayList<>();
        for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + 1e-9 * step; i++) t.add(i == 0 ? 0.0 : i * step);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A tick label for v on an axis with the given step: as many decimals as the step needs, scientific beyond [1e-3, 1e5). */
    static String fmtTick(double v, double step) {
        if (Math.abs(v) < 1e-9 * step) return "0";
        double a = Math.abs(v);
        int stepExp = (int) Math.floor(Math.log10(step) + 1e-9);
        if (a >= 1e5 || a < 1e-3) return fmtSig(v, Math.max(1, (int) Math.floor(Math.log10(a) + 1e-9) - stepExp + 1));
        return String.format(Locale.ROOT, "%." + Math.min(Math.max(0, -stepExp), 12) + "f", v);
    }

    /** v to {@code sig} significant digits, scientific ("1.23e-4") beyond [1e-3, 1e5). */
    static String fmtSig(double v, int sig) {
        if (v == 0) return "0";
        if (!Double.isFinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            String s = String.format(Locale.ROOT, "%." + (sig - 1) + "e", v);
            return s.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        int decimals = Math.max(0, sig - 1 - (int) Math.floor(Math.log10(a)));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Formats tick values with {@link #fmtTick} for one step size. */
    private static final class TickFormat extends NumberFormat {
        private final double step;

        TickFormat(double step) {
            this.step = step;
        }

        @Override
        public StringBuffer format(double number, StringBuffer toAppendTo, FieldPosition pos) {
            return toAppendTo.append(fmtTick(number, step));
        }

        @Override
        public StringBuffer format(long number, StringBuffer toAppendTo, FieldPosition pos) {
            return format((double) number, toAppendTo, pos);
        }

        @Override
        public Number parse(String source, ParsePosition parsePosition) {
            return null;
        }
    }

    /** 1-2-5 tick units (whole numbers only if asked) labelled with {@link TickFormat}. */
    private static final class PlainTickUnits implements TickUnitSource {
        private final NumberTickUnitSource steps;

        PlainTickUnits(boolean integers) {
            steps = new NumberTickUnitSource(integers);
        }

        private static TickUnit labelled(TickUnit u) {
            return new NumberTickUnit(u.getSize(), new TickFormat(u.getSize()), 0);
        }

        @Override
        public TickUnit getLargerTickUnit(TickUnit unit) {
            return labelled(steps.getLargerTickUnit(steps.getCeilingTickUnit(unit.getSize())));
        }

        @Override
        public TickUnit getCeilingTickUnit(TickUnit unit) {
            return labelled(steps.getCeilingTickUnit(unit.getSize()));
        }

        @Override
        public TickUnit getCeilingTickUnit(double size) {
            return labelled(steps.getCeilingTickUnit(size));
        }
    }

    /**
     * A linear axis that keeps the ticks it drew last, and whose automatic tick unit leaves at
     * least {@value #MIN_TICK_SPACING} pixels between ticks (JFreeChart alone packs them as tight as
     * the labels allow).
     */
    private static final class LinearAxis extends NumberAxis {
        static final int MIN_TICK_SPACING = 55;
        List<?> drawn = List.of();

        LinearAxis(String label) {
            super(label);
        }

        @Override
        protected void selectAutoTickUnit(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
            super.selectAutoTickUnit(g2, dataArea, edge);
            double pixels = RectangleEdge.isTopOrBottom(edge) ? dataArea.getWidth() : dataArea.getHeight();
            int most = Math.max(3, (int) (pixels / MIN_TICK_SPACING));
            for (int guard = 0; guard < 20 && getRange().getLength() / getTickUnit().getSize() > most; guard++)
                setTickUnit((NumberTickUnit) getStandardTickUnits().getLargerTickUnit(getTickUnit()), false, false);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            List t = super.refreshTicks(g2, state, dataArea, edge);
            drawn = t;
            return t;
        }
    }

    /** A base-10 log axis with the ticks of {@link #logTicks}; keeps the ticks it drew last. */
    private static final class DecadeAxis extends LogAxis {
        List<?> drawn = List.of();

        DecadeAxis(String label) {
            super(label);
            setBase(10);
            setSmallestValue(Double.MIN_NORMAL);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            TextAnchor anchor = edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : edge == RectangleEdge.BOTTOM ? TextAnchor.TOP_CENTER
                    : edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT;
            LogTicks lt = logTicks(getLowerBound(), getUpperBound());
            List<ValueTick> t = new ArrayList<>();
            for (int i = 0; i < lt.major().length; i++)
                t.add(new NumberTick(TickType.MAJOR, lt.major()[i], lt.labels().get(i), anchor, TextAnchor.CENTER, 0.0));
            for (double v : lt.minor()) t.add(new NumberTick(TickType.MINOR, v, "", anchor, TextAnchor.CENTER, 0.0));
            drawn = t;
            return t;
        }
    }

    // ---------------------------------------------------------------- chart assembly and output

    private static LinearAxis linearAxis(String label, boolean integers, double[] range) {
        LinearAxis a = new LinearAxis(label);
        a.setStandardTickUnits(new PlainTickUnits(integers));
        a.setAutoRangeIncludesZero(false);
        a.setRange(range[0], range[1]);
        style(a);
        return a;
    }

    private static DecadeAxis logAxis(String label, double[] range) {
        DecadeAxis a = new DecadeAxis(label + "  [log scale]");
        a.setRange(range[0], range[1]);
        a.setMinorTickMarksVisible(true);
        a.setMinorTickMarkOutsideLength(2.5f);
        style(a);
        return a;
    }

    private static void style(ValueAxis a) {
        a.setLabelFont(LABEL_FONT);
        a.setTickLabelFont(TICK_FONT);
        a.setTickLabelPaint(Color.DARK_GRAY);
        a.setTickMarkPaint(Color.DARK_GRAY);
        a.setTickMarkOutsideLength(5f);
        a.setAxisLineVisible(false); // the plot outline is the axis line
    }

    private static XYPlot plot(XYSeriesCollection data, ValueAxis x, ValueAxis y, XYLineAndShapeRenderer r) {
        XYPlot p = new XYPlot(data, x, y, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setOutlinePaint(Color.BLACK);
        p.setOutlineStroke(new BasicStroke(1f));
        p.setAxisOffset(RectangleInsets.ZERO_INSETS);
        Stroke grid = new BasicStroke(1f);
        p.setDomainGridlinePaint(GRID);
        p.setRangeGridlinePaint(GRID);
        p.setDomainGridlineStroke(grid);
        p.setRangeGridlineStroke(grid);
        return p;
    }

    private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        JFreeChart c = new JFreeChart(title, TITLE_FONT, plot, legend);
        c.setBackgroundPaint(Color.WHITE);
        c.setAntiAlias(true);
        c.setTextAntiAlias(true);
        c.setPadding(new RectangleInsets(6, 6, 6, 12));
        LegendTitle l = c.getLegend();
        if (l != null) {
            l.setPosition(RectangleEdge.BOTTOM);
            l.setItemFont(SUBTITLE_FONT);
            l.setFrame(new BlockBorder(Color.LIGHT_GRAY));
            l.setMargin(new RectangleInsets(6, 6, 2, 6));
            l.setItemLabelPadding(new RectangleInsets(2, 2, 2, 14)); // room between entries
        }
        return c;
    }

    private static TextTitle subtitle(String text) {
        TextTitle t = new TextTitle(text, SUBTITLE_FONT);
        t.setPaint(Color.BLACK);
        t.setPosition(RectangleEdge.TOP);
        return t;
    }

    private static Shape circle(double r) {
        return new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
    }

    private static void checkSize(int w, int h) {
        if (w < 200 || h < 150) throw new IllegalArgumentException("plot size " + w + "x" + h + " is too small (min 200x150)");
    }

    /** Draws the chart (with a square data area if asked), writes the PNG atomically, returns the frame drawn. */
    private static Frame render(JFreeChart c, int w, int h, Path png, boolean square, boolean logX) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ChartRenderingInfo info = draw(c, img);
        if (square) { // pad the longer side of the data area so both axes have the same pixels per unit
            Rectangle a = info.getPlotInfo().getDataArea().getBounds();
            RectangleInsets p = c.getPadding();
            int d = Math.abs(a.width - a.height);
            if (d > 0) {
                c.setPadding(a.width > a.height ? new RectangleInsets(p.getTop(), p.getLeft() + d / 2, p.getBottom(), p.getRight() + d - d / 2)
                        : new RectangleInsets(p.getTop() + d / 2, p.getLeft(), p.getBottom() + d - d / 2, p.getRight()));
                info = draw(c, img);
            }
        }
        Rectangle area = info.getPlotInfo().getDataArea().getBounds();
        if (area.width < 50 || area.height < 50) throw new IllegalArgumentException("plot size " + w + "x" + h + " leaves no room for data");
        XYPlot plot = c.getXYPlot();
        ValueAxis xa = plot.getDomainAxis(), ya = plot.getRangeAxis();
        List<String> titles = new ArrayList<>();
        if (c.getTitle() != null) titles.add(c.getTitle().getText());
        for (int i = 0; i < c.getSubtitleCount(); i++) if (c.getSubtitle(i) instanceof TextTitle t) titles.add(t.getText());
        Frame f = new Frame(w, h, area, xa.getLowerBound(), xa.getUpperBound(), ya.getLowerBound(), ya.getUpperBound(),
                xa instanceof LogAxis, ya instanceof LogAxis, labelled(xa), labelled(ya), List.copyOf(titles));
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bos)) throw new IOException("no PNG writer available in ImageIO");
        AtomicFiles.writeBytes(png, bos.toByteArray());
        return f;
    }

    private static ChartRenderingInfo draw(JFreeChart c, BufferedImage img) {
        Graphics2D g = img.createGraphics();
        try {
            ChartRenderingInfo info = new ChartRenderingInfo(null); // no entities: nothing is interactive
            c.draw(g, new Rectangle2D.Double(0, 0, img.getWidth(), img.getHeight()), info);
            return info;
        } finally {
            g.dispose();
        }
    }

    private static List<Tick> labelled(ValueAxis a) {
        List<?> ticks = a instanceof LinearAxis l ? l.drawn : a instanceof DecadeAxis d ? d.drawn : List.of();
        List<Tick> out = new ArrayList<>();
        for (Object o : ticks)
            if (o instanceof ValueTick t && t.getTickType() == TickType.MAJOR && t.getText() != null && !t.getText().isEmpty())
                out.add(new Tick(t.getValue(), t.getText()));
        return List.copyOf(out);
    }

    /** Series key: unique by index (two series may share a name), shown by name in the legend. */
    private record Key(int index, String name) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Integer.compare(index, o.index);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static boolean positive(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && x > 0 && y > 0;
    }

    private static boolean usable(double x, double y, boolean logY) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0);
    }

    /** Range padded by 5% (linear) or 5% of the decades (log); a single value gets a unit-width (or +-10%, or half-decade) range. */
    static double[] padRange(double lo, double hi, boolean log) {
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
}
