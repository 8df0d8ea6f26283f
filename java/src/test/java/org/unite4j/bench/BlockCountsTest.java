package org.unite4j.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backends;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.tensor.IrrepDecomposition;
import org.unite4j.tensor.NBodyTensor;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Under the cutoff the non-zero blocks grow linearly with the atoms (once the input is larger than
 * the cutoff range); with the cutoff disabled they are all atoms^2 pairs.
 */
class BlockCountsTest {

    @Test
    void syntheticBlocksGrowLinearlyWithCutoffAndQuadraticallyWithout() {
        int[] waters = {256, 512, 1024, 2048};
        double[] atoms = new double[waters.length], nnz = new double[waters.length];
        for (int i = 0; i < waters.length; i++) {
            Workload w = ScalingInputs.synthetic(waters[i], false, 3);
            atoms[i] = w.atoms();
            nnz[i] = w.nnz();
            // every pair within the cutoff, and only those
            Molecule g = Geometries.waterCluster(waters[i], 3);
            int a = w.atoms() / 2;
            int near = 0;
            for (int b = 0; b < w.atoms(); b++) if (Geometries.distance(g, a, b) <= ScalingInputs.SYNTHETIC_CUTOFF) near++;
            assertEquals(near, w.graph().rowPtr()[a + 1] - w.graph().rowPtr()[a], "neighbours of atom " + a);
        }
        LogLogFit f = LogLogFit.fit(atoms, nnz);
        // a compact cluster's surface atoms have fewer neighbours, so the exponent approaches 1 from above
        assertTrue(f.exponent() > 0.97 && f.exponent() < 1.12, "nnz ~ atoms^" + f.exponent());
        assertTrue(nnz[nnz.length - 1] < 0.02 * atoms[atoms.length - 1] * atoms[atoms.length - 1]);

        double[] da = new double[3], dn = new double[3];
        for (int i = 0; i < 3; i++) {
            Workload w = ScalingInputs.synthetic(8 << i, true, 3);
            da[i] = w.atoms();
            dn[i] = w.nnz();
            assertEquals((long) w.atoms() * w.atoms(), w.nnz(), "dense: every pair");
        }
        assertEquals(2.0, LogLogFit.fit(da, dn).exponent(), 1e-12);
    }

    @Test
    void syntheticBlocksHaveTheBasisShapesAndDecayingNorms() {
        Workload w = ScalingInputs.synthetic(20, false, 5);
        NBodyTensor t = w.tensors().getFirst();
        Molecule g = Geometries.waterCluster(20, 5);
        for (int b = 0; b < t.numBlocks(); b++) {
            int a = t.atom(b, 0), c = t.atom(b, 1);
            assertEquals(w.basis().numAo(a) * w.basis().numAo(c), t.block(b).length);
            double r = Geometries.distance(g, a, c);
            assertEquals(Math.exp(-NBodyTensor.DEFAULT_TAU / ScalingInputs.SYNTHETIC_CUTOFF * r), t.norm(b), 1e-12);
            assertTrue(NBodyTensor.keep(t.norm(b) * 1.0000001, NBodyTensor.DEFAULT_TAU), "block within the cutoff passes the norm cutoff");
        }
        assertEquals(XtbBasisSet.basis(g, XtbMethod.GFN1), w.basis());
    }

