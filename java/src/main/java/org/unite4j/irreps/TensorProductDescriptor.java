package org.unite4j.irreps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The math of a channel-wise Clebsch-Gordan tensor product (e3nn's "uuu": every operand and the
 * output have the same channel count and channel c couples only with channel c), independent of
 * how it runs: the one statement of a tensor product that every backend compiles
 * ({@code Backend.compile}).
 * Edge, node and output irreps each list distinct irreps, every block with the same
 * multiplicity C (the channel count): e.g. edge "16x0e+16x1o+16x2e", node "16x0e+16x1o",
 * out "16x0e+16x1o+16x2e". A path p = (iEdge, iNode, iOut) couples edge block iEdge and node
 * block iNode into output block iOut with the real CG table of (l_e, l_h, l_out); it requires
 * |l_e - l_h| &lt;= l_out &lt;= l_e + l_h and parity_out = parity_e * parity_h. Paths are kept in
 * lexicographic order of (iOut, iEdge, iNode), so the paths of one output block are contiguous
 * (except in a {@link #transposed()} descriptor, which keeps the order of the one it came from)
 * ({@link #outPathStart(int)}).
 *
 * <p>For one (edge, node) pair in the "ir_mul" layout (index C*(off_i + m) + c, off_i without C):
 * <pre>
 *   out[o, M, c] += sum_{p: iOut(p) = o} w[p, c] sum_{(m1, m2, M) in cg(p)} cg.value * e[iEdge(p), m1, c] * h[iNode(p), m2, c]
 * </pre>
 * ({@link #forwardOne} is this formula in plain Java, a reference for kernels.)
 *
 * <p>The product is trilinear in (w, e, h), so its derivatives are products of the same kind with
 * the operands permuted: the gradient to h, gradH[b] = sum over the edges k sent by b of the
 * product of w[k], e[k] and gradOut[receiver k], is the descriptor {@link #transposed()} (node and
 * output exchanged) run over the transposed graph.
 */
public final class TensorProductDescriptor {

    /** One coupling path: edge block, node block, output block and its CG table. */
    public record Path(int iEdge, int iNode, int iOut, CGTable cg) {}

    private final Irreps edge, node, out;
    private final int channels;
    private final List<Path> paths;
    private final int[] outPathStart; // length out.size()+1
    private final int[] edgeOff, nodeOff, outOff;

    private final boolean canonical;

    private TensorProductDescriptor(Irreps edge, Irreps node, Irreps out, int channels, List<Path> paths) {
        this(edge, node, out, channels, paths, true);
    }

    private TensorProductDescriptor(Irreps edge, Irreps node, Irreps out, int channels, List<Path> paths, boolean canonical) {
        this.canonical = canonical;
        this.edge = edge;
        this.node = node;
        this.out = out;
        this.channels = channels;
        this.paths = Collections.unmodifiableList(paths);
        edgeOff = offsets(edge);
        nodeOff = offsets(node);
        outOff = offsets(out);
        outPathStart = new int[out.size() + 1];
        if (canonical) {
            int p = 0;
            for (int o = 0; o < out.size(); o++) {
                outPathStart[o] = p;
                while (p < paths.size() && paths.get(p).iOut() == o) p++;
            }
            outPathStart[out.size()] = paths.size();
        }
    }

    /**
     * The product with the node and output operands exchanged: edge irreps unchanged, node irreps
     * = this output's, output irreps = this node's; path p couples (iEdge, iOut) into iNode through
     * the CG table with its second and third index exchanged, C'[m1, M, m2] = C[m1, m2, M]
     * (the transpose, not the normalized CG of (l1, l_out -> l_node)). It is the derivative with
     * respect to the node operand: gradH = transposed() applied to (e, gradOut; w) over the
     * transposed graph. Paths and CG entries keep this descriptor's order, so that a kernel sums
     * the gradient in the order of the forward's terms; {@link #outPathStart} is therefore not
     * defined on the result. {@code transposed().transposed()} equals this descriptor.
     */
    public TensorProductDescriptor transposed() {
        List<Path> ps = new ArrayList<>(paths.size());
        for (Path p : paths) {
            CGTable t = p.cg();
            ps.add(new Path(p.iEdge(), p.iOut(), p.iNode(), new CGTable(t.l1, t.l3, t.l2, t.i1, t.i3, t.i2, t.value)));
        }
        boolean back = !canonical && isCanonicalOrder(ps);
        return new TensorProductDescriptor(edge, out, node, channels, ps, back);
    }

    private static boolean isCanonicalOrder(List<Path> ps) {
        for (int p = 1; p < ps.size(); p++) {
            Path a = ps.get(p - 1), b = ps.get(p);
            int cmp = a.iOut() != b.iOut() ? Integer.compare(a.iOut(), b.iOut())
                    : a.iEdge() != b.iEdge() ? Integer.compare(a.iEdge(), b.iEdge()) : Integer.compare(a.iNode(), b.iNode());
            if (cmp >= 0) return false;
        }
        return true;
    }

    private static int[] offsets(Irreps irreps) {
        int[] off = new int[irreps.size() + 1];
        for (int i = 0; i < irreps.size(); i++) off[i + 1] = off[i] + irreps.get(i).ir().dim();
        return off;
    }

    /** Every allowed path (selection and parity rule), in (iOut, iEdge, iNode) order. */
    public static TensorProductDescriptor allPaths(Irreps edge, Irreps node, Irreps out) {
        int c = validate(edge, node, out);
        List<Path> ps = new ArrayList<>();
        for (int o = 0; o < out.size(); o++)
            for (int i = 0; i < edge.size(); i++)
                for (int j = 0; j < node.size(); j++) {
                    Irrep a = edge.get(i).ir(), b = node.get(j).ir(), r = out.get(o).ir();
                    if (Irrep.allowed(a, b, r)) ps.add(new Path(i, j, o, ClebschGordan.sparse(a.l(), b.l(), r.l())));
                }
        return new TensorProductDescriptor(edge, node, out, c, ps);
    }

    /** {@link #allPaths} from irreps strings. */
    public static TensorProductDescriptor allPaths(String edge, String node, String out) {
        return allPaths(Irreps.parse(edge), Irreps.parse(node), Irreps.parse(out));
    }

    /**
     * A chosen subset of paths, each {@code {iEdge, iNode, iOut}}; they are sorted into
     * (iOut, iEdge, iNode) order. Each must obey the selection rule and appear once.
     */
    public static TensorProductDescriptor of(Irreps edge, Irreps node, Irreps out, List<int[]> chosen) {
        int c = validate(edge, node, out);
        List<int[]> sorted = new ArrayList<>(chosen);
        for (int[] t : sorted)
            if (t == null || t.length != 3)
                throw new IllegalArgumentException("a path is {iEdge, iNode, iOut}, got " + Arrays.toString(t));
        sorted.sort(Comparator.<int[]>comparingInt(t -> t[2]).thenComparingInt(t -> t[0]).thenComparingInt(t -> t[1]));
        List<Path> ps = new ArrayList<>();
        int[] prev = null;
        for (int[] t : sorted) {
            if (t[0] < 0 || t[0] >= edge.size() || t[1] < 0 || t[1] >= node.size() || t[2] < 0 || t[2] >= out.size())
                throw new IllegalArgumentException("path " + Arrays.toString(t) + " refers to a block that does not exist (edge "
                        + edge + ", node " + node + ", out " + out + ")");
            if (prev != null && Arrays.equals(prev, t))
                throw new IllegalArgumentException("path " + Arrays.toString(t) + " is listed twice");
            Irrep a = edge.get(t[0]).ir(), b = node.get(t[1]).ir(), r = out.get(t[2]).ir();
            if (!Irrep.allowed(a, b, r))
                throw new IllegalArgumentException("path " + Arrays.toString(t) + ": " + a + " x " + b + " -> " + r
                        + " violates the selection rule (|l1-l2| <= l <= l1+l2, parity p1*p2)");
            ps.add(new Path(t[0], t[1], t[2], ClebschGordan.sparse(a.l(), b.l(), r.l())));
            prev = t;
        }
        return new TensorProductDescriptor(edge, node, out, c, ps);
    }

    private static int validate(Irreps edge, Irreps node, Irreps out) {
        if (edge == null || node == null || out == null) throw new IllegalArgumentException("irreps must not be null");
        String[] names = {"edge", "node", "out"};
        Irreps[] all = {edge, node, out};
        int c = -1;
        String first = null;
        for (int k = 0; k < 3; k++) {
            Irreps ir = all[k];
            if (ir.size() == 0) throw new IllegalArgumentException("tensor product: " + names[k] + " irreps are empty");
            for (int i = 0; i < ir.size(); i++) {
                int mul = ir.get(i).mul();
                if (c < 0) {
                    c = mul;
                    first = names[k] + " block " + i + " (" + ir.get(i) + ")";
                } else if (mul != c)
                    throw new IllegalArgumentException("tensor product: every block needs the same multiplicity (channel count); "
                            + first + " has " + c + " but " + names[k] + " block " + i + " (" + ir.get(i) + ") has " + mul
                            + " (edge " + edge + ", node " + node + ", out " + out + ")");
                for (int j = 0; j < i; j++)
                    if (ir.get(j).ir().equals(ir.get(i).ir()))
                        throw new IllegalArgumentException("tensor product: " + names[k] + " irreps " + ir + " list " + ir.get(i).ir()
                                + " twice (blocks " + j + " and " + i + "); list each irrep once");
            }
        }
        return c;
    }

    /** The channel count C (multiplicity of every block). */
    public int channels() { return channels; }

    public int numPaths() { return paths.size(); }

    public Path path(int p) { return paths.get(p); }

    /** All paths, unmodifiable, in (iOut, iEdge, iNode) order (a {@link #transposed()} descriptor keeps its source's order). */
    public List<Path> paths() { return paths; }

    /**
     * Paths of output block o are {@code outPathStart(o) .. outPathStart(o+1)-1}.
     *
     * @throws IllegalStateException on a {@link #transposed()} descriptor, whose paths keep the
     *         forward's order and so are not grouped by output block
     */
    public int outPathStart(int o) {
        if (!canonical) throw new IllegalStateException("outPathStart: the paths of a transposed descriptor are not grouped by output block");
        return outPathStart[o];
    }

    public Irreps edgeIrreps() { return edge; }

    public Irreps nodeIrreps() { return node; }

    public Irreps outIrreps() { return out; }

    /** sum over edge blocks of (2l+1), without C. */
    public int edgeDim() { return edgeOff[edge.size()]; }

    public int nodeDim() { return nodeOff[node.size()]; }

    public int outDim() { return outOff[out.size()]; }

    /** Start of edge block i in units of C: sum_{j<i} (2 l_j + 1). */
    public int edgeOffset(int i) { return edgeOff[i]; }

    public int nodeOffset(int i) { return nodeOff[i]; }

    public int outOffset(int i) { return outOff[i]; }

    /** C * edgeDim(): the values of one edge's feature row. */
    public int edgeWidth() { return channels * edgeDim(); }

    /** C * nodeDim(). */
    public int nodeWidth() { return channels * nodeDim(); }

    /** C * outDim(). */
    public int outWidth() { return channels * outDim(); }

    /** numPaths * C: the values of one edge's weight row. */
    public int weightWidth() { return channels * paths.size(); }

    /** Total CG non-zeros over all paths (multiply-adds per channel per edge, about). */
    public int totalNnz() {
        int n = 0;
        for (Path p : paths) n += p.cg().nnz();
        return n;
    }

    /**
     * Reference for one (edge, node) pair: ADDS to {@code out} (length outDim*C) the formula in the
     * class comment, given e (edgeDim*C), h (nodeDim*C), w (numPaths*C), all in ir_mul layout.
     */
    public void forwardOne(double[] e, double[] h, double[] w, double[] out) {
        int cc = channels;
        if (e.length != edgeDim() * cc || h.length != nodeDim() * cc || w.length != numPaths() * cc || out.length != outDim() * cc)
            throw new IllegalArgumentException("forwardOne: lengths e " + e.length + ", h " + h.length + ", w " + w.length
                    + ", out " + out.length + " but expected " + edgeDim() * cc + ", " + nodeDim() * cc + ", "
                    + numPaths() * cc + ", " + outDim() * cc);
        for (int p = 0; p < paths.size(); p++) {
            Path path = paths.get(p);
            CGTable cg = path.cg();
            int eo = edgeOff[path.iEdge()], ho = nodeOff[path.iNode()], oo = outOff[path.iOut()];
            for (int j = 0; j < cg.nnz(); j++) {
                double v = cg.value[j];
                int ie = cc * (eo + cg.i1[j]), ih = cc * (ho + cg.i2[j]), io = cc * (oo + cg.i3[j]);
                for (int c = 0; c < cc; c++) out[io + c] += w[p * cc + c] * v * e[ie + c] * h[ih + c];
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorProductDescriptor d)) return false;
        if (canonical != d.canonical || !edge.equals(d.edge) || !node.equals(d.node) || !out.equals(d.out)
                || paths.size() != d.paths.size()) return false;
        for (int p = 0; p < paths.size(); p++) {
            Path a = paths.get(p), b = d.paths.get(p);
            if (a.iEdge() != b.iEdge() || a.iNode() != b.iNode() || a.iOut() != b.iOut()) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = edge.hashCode() * 31 * 31 + node.hashCode() * 31 + out.hashCode();
        for (Path p : paths) h = h * 31 + (p.iEdge() * 1009 + p.iNode()) * 1009 + p.iOut();
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder((canonical ? "" : "transposed ") + "TensorProduct(edge " + edge + ", node " + node + " -> out " + out + "; "
                + paths.size() + " paths:");
        for (Path p : paths)
            sb.append(' ').append(edge.get(p.iEdge()).ir()).append('x').append(node.get(p.iNode()).ir())
                    .append("->").append(out.get(p.iOut()).ir());
        return sb.append(')').toString();
    }
}
