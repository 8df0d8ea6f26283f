package org.unite4j.train;

import java.util.Arrays;

/**
 * Regression metrics, as streaming accumulators (add predictions batch by batch, then read).
 *
 * <p>For scalar targets ({@link Scalar}) with errors e_i = pred_i - ref_i over n samples:
 * <pre>
 *   MAE  = (1/n) sum |e_i|          RMSE = sqrt((1/n) sum e_i^2)        max error = max |e_i|
 *   R^2  = 1 - sum e_i^2 / sum (ref_i - mean(ref))^2
 * </pre>
 * (the reference variance is accumulated with Welford's update, so large offsets such as
 * atomization energies of -1000 kcal/mol do not cancel). For vector targets such as dipoles
 * ({@link Vector}): MAE = (1/n) sum ||pred_i - ref_i||_2 (mean Euclidean norm of the error), and
 * per component k, MAE_k = (1/n) sum |pred_ik - ref_ik|; RMSE = sqrt((1/n) sum ||e_i||^2).
 * Non-finite inputs are rejected with an IllegalArgumentException naming the sample, rather than
 * turning every metric into NaN.
 */
public final class Metrics {
    private Metrics() {}

    /** Streaming accumulator of scalar errors. Not thread-safe; use one per thread and {@link #merge}. */
    public static final class Scalar {
        private long n;
        private double sumAbs, sumSq, maxAbs;
        private double refMean, refM2; // Welford

        /** Adds one (prediction, reference) pair. */
        public Scalar add(double pred, double ref) {
            if (!Double.isFinite(pred) || !Double.isFinite(ref))
                throw new IllegalArgumentException("non-finite value at sample " + n + ": prediction " + pred + ", reference " + ref);
            double e = pred - ref;
            n++;
            sumAbs += Math.abs(e);
            sumSq += e * e;
            maxAbs = Math.max(maxAbs, Math.abs(e));
            double d = ref - refMean;
            refMean += d / n;
            refM2 += d * (ref - refMean);
            return this;
        }

        /** Adds all pairs of two equally long arrays. */
        public Scalar addAll(double[] pred, double[] ref) {
            if (pred.length != ref.length)
                throw new IllegalArgumentException(pred.length + " predictions but " + ref.length + " references");
            for (int i = 0; i < pred.length; i++) add(pred[i], ref[i]);
            return this;
        }

        /** Combines another accumulator into this one (Chan's parallel variance formula). */
        public Scalar merge(Scalar o) {
            if (o.n == 0) return this;
            long nn = n + o.n;
            double delta = o.refMean - refMean;
            refM2 += o.refM2 + delta * delta * ((double) n * o.n / nn);
            refMean += delta * o.n / nn;
            n = nn;
            sumAbs += o.sumAbs;
            sumSq += o.sumSq;
            maxAbs = Math.max(maxAbs, o.maxAbs);
            return this;
        }

        public long count() { return n; }

        public double mae() { return n == 0 ? Double.NaN : sumAbs / n; }

        public double rmse() { return n == 0 ? Double.NaN : Math.sqrt(sumSq / n); }

        public double maxError() { return n == 0 ? Double.NaN : maxAbs; }

        /** Coefficient of determination; NaN when there are no samples or the references are all equal. */
        public double r2() { return n == 0 || refM2 == 0 ? Double.NaN : 1 - sumSq / refM2; }

        /** Mean of the references. */
        public double referenceMean() { return n == 0 ? Double.NaN : refMean; }