    @Test
    void xtbAlkaneBlocksGrowLinearlyUnderTheCutoffAndQuadraticallyWithout() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        int[] carbons = {16, 32, 48};
        long[] nnz = new long[3];
        double[] atoms = new double[3], sparse = new double[3], dense = new double[3];
        for (int i = 0; i < 3; i++) {
            XtbFeatures f = ScalingInputs.featurize(Geometries.alkane(carbons[i]), null);
            Workload w = ScalingInputs.xtb("alkane", f, false), d = ScalingInputs.xtb("alkane-dense", f, true);
            nnz[i] = w.nnz();
            atoms[i] = w.atoms();
            sparse[i] = w.nnz();
            dense[i] = d.nnz();
            assertEquals((long) w.atoms() * w.atoms(), d.nnz(), "cutoff disabled: every pair is non-zero");
            assertTrue(w.nnz() < d.nnz());
            assertEquals(4, w.tensors().size());
        }
        // constant increments: each added CH2 unit adds the same number of blocks
        long d1 = nnz[1] - nnz[0], d2 = nnz[2] - nnz[1];
        assertEquals(1.0, (double) d2 / d1, 0.02, "increments " + d1 + ", " + d2);
        // without the cutoff the increments themselves grow (quadratic)
        assertTrue((dense[2] - dense[1]) / (dense[1] - dense[0]) > 1.5);
        assertEquals(2.0, LogLogFit.fit(atoms, dense).exponent(), 1e-12);
    }

    @Test
    void decomposeOpWritesTheDecompositionOfEveryKeptBlock() {
        Molecule g = Geometries.waterCluster(6, 1);
        var basis = XtbBasisSet.basis(g, XtbMethod.GFN1);
        Workload w = Workload.of("t", "t", List.of(SyntheticTensors.build(g, basis, 5.0, 2.4, 1),
                SyntheticTensors.build(g, basis, 5.0, 2.4, 2)));
        ScalingOps ops = new ScalingOps(w, Backends.cpu(), 2, 1);
        ops.decompose();
        IrrepDecomposition dec = new IrrepDecomposition(XtbBasisSet.slots(XtbMethod.GFN1), 2);
        double[] got = ops.decomposed();
        int off = 0;
        for (NBodyTensor t : w.tensors())
            for (double[] row : dec.decomposeAll(t)) {
                for (int k = 0; k < row.length; k++) assertEquals(row[k], got[off + k], 0.0);
                off += row.length;
            }
        assertEquals(got.length, off);
        // two tensors over the same pairs: the union graph has each pair once
        assertEquals(w.tensors().getFirst().numBlocks(), w.nnz());
        assertEquals(2L * w.nnz(), w.blocks());
    }

    @Test
    void graphFromTensorsEqualsGraphFromFeaturesAndSyntheticGraphHasTheWorkloadsPairs() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), "libxtb not available");
        XtbFeatures f = ScalingInputs.featurize(Geometries.alkane(16), null);
        java.util.List<NBodyTensor> ops = new java.util.ArrayList<>();
        for (String op : XtbFeatures.OPERATORS) ops.add(f.tensor(op, NBodyTensor.DEFAULT_TAU));
        org.unite4j.data.MolecularGraph a = org.unite4j.data.MolecularGraph.of(f, NBodyTensor.DEFAULT_TAU);
        org.unite4j.data.MolecularGraph b = org.unite4j.data.MolecularGraph.ofTensors(f.molecule(), XtbMethod.GFN1,
                NBodyTensor.DEFAULT_TAU, ops);
        assertEquals(a.numPairs(), b.numPairs());
        assertTrue(a.numPairs() < a.numAtoms() * a.numAtoms(), "C16H34 under the cutoff must drop some pairs");
        for (int at = 0; at <= a.numAtoms(); at++) {
            if (at < a.numAtoms()) assertEquals(a.rowEnd(at), b.rowEnd(at), "row end of atom " + at);
        }
        for (int p = 0; p < a.numPairs(); p++) {
            assertEquals(a.partner(p), b.partner(p), "partner of pair " + p);
            for (int o = 0; o < XtbFeatures.OPERATORS.size(); o++)
                assertArrayEquals(a.block(p, o), b.block(p, o), 0.0, "pair " + p + " operator " + o);
        }

        // tensors on another method's basis are refused, not read with the wrong block sizes
        var e = assertThrows(IllegalArgumentException.class, () -> org.unite4j.data.MolecularGraph.ofTensors(f.molecule(),
                XtbMethod.GFN2, NBodyTensor.DEFAULT_TAU, ops));
        assertTrue(e.getMessage().contains("AOs on atom"), e.getMessage());

        Workload w = ScalingInputs.synthetic(30, false, 4);
        org.unite4j.data.MolecularGraph g = ScalingInputs.syntheticGraph(30, false, 4);
        assertEquals(w.nnz(), g.numPairs(), "the model's synthetic input has the workload's blocks");
        assertEquals(w.atoms(), g.numAtoms());
    }
}
