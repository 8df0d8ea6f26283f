package org.unite4j.nn.selftest;

import java.util.Random;

/** Random proper rotations (uniform, from a random unit quaternion) and small matrix helpers. */
public final class Rotations {
    private Rotations() {
    }

    /** A uniformly random rotation matrix (det +1). */
    public static double[][] random(Random r) {
        double w = r.nextGaussian(), x = r.nextGaussian(), y = r.nextGaussian(), z = r.nextGaussian();
        double n = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= n;
        x /= n;
        y /= n;
        z /= n;
        return new double[][]{
                {1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
                {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
                {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
    }

    /** s Q (s = -1 turns a rotation into a rotation-inversion). */
    public static double[][] times(double[][] q, double s) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                o[i][j] = s * q[i][j];
            }
        }
        return o;
    }
}
