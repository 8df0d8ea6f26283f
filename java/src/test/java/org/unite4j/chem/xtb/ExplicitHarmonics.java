package org.unite4j.chem.xtb;

/**
 * Wigner matrices for l = 0, 1, 2 written out from the explicit real solid harmonics of the
 * project's convention, independent of org.unite4j.irreps: l = 1 is (y, z, x);
 * l = 2 is (sqrt3 xy, sqrt3 yz, (3z^2-r^2)/2, sqrt3 xz, sqrt3/2 (x^2-y^2)). For any orthogonal Q
 * (inversion included) Y_l(Q r) = D^l(Q) Y_l(r).
 */
final class ExplicitHarmonics {
    private ExplicitHarmonics() {
    }

    private static final double H = Math.sqrt(3) / 2;
    /** Y_2,i(r) = r^T M[i] r; the M[i] are Frobenius-orthogonal with |M|^2 = 3/2. */
    private static final double[][][] M = {
            {{0, H, 0}, {H, 0, 0}, {0, 0, 0}},
            {{0, 0, 0}, {0, 0, H}, {0, H, 0}},
            {{-0.5, 0, 0}, {0, -0.5, 0}, {0, 0, 1}},
            {{0, 0, H}, {0, 0, 0}, {H, 0, 0}},
            {{H, 0, 0}, {0, -H, 0}, {0, 0, 0}}};
    private static final int[] P1 = {1, 2, 0};

    static double[][] d(int l, double[][] q) {
        return switch (l) {
            case 0 -> new double[][]{{1}};
            case 1 -> {
                double[][] d = new double[3][3];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) d[i][j] = q[P1[i]][P1[j]];
                yield d;
            }
            case 2 -> {
                double[][] d = new double[5][5];
                for (int i = 0; i < 5; i++) {
                    double[][] t = new double[3][3]; // Q^T M_i Q
                    for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) {
                        double s = 0;
                        for (int c = 0; c < 3; c++) for (int e = 0; e < 3; e++) s += q[c][a] * M[i][c][e] * q[e][b];
                        t[a][b] = s;
                    }
                    for (int j = 0; j < 5; j++) {
                        double s = 0;
                        for (int a = 0; a < 3; a++) for (int b = 0; b < 3; b++) s += M[j][a][b] * t[a][b];
                        d[i][j] = s / 1.5;
                    }
                }
                yield d;
            }
            default -> throw new IllegalArgumentException("explicit harmonics only for l <= 2");
        };
    }
}