        /** Standard deviation (population) of the references: the RMSE of predicting the mean. */
        public double referenceStd() { return n == 0 ? Double.NaN : Math.sqrt(refM2 / n); }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "n=%d MAE=%.6g RMSE=%.6g max=%.6g R2=%.6f", n, mae(), rmse(), maxError(), r2());
        }
    }

    /** Streaming accumulator of vector errors (e.g. dipoles, dim = 3). */
    public static final class Vector {
        private final int dim;
        private long n;
        private double sumNorm, sumSq, maxNorm;
        private final double[] sumAbsComp;

        public Vector(int dim) {
            if (dim < 1) throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
            this.dim = dim;
            this.sumAbsComp = new double[dim];
        }

        /** Adds one (prediction, reference) pair of length dim. */
        public Vector add(double[] pred, double[] ref) {
            return add(pred, 0, ref, 0);
        }

        /** Adds one pair read from pred[po..po+dim) and ref[ro..ro+dim). */
        public Vector add(double[] pred, int po, double[] ref, int ro) {
            if (po + dim > pred.length || ro + dim > ref.length)
                throw new IllegalArgumentException("vectors of dimension " + dim + " do not fit at offsets " + po + "/" + ro);
            double sq = 0;
            for (int k = 0; k < dim; k++) {
                double p = pred[po + k], r = ref[ro + k];
                if (!Double.isFinite(p) || !Double.isFinite(r))
                    throw new IllegalArgumentException("non-finite value at sample " + n + ", component " + k + ": prediction " + p + ", reference " + r);
                double e = p - r;
                sumAbsComp[k] += Math.abs(e);
                sq += e * e;
            }
            n++;
            double norm = Math.sqrt(sq);
            sumNorm += norm;
            sumSq += sq;
            maxNorm = Math.max(maxNorm, norm);
            return this;
        }

        /** Adds n pairs from row-major [n][dim] arrays. */
        public Vector addAll(double[] pred, double[] ref) {
            if (pred.length != ref.length || pred.length % dim != 0)
                throw new IllegalArgumentException("need two row-major [n][" + dim + "] arrays of equal length, got " + pred.length + " and " + ref.length);
            for (int i = 0; i < pred.length; i += dim) add(pred, i, ref, i);
            return this;
        }

        public Vector merge(Vector o) {
            if (o.dim != dim) throw new IllegalArgumentException("dimension " + o.dim + " != " + dim);
            n += o.n;
            sumNorm += o.sumNorm;
            sumSq += o.sumSq;
            maxNorm = Math.max(maxNorm, o.maxNorm);
            for (int k = 0; k < dim; k++) sumAbsComp[k] += o.sumAbsComp[k];
            return this;
        }

        public int dim() { return dim; }

        public long count() { return n; }

        /** Mean Euclidean norm of the error vector. */
        public double mae() { return n == 0 ? Double.NaN : sumNorm / n; }

        /** MAE of component k. */
        public double maeComponent(int k) { return n == 0 ? Double.NaN : sumAbsComp[k] / n; }

        /** MAE per component. */
        public double[] maeComponents() {
            double[] r = new double[dim];
            for (int k = 0; k < dim; k++) r[k] = maeComponent(k);
            return r;
        }

        /** sqrt(mean ||e||^2). */
        public double rmse() { return n == 0 ? Double.NaN : Math.sqrt(sumSq / n); }

        /** Largest error norm. */
        public double maxError() { return n == 0 ? Double.NaN : maxNorm; }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "n=%d MAE(norm)=%.6g RMSE=%.6g max=%.6g per-component MAE=%s",
                    n, mae(), rmse(), maxError(), Arrays.toString(maeComponents()));
        }
    }

    /** MAE of two arrays. */
    public static double mae(double[] pred, double[] ref) { return new Scalar().addAll(pred, ref).mae(); }

    /** RMSE of two arrays. */
    public static double rmse(double[] pred, double[] ref) { return new Scalar().addAll(pred, ref).rmse(); }

    /** Largest absolute error of two arrays. */
    public static double maxError(double[] pred, double[] ref) { return new Scalar().addAll(pred, ref).maxError(); }

    /** R^2 of two arrays. */
    public static double r2(double[] pred, double[] ref) { return new Scalar().addAll(pred, ref).r2(); }
}
