package org.unite4j.bench;

import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Generated alkanes and water clusters have the intended bonds, angles and no overlapping atoms. */
class GeometriesTest {
    static final double BOND = 1.6; // longest bond here is C-C 1.54 A; shortest non-bonded pair is geminal H-H 1.78 A

    static List<Integer> bonded(Molecule m, int i) {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < m.size(); j++) if (j != i && Geometries.distance(m, i, j) < BOND) out.add(j);
        return out;
    }

    static double angleDeg(Molecule m, int a, int center, int b) {
        double dot = 0;
        for (int k = 0; k < 3; k++) dot += (m.x(a, k) - m.x(center, k)) * (m.x(b, k) - m.x(center, k));
        return Math.toDegrees(Math.acos(dot / (Geometries.distance(m, a, center) * Geometries.distance(m, b, center))));
    }

    @Test
    void alkanesHaveTetrahedralCarbonsAndStandardBonds() {
        double tet = Math.toDegrees(Geometries.TETRAHEDRAL);
        for (int n = 1; n <= 24; n++) {
            Molecule m = Geometries.alkane(n);
            assertEquals("C" + (n > 1 ? n : "") + "H" + (2 * n + 2), m.formula());
            assertEquals(3 * n + 2, m.size());
            int cc = 0;
            for (int i = 0; i < m.size(); i++) {
                List<Integer> nb = bonded(m, i);
                if (m.atomicNumber(i) == 6) {
                    assertEquals(4, nb.size(), "C" + i + " of C" + n + " has " + nb.size() + " bonds");
                    for (int j : nb) {
                        double d = Geometries.distance(m, i, j);
                        assertEquals(m.atomicNumber(j) == 6 ? 1.54 : 1.09, d, 1e-9, "bond " + i + "-" + j);
                        if (m.atomicNumber(j) == 6) cc++;
                    }
                    for (int a = 0; a < nb.size(); a++)
                        for (int b = 0; b < a; b++) assertEquals(tet, angleDeg(m, nb.get(a), i, nb.get(b)), 1e-6);
                } else {
                    assertEquals(1, nb.size(), "H" + i + " of C" + n);
                    assertEquals(6, m.atomicNumber(nb.getFirst()));
                }
            }
            assertEquals(2 * (n - 1), cc, "C-C bonds counted from both ends");
            assertTrue(Geometries.minDistance(m) > 1.08, "overlap in C" + n);
        }
    }

    @Test
    void alkaneChainGrowsByOneCarbonSpacing() {
        Molecule a = Geometries.alkane(40);
        assertEquals(39 * 1.54 * Math.sin(Geometries.TETRAHEDRAL / 2), a.x(39, 0) - a.x(0, 0), 1e-9, "all-trans chain length along x");
        assertEquals(38 * 1.54 * Math.sin(Geometries.TETRAHEDRAL / 2), Geometries.distance(a, 0, 38), 1e-9, "carbons 0 and 38 in line");
    }

    @Test
    void waterClustersAreIntactMoleculesWithoutClashes() {
        for (int n : new int[]{1, 2, 5, 27, 64, 200}) {
            Molecule m = Geometries.waterCluster(n, 42);
            assertEquals(3 * n, m.size());
            assertEquals(n == 1 ? "H2O" : "H" + 2 * n + "O" + n, m.formula());
            double inter = Double.POSITIVE_INFINITY;
            for (int w = 0; w < n; w++) {
                int o = 3 * w;
                assertEquals(8, m.atomicNumber(o));
                assertEquals(Geometries.OH, Geometries.distance(m, o, o + 1), 1e-9);
                assertEquals(Geometries.OH, Geometries.distance(m, o, o + 2), 1e-9);
                assertEquals(Geometries.HOH_DEG, angleDeg(m, o + 1, o, o + 2), 1e-9);
                for (int j = 0; j < o; j++)
                    for (int k = 0; k < 3; k++) inter = Math.min(inter, Geometries.distance(m, o + k, j));
            }
            if (n > 1) assertTrue(inter > 1.5, "(H2O)" + n + ": atoms of different waters " + inter + " A apart");
            // compact: every oxygen within the radius of a sphere holding n grid cells, plus one cell
            double radius = Math.cbrt(3.0 * n / (4 * Math.PI)) * Geometries.WATER_GRID + 2 * Geometries.WATER_GRID;
            for (int w = 0; w < n; w++)
                assertTrue(Math.sqrt(m.x(3 * w, 0) * m.x(3 * w, 0) + m.x(3 * w, 1) * m.x(3 * w, 1) + m.x(3 * w, 2) * m.x(3 * w, 2)) < radius);
        }
    }

    @Test
    void waterClustersAreDeterministicPerSeed() {
        assertEquals(Geometries.waterCluster(30, 7), Geometries.waterCluster(30, 7));
        assertNotEquals(Geometries.waterCluster(30, 7), Geometries.waterCluster(30, 8));
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Geometries.alkane(0));
        assertThrows(IllegalArgumentException.class, () -> Geometries.waterCluster(0, 1));
    }
}
