package org.unite4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.irreps.Irreps;
import org.unite4j.model.TestMolecules;
import org.unite4j.tensor.IrrepDecomposition;
import org.unite4j.tensor.NBodyTensor;

class GraphBatchTest {
    @TempDir
    Path tmp;

    /** A linear chain of n H2 molecules 4 Angstrom apart: far pairs fall below the cutoff. */
    static Molecule h2Chain(int n) {
        int[] z = new int[2 * n];
        double[] x = new double[6 * n];
        for (int i = 0; i < n; i++) {
            z[2 * i] = z[2 * i + 1] = 1;
            x[6 * i + 2] = 4.0 * i;
            x[6 * i + 5] = 4.0 * i + 0.74;
        }
        return new Molecule(z, x);
    }

    @Test
    void keptPairsFollowTheCutoffAndDecomposeIntoTheMergedLayout() {
        XtbFeatures f = new XtbFeaturizer(XtbMethod.GFN1).featurize(h2Chain(6));
        double tau = 5.0;
        MolecularGraph g = MolecularGraph.of(f, tau);
        int n = 12, expected = 0;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++) {
                boolean keep = a == b;
                for (String op : MolecularGraph.OPERATORS) keep |= f.tensor(op, tau).find(a, b) >= 0;
                if (keep) expected++;
            }
        assertEquals(expected, g.numPairs());
        assertTrue(g.numPairs() < n * n / 2, "the cutoff should drop most pairs of a long chain, kept " + g.numPairs());
        GraphBatch b = GraphBatch.of(List.of(g, g), XtbMethod.GFN1);
        assertEquals(2 * g.numEdges(), b.numEdges);
        assertEquals(24, b.numAtoms);
        // second copy: senders shifted by 12, same edge features
        for (int k = 0; k < g.numEdges(); k++) {
            assertEquals(b.sender[k] + 12, b.sender[k + g.numEdges()]);
            for (int q = 0; q < b.featureDim; q++)
                assertEquals(b.edgeFeatures[k * b.featureDim + q], b.edgeFeatures[(k + g.numEdges()) * b.featureDim + q]);
        }
        // merged layout: operator o, channel u, component M of block i at offset(i) + M * 4 mul_i + o * mul_i + u
        IrrepDecomposition dec = GraphBatch.decomposition(XtbMethod.GFN1);
        Irreps per = dec.irreps(), merged = GraphBatch.featureIrreps(XtbMethod.GFN1);
        int a = 3, o = 1; // density matrix of atom 3's diagonal block
        double[] t = dec.decompose(f.tensor("P", tau), f.tensor("P", tau).find(a, a));
        for (int i = 0; i < per.size(); i++) {
            int mul = per.get(i).mul();
            for (int mm = 0; mm < per.get(i).ir().dim(); mm++)
                for (int u = 0; u < mul; u++)
                    assertEquals(t[per.offset(i) + mm * mul + u], b.nodeFeatures[a * b.featureDim + merged.offset(i) + mm * 4 * mul + o * mul + u]);
        }
        assertEquals(4 * dec.dim(), merged.dim());
        // every kept pair (nodes and edges, CSR order), every operator: the one-walk merged
        // decomposition equals the operators' plain ir_mul decompositions interleaved
        double[] one = new double[dec.dim()];
        int edge = 0;
        for (int ra = 0; ra < g.numAtoms(); ra++)
            for (int p = g.rowStart(ra); p < g.rowEnd(ra); p++) {
                int rb = g.partner(p);
                int row = ra == rb ? ra * b.featureDim : edge++ * b.featureDim;
                double[] feats = ra == rb ? b.nodeFeatures : b.edgeFeatures;
                for (int op = 0; op < 4; op++) {
                    dec.decompose(g.basis(), new int[]{ra, rb}, g.block(p, op), one, 0);
                    for (int i = 0; i < per.size(); i++) {
                        int mul = per.get(i).mul();
                        for (int mm = 0; mm < per.get(i).ir().dim(); mm++)
                            for (int u = 0; u < mul; u++)
                                assertEquals(one[per.offset(i) + mm * mul + u], feats[row + merged.offset(i) + mm * 4 * mul + op * mul + u], 0.0,
                                        "pair " + ra + "," + rb + " operator " + op + " block " + i);
                    }
                }
            }
        assertEquals(g.numEdges(), edge);
    }

    @Test
    void bytesRoundTripAndCacheHits() throws Exception {
        List<Molecule> ms = List.of(TestMolecules.water(), TestMolecules.methanol());
        FeatureCache c = new FeatureCache(tmp, XtbMethod.GFN1, 1.0, NBodyTensor.DEFAULT_TAU);
        List<FeatureCache.Outcome> first = c.featurize(ms, 1, null, null);
        assertEquals(0, c.hits());
        MolecularGraph g = first.get(1).graph();
        MolecularGraph back = MolecularGraph.fromBytes(g.toBytes(), "mem");
        assertArrayEquals(g.toBytes(), back.toBytes());
        List<String> warnings = new ArrayList<>();
        List<FeatureCache.Outcome> second = c.featurize(ms, 1, null, warnings::add);
        assertEquals(2, c.hits());
        assertArrayEquals(g.toBytes(), second.get(1).graph().toBytes());
        // a damaged entry is recomputed with a warning
        Path entry;
        try (var s = Files.walk(tmp)) {
            entry = s.filter(p -> p.toString().endsWith(".u4jg")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(bytes, bytes.length - 7));
        c.featurize(ms, 1, null, warnings::add);
        assertEquals(1, c.hits());
        assertTrue(warnings.size() == 1 && warnings.get(0).contains(entry.toString()), warnings.toString());
        // a different geometry is a different key
        assertTrue(!c.key(ms.get(0)).equals(c.key(TestMolecules.distorted(ms.get(0), 1e-9, new java.util.Random(1)))));
    }
}
