package org.unite4j.irreps;

import java.util.Random;

/**
 * Small 3x3 helpers for building and checking rotations (row-major double[3][3], acting on
 * column vectors: r' = R r).
 */
public final class Rotations {
    private Rotations() {}

    /** Uniformly distributed random rotation (Haar measure), from a normalized Gaussian quaternion. */
    public static double[][] random(Random rng) {
        double w, x, y, z, n;
        do {
            w = rng.nextGaussian();
            x = rng.nextGaussian();
            y = rng.nextGaussian();
            z = rng.nextGaussian();
            n = Math.sqrt(w * w + x * x + y * y + z * z);
        } while (n < 1e-6);
        return fromQuaternion(w / n, x / n, y / n, z / n);
    }

    /** Rotation of a unit quaternion (w, x, y, z). */
    public static double[][] fromQuaternion(double w, double x, double y, double z) {
        return new double[][]{
                {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }

    /** Rotation by {@code angle} radians about the axis (ax, ay, az) (right-hand rule). */
    public static double[][] axisAngle(double ax, double ay, double az, double angle) {
        double n = Math.sqrt(ax * ax + ay * ay + az * az);
        if (!(n > 0) || !Double.isFinite(n)) throw new IllegalArgumentException("rotation axis must be a finite non-zero vector");
        double s = Math.sin(angle / 2) / n;
        return fromQuaternion(Math.cos(angle / 2), ax * s, ay * s, az * s);
    }

    /** The 3x3 identity. */
    public static double[][] identity() {
        return new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    }

    /** a b. */
    public static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                c[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
        return c;
    }

    /** s a. */
    public static double[][] scale(double s, double[][] a) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) c[i][j] = s * a[i][j];
        return c;
    }

    /** a^T. */
    public static double[][] transpose(double[][] a) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) c[i][j] = a[j][i];
        return c;
    }

    /** R v. */
    public static double[] apply(double[][] r, double[] v) {
        return new double[]{
                r[0][0] * v[0] + r[0][1] * v[1] + r[0][2] * v[2],
                r[1][0] * v[0] + r[1][1] * v[1] + r[1][2] * v[2],
                r[2][0] * v[0] + r[2][1] * v[1] + r[2][2] * v[2]};
    }

    /** det a. */
    public static double det(double[][] a) {
        return a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
                - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
    }

    /**
     * Checks that q is a finite 3x3 orthogonal matrix (max |Q^T Q - I| &lt;= 1e-6) and returns its
     * determinant's sign (+1 or -1).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static int checkOrthogonal(double[][] q) {
        if (q == null || q.length != 3) throw new IllegalArgumentException("expected a 3x3 matrix, got "
                + (q == null ? "null" : q.length + " rows"));
        for (int i = 0; i < 3; i++) {
            if (q[i] == null || q[i].length != 3)
                throw new IllegalArgumentException("expected a 3x3 matrix; row " + i + " has "
                        + (q[i] == null ? "no" : q[i].length) + " entries");
            for (int j = 0; j < 3; j++)
                if (!Double.isFinite(q[i][j]))
                    throw new IllegalArgumentException("matrix entry (" + i + "," + j + ") is " + q[i][j]);
        }
        double err = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = q[0][i] * q[0][j] + q[1][i] * q[1][j] + q[2][i] * q[2][j];
                err = Math.max(err, Math.abs(s - (i == j ? 1 : 0)));
            }
        if (err > 1e-6)
            throw new IllegalArgumentException("matrix is not orthogonal: max |Q^T Q - I| = " + err);
        return det(q) > 0 ? 1 : -1;
    }
}
