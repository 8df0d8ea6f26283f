package org.unite4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.model.TestMolecules;

/** The on-disk Jacobian cache: the same Jacobian back bit for bit, damaged files recomputed. */
class JacobianCacheTest {
    @Test
    void roundTripsAndRecomputesDamagedEntries(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        MolecularGraph g = MolecularGraph.of(new XtbFeaturizer(XtbMethod.GFN1).featurize(TestMolecules.water()), 12.0);
        FeatureCache fc = new FeatureCache(null, XtbMethod.GFN1, 1.0, 12.0);
        JacobianCache jc = new JacobianCache(dir, fc, new NumericalFeatureJacobian());
        FeatureJacobian.Jacobian first = jc.jacobians(List.of(g), null, null).get(0);
        assertEquals(0, jc.hits());
        assertTrue(first.isFloat32());
        FeatureJacobian.Jacobian again = jc.jacobians(List.of(g), null, null).get(0);
        assertEquals(1, jc.hits());
        for (int q = 0; q < first.numCoordinates(); q++) assertArrayEquals(first.column(q), again.column(q), 0.0);
        assertArrayEquals(first.referenceGradient(), again.referenceGradient(), 0.0);
        // float32 columns are within 1e-7 of the float64 Jacobian
        FeatureJacobian.Jacobian exact = new NumericalFeatureJacobian().of(g);
        double worst = 0, max = 0;
        for (int q = 0; q < exact.numCoordinates(); q++) {
            double[] a = exact.column(q), b = first.column(q);
            for (int j = 0; j < a.length; j++) {
                worst = Math.max(worst, Math.abs(a[j] - b[j]));
                max = Math.max(max, Math.abs(a[j]));
            }
        }
        assertTrue(worst <= 1e-7 * max, "float32 rounding " + worst / max);
        // a truncated file is reported and recomputed
        List<Path> files = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".u4jj")).forEach(files::add);
        }
        assertEquals(1, files.size());
        byte[] bytes = Files.readAllBytes(files.get(0));
        Files.write(files.get(0), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        List<String> warnings = new ArrayList<>();
        FeatureJacobian.Jacobian fixed = jc.jacobians(List.of(g), null, warnings::add).get(0);
        assertEquals(0, jc.hits());
        assertTrue(warnings.size() == 1 && warnings.get(0).contains("truncated"), warnings.toString());
        for (int q = 0; q < first.numCoordinates(); q++) assertArrayEquals(first.column(q), fixed.column(q), 0.0);
        assertThrows(java.io.IOException.class, () -> JacobianCache.read(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, "x", g));
    }
}
