package org.unite4j.data;

/**
 * The derivative of a molecule's features with respect to its atomic positions: dT/dR for the
 * block values of a {@link MolecularGraph} (its kept pairs and operators F, P, S, W; a block the
 * cutoff stored as zeros has zero derivative) and the featurizing method's energy gradient
 * dE_xTB/dR. Implementations: {@link AnalyticFeatureJacobian} (the Java GFN1-xTB's analytic
 * derivatives, one response solve per geometry) and {@link NumericalFeatureJacobian} (central
 * differences of 6N libxtb single points; any method). The consumers (the Calculator, force
 * training, the force operator) take this interface; {@link #forMethod} chooses.
 */
public interface FeatureJacobian {

    /** The Jacobian of g's features at g's geometry. */
    Jacobian of(MolecularGraph g);

    /**
     * J^T g for one gradient g with respect to the block values, per Angstrom, and dE_xTB/dR
     * (Hartree per Angstrom): what forces need. The default builds the whole Jacobian; the analytic one makes
     * a single adjoint pass instead.
     */
    default Product vjp(MolecularGraph g, double[] gBlocks) {
        Jacobian j = of(g);
        return new Product(j.vjp(gBlocks), j.referenceGradient());
    }

    /** {@link #vjp}'s result: J^T g and dE_xTB/dR, both [3 N] per Angstrom. */
    record Product(double[] featureGradient, double[] referenceGradient) {
    }

    /** Units of work per geometry of n atoms, for progress (single points for the numerical one). */
    default long workUnits(int atoms) {
        return 1;
    }

    /** What distinguishes this Jacobian's values in a cache key (method of computing, step, accuracy). */
    default String cacheKey() {
        return getClass().getName();
    }

    /** Which Jacobian to use: analytic where the Java featurizer covers the method, else numerical. */
    enum Kind {
        AUTO, ANALYTIC, NUMERICAL;

        /** Parses "auto", "analytic" or "numerical" (case-insensitive). */
        public static Kind parse(String s) {
            for (Kind k : values()) if (k.name().equalsIgnoreCase(s)) return k;
            throw new IllegalArgumentException("unknown Jacobian '" + s + "' (expected auto, analytic or numerical)");
        }
    }

    /**
     * The Jacobian of kind {@code kind} for features of {@code method}: AUTO is analytic for GFN1
     * (when the GFN1 parameter file is installed) and numerical otherwise; ANALYTIC for GFN2 is an
     * error (there is no Java GFN2-xTB).
     *
     * @param threads  threads of the numerical single points or of the analytic one's coordinates
     * @param progress work units done (may be null)
     */
    static FeatureJacobian forMethod(Kind kind, org.unite4j.chem.xtb.XtbMethod method, int threads,
                                     java.util.function.IntConsumer progress) {
        boolean analytic = switch (kind) {
            case AUTO -> method == org.unite4j.chem.xtb.XtbMethod.GFN1
                    && java.nio.file.Files.isReadable(org.unite4j.chem.gfn1.Gfn1Parameters.defaultPath());
            case ANALYTIC -> {
                if (method != org.unite4j.chem.xtb.XtbMethod.GFN1)
                    throw new IllegalArgumentException("the analytic featurizer Jacobian needs GFN1 features (the model uses "
                            + method + "); use --jacobian numerical");
                if (!java.nio.file.Files.isReadable(org.unite4j.chem.gfn1.Gfn1Parameters.defaultPath()))
                    throw new IllegalArgumentException("the analytic featurizer Jacobian needs the GFN1-xTB parameter file "
                            + org.unite4j.chem.gfn1.Gfn1Parameters.defaultPath() + " (apt-get install xtb, or set UNITE4J_GFN1_PARAM); "
                            + "use --jacobian numerical");
                yield true;
            }
            case NUMERICAL -> false;
        };
        return analytic ? new AnalyticFeatureJacobian(threads)
                : new NumericalFeatureJacobian(NumericalFeatureJacobian.DEFAULT_STEP, NumericalFeatureJacobian.DEFAULT_ACCURACY, threads, progress);
    }

