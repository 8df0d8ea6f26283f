package org.unite4j.irreps;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TensorProductDescriptorTest {

    @Test
    void enumeratesAllowedPathsInOutEdgeNodeOrder() {
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("16x0e+16x1o+16x2e", "16x0e+16x1o", "16x0e+16x1o+16x2e");
        int[][] expected = { // {iEdge, iNode, iOut}
                {0, 0, 0}, {1, 1, 0},
                {0, 1, 1}, {1, 0, 1}, {2, 1, 1},
                {1, 1, 2}, {2, 0, 2}};
        assertEquals(expected.length, d.numPaths());
        for (int p = 0; p < expected.length; p++) {
            TensorProductDescriptor.Path path = d.path(p);
            assertArrayEquals(expected[p], new int[]{path.iEdge(), path.iNode(), path.iOut()}, "path " + p);
            Irrep a = d.edgeIrreps().get(path.iEdge()).ir(), b = d.nodeIrreps().get(path.iNode()).ir();
            Irrep o = d.outIrreps().get(path.iOut()).ir();
            assertSame(ClebschGordan.sparse(a.l(), b.l(), o.l()), path.cg());
        }
        assertEquals(16, d.channels());
        assertEquals(9, d.edgeDim());
        assertEquals(4, d.nodeDim());
        assertEquals(9, d.outDim());
        assertEquals(4, d.edgeOffset(2));
        assertEquals(0, d.outPathStart(0));
        assertEquals(2, d.outPathStart(1));
        assertEquals(5, d.outPathStart(2));
        assertEquals(7, d.outPathStart(3));
    }

    @Test
    void transposedIsTheAdjointInTheNodeOperand() {
        // <g, TP(e, h; w)> = <h, TP^T(e, g; w)> for one edge: the node gradient is the transposed product
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("3x0e+3x1o+3x2e", "3x0e+3x1o", "3x0e+3x1o+3x1e+3x2e+3x3o");
        TensorProductDescriptor t = d.transposed();
        assertEquals(d.edgeIrreps(), t.edgeIrreps());
        assertEquals(d.outIrreps(), t.nodeIrreps());
        assertEquals(d.nodeIrreps(), t.outIrreps());
        assertEquals(d.numPaths(), t.numPaths());
        for (int p = 0; p < d.numPaths(); p++) {
            TensorProductDescriptor.Path a = d.path(p), b = t.path(p);
            assertArrayEquals(new int[]{a.iEdge(), a.iOut(), a.iNode()}, new int[]{b.iEdge(), b.iNode(), b.iOut()}, "path " + p + " keeps its place");
            assertArrayEquals(a.cg().i2(), b.cg().i3());
            assertArrayEquals(a.cg().i3(), b.cg().i2());
        }
        Random rng = new Random(5);
        int c = d.channels();
        double[] e = randn(rng, d.edgeDim() * c), h = randn(rng, d.nodeDim() * c), w = randn(rng, d.numPaths() * c),
                g = randn(rng, d.outDim() * c);
        double[] out = new double[d.outDim() * c], back = new double[d.nodeDim() * c];
        d.forwardOne(e, h, w, out);
        t.forwardOne(e, g, w, back);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < g.length; i++) lhs += g[i] * out[i];
        for (int i = 0; i < h.length; i++) rhs += h[i] * back[i];
        assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));
        assertNotEquals(0.0, lhs);
        // an involution, and distinct from a product written in (edge, out -> node) order
        assertEquals(d, t.transposed());
        assertNotEquals(t, TensorProductDescriptor.allPaths(d.edgeIrreps(), d.outIrreps(), d.nodeIrreps()));
        assertThrows(IllegalStateException.class, () -> t.outPathStart(0));
        assertEquals(d.outPathStart(1), t.transposed().outPathStart(1));
    }

    private static double[] randn(Random r, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = r.nextGaussian();
        return a;
    }

    @Test
    void everyAllowedTripleAppearsExactlyOnce() {
        Irreps e = Irreps.parse("4x0e+4x0o+4x1o+4x1e+4x2e+4x3o"), h = Irreps.parse("4x0e+4x1o+4x2e+4x2o"),
                o = Irreps.parse("4x0e+4x1o+4x1e+4x2e+4x3o+4x4e");
        TensorProductDescriptor d = TensorProductDescriptor.allPaths(e, h, o);
        int count = 0;
        for (int k = 0; k < o.size(); k++)
            for (int i = 0; i < e.size(); i++)
                for (int j = 0; j < h.size(); j++)
                    if (Irrep.allowed(e.get(i).ir(), h.get(j).ir(), o.get(k).ir())) {
                        TensorProductDescriptor.Path p = d.path(count++);
                        assertEquals(i, p.iEdge());
                        assertEquals(j, p.iNode());
                        assertEquals(k, p.iOut());
                    }
        assertEquals(count, d.numPaths());
    }

    @Test
    void forwardOneIsO3Equivariant() {
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("3x0e+3x1o+3x2e", "3x0e+3x1o+3x2e", "3x0e+3x1o+3x1e+3x2e+3x3o");
        Random rng = new Random(77);
        int c = d.channels();
        Irreps ei = d.edgeIrreps(), hi = d.nodeIrreps(), oi = d.outIrreps();
        double[] e = gauss(rng, d.edgeDim() * c), h = gauss(rng, d.nodeDim() * c), w = gauss(rng, d.numPaths() * c);
        double[] out = new double[d.outDim() * c];
        d.forwardOne(e, h, w, out);
        double norm = 0;
        for (double v : out) norm += v * v;
        assertTrue(norm > 1e-3, "non-trivial output");
        for (double[][] q : new double[][][]{Rotations.random(rng), Rotations.scale(-1, Rotations.random(rng))}) {
            double[] re = new double[e.length], rh = new double[h.length], rout = new double[out.length];
            WignerD.rotateIrMul(ei, q, e, re);
            WignerD.rotateIrMul(hi, q, h, rh);
            WignerD.rotateIrMul(oi, q, out, rout);
            double[] out2 = new double[out.length];
            d.forwardOne(re, rh, w, out2);
            for (int i = 0; i < out.length; i++) assertEquals(rout[i], out2[i], 1e-12, "index " + i);
        }
    }

    @Test
    void channelsAreIndependent() {
        // channel c of the output depends only on channel c of e, h, w ("uuu")
        TensorProductDescriptor d = TensorProductDescriptor.allPaths("2x0e+2x1o", "2x1o", "2x0e+2x1o+2x1e");
        Random rng = new Random(5);
        double[] e = gauss(rng, d.edgeDim() * 2), h = gauss(rng, d.nodeDim() * 2), w = gauss(rng, d.numPaths() * 2);
        double[] out = new double[d.outDim() * 2];
        d.forwardOne(e, h, w, out);
        for (int i = 1; i < e.length; i += 2) e[i] = 0; // zero channel 1 of e
        double[] out2 = new double[out.length];
        d.forwardOne(e, h, w, out2);
        for (int i = 0; i < out.length; i++) {
            if (i % 2 == 0) assertEquals(out[i], out2[i]);
            else assertEquals(0.0, out2[i]);
        }
    }

    @Test
    void validationErrorsAreClear() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> TensorProductDescriptor.allPaths("16x0e+8x1o", "16x0e", "16x0e"));
        assertTrue(ex.getMessage().contains("same multiplicity") && ex.getMessage().contains("8x1o"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class,
                () -> TensorProductDescriptor.allPaths("4x0e", "4x0e", "4x0e+4x1o+4x0e"));
        assertTrue(ex.getMessage().contains("twice"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> TensorProductDescriptor.of(
                Irreps.parse("4x1o"), Irreps.parse("4x1o"), Irreps.parse("4x1o"), List.<int[]>of(new int[]{0, 0, 0})));
        assertTrue(ex.getMessage().contains("selection rule"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> TensorProductDescriptor.of(
                Irreps.parse("4x1o"), Irreps.parse("4x1o"), Irreps.parse("4x1e"), List.<int[]>of(new int[]{0, 1, 0})));
        assertTrue(ex.getMessage().contains("does not exist"), ex.getMessage());
    }

    @Test
    void chosenPathsAreSortedAndEqualToAllPathsWhenComplete() {
        Irreps e = Irreps.parse("2x0e+2x1o"), h = Irreps.parse("2x0e+2x1o"), o = Irreps.parse("2x0e+2x1o");
        TensorProductDescriptor all = TensorProductDescriptor.allPaths(e, h, o);
        List<int[]> chosen = new ArrayList<>();
        for (int p = all.numPaths() - 1; p >= 0; p--)
            chosen.add(new int[]{all.path(p).iEdge(), all.path(p).iNode(), all.path(p).iOut()});
        TensorProductDescriptor d = TensorProductDescriptor.of(e, h, o, chosen);
        assertEquals(all, d);
        assertEquals(all.hashCode(), d.hashCode());
        TensorProductDescriptor sub = TensorProductDescriptor.of(e, h, o, List.of(new int[]{1, 1, 0}));
        assertEquals(1, sub.numPaths());
        assertEquals(1, sub.outPathStart(1));
        assertEquals(1, sub.outPathStart(2));
        assertNotEquals(all, sub);
    }

    private static double[] gauss(Random rng, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.nextGaussian();
        return x;
    }
}
