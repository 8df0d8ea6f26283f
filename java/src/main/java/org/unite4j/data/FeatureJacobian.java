package org.unite4j.data;

/**
 * The derivative of a molecule's features with respect to its atomic positions: dT/dR for the
 * block values of a {@link MolecularGraph} (its kept pairs and operators F, P, S, W; a block the
 * cutoff stored as zeros has zero derivative) and the featurizing method's energy gradient
 * dE_xTB/dR. Implementations: {@link NumericalFeatureJacobian} (central differences of libxtb
 * single points), later an analytic one; callers see only this interface.
 */
public interface FeatureJacobian {

    /** The Jacobian of g's features at g's geometry. */
    Jacobian of(MolecularGraph g);

    /**
     * dT/dR at one geometry.
     *
     * @param columns            [3 N][values]: d(block values)/dR_q per Angstrom, q = 3 atom + xyz
     * @param referenceGradient  dE_xTB/dR, Hartree per Angstrom, [3 N]
     */
    record Jacobian(double[][] columns, double[] referenceGradient) {

        public int numCoordinates() { return columns.length; }

        /** The change of the block values for a displacement dR (Angstrom, [3 N]). */
        public double[] jvp(double[] dR) {
            if (dR.length != columns.length)
                throw new IllegalArgumentException("jvp: " + dR.length + " coordinates, the Jacobian has " + columns.length);
            double[] out = new double[columns.length == 0 ? 0 : columns[0].length];
            for (int q = 0; q < columns.length; q++) {
                double d = dR[q];
                if (d == 0) continue;
                double[] c = columns[q];
                for (int j = 0; j < out.length; j++) out[j] = Math.fma(c[j], d, out[j]);
            }
            return out;
        }

        /** sum_j gBlocks_j dT_j/dR_q for every coordinate q (per Angstrom). */
        public double[] vjp(double[] gBlocks) {
            double[] out = new double[columns.length];
            for (int q = 0; q < columns.length; q++) {
                double[] c = columns[q];
                if (c.length != gBlocks.length)
                    throw new IllegalArgumentException("vjp: " + gBlocks.length + " block values, the Jacobian has " + c.length);
                double s = 0;
                for (int j = 0; j < c.length; j++) s = Math.fma(c[j], gBlocks[j], s);
                out[q] = s;
            }
            return out;
        }
    }
}