    /**
     * dT/dR at one geometry: one column per coordinate q = 3 atom + xyz, d(block values)/dR_q per
     * Angstrom, stored in float64 or (for training sets, {@link #toFloat32()}) float32, and
     * dE_xTB/dR in Hartree per Angstrom.
     */
    final class Jacobian {
        private final double[][] columns;
        private final float[][] columns32;
        private final double[] referenceGradient;
        private final int numValues;

        /**
         * @param columns           [3 N][values]
         * @param referenceGradient [3 N], Hartree/Angstrom
         */
        public Jacobian(double[][] columns, double[] referenceGradient) {
            this(columns, null, referenceGradient);
        }

        private Jacobian(double[][] columns, float[][] columns32, double[] referenceGradient) {
            int nq = columns != null ? columns.length : columns32.length;
            if (referenceGradient.length != nq)
                throw new IllegalArgumentException("Jacobian: " + nq + " columns and " + referenceGradient.length + " gradient components");
            this.columns = columns;
            this.columns32 = columns32;
            this.referenceGradient = referenceGradient.clone();
            this.numValues = nq == 0 ? 0 : columns != null ? columns[0].length : columns32[0].length;
        }

        /** The same Jacobian with its columns rounded to float32 (half the memory; ~6e-8 relative). */
        public Jacobian toFloat32() {
            if (columns32 != null) return this;
            float[][] c = new float[columns.length][];
            for (int q = 0; q < c.length; q++) {
                c[q] = new float[numValues];
                for (int j = 0; j < numValues; j++) c[q][j] = (float) columns[q][j];
            }
            return new Jacobian(null, c, referenceGradient);
        }

        /** A float32 Jacobian from stored columns (see {@link #columns32()}). */
        public static Jacobian ofFloat32(float[][] columns, double[] referenceGradient) {
            return new Jacobian(null, columns, referenceGradient);
        }

        public int numCoordinates() { return referenceGradient.length; }

        public int numValues() { return numValues; }

        public boolean isFloat32() { return columns32 != null; }

        /** Column q (d T / d R_q) widened to double, a copy. */
        public double[] column(int q) {
            double[] out = new double[numValues];
            if (columns != null) System.arraycopy(columns[q], 0, out, 0, numValues);
            else for (int j = 0; j < numValues; j++) out[j] = columns32[q][j];
            return out;
        }

        /** The float32 columns (null for a float64 Jacobian); shared, do not modify. */
        public float[][] columns32() { return columns32; }

        /** dE_xTB/dR, Hartree/Angstrom, a copy. */
        public double[] referenceGradient() { return referenceGradient.clone(); }

        /** Bytes the columns take. */
        public long bytes() {
            return (long) numCoordinates() * numValues * (columns32 != null ? 4 : 8);
        }

        /** The change of the block values for a displacement dR (Angstrom, [3 N]). */
        public double[] jvp(double[] dR) {
            if (dR.length != numCoordinates())
                throw new IllegalArgumentException("jvp: " + dR.length + " coordinates, the Jacobian has " + numCoordinates());
            double[] out = new double[numValues];
            for (int q = 0; q < dR.length; q++) {
                double d = dR[q];
                if (d == 0) continue;
                if (columns != null) {
                    double[] c = columns[q];
                    for (int j = 0; j < numValues; j++) out[j] = Math.fma(c[j], d, out[j]);
                } else {
                    float[] c = columns32[q];
                    for (int j = 0; j < numValues; j++) out[j] = Math.fma(c[j], d, out[j]);
                }
            }
            return out;
        }

        /** sum_j gBlocks_j dT_j/dR_q for every coordinate q (per Angstrom). */
        public double[] vjp(double[] gBlocks) {
            if (gBlocks.length != numValues)
                throw new IllegalArgumentException("vjp: " + gBlocks.length + " block values, the Jacobian has " + numValues);
            double[] out = new double[numCoordinates()];
            for (int q = 0; q < out.length; q++) {
                double s = 0;
                if (columns != null) {
                    double[] c = columns[q];
                    for (int j = 0; j < numValues; j++) s = Math.fma(c[j], gBlocks[j], s);
                } else {
                    float[] c = columns32[q];
                    for (int j = 0; j < numValues; j++) s = Math.fma(c[j], gBlocks[j], s);
                }
                out[q] = s;
            }
            return out;
        }
    }
}
