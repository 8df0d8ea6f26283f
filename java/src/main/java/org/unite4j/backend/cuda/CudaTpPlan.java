package org.unite4j.backend.cuda;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.unite4j.irreps.CGTable;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;

/**
 * The paths of a channel-wise ("uuu") CG tensor product in the form the kernels read: an int32
 * array uploaded once to the device. Built from the l of each edge/node/out irrep block (every block
 * has the same channel count C) and the paths (iEdge, iNode, iOut) with a factor per path that
 * multiplies the compiled CG table (see {@link CompiledCg#scaleFor}):
 * <pre>
 *   out[a, o, M, c] = sum_{k: recv a} sum_{p: iOut(p)=o} scale_p w[k,p,c]
 *                     sum_{(m1,m2,M)} CG_p[m1,m2,M] e[k, iEdge(p), m1, c] h[sender k, iNode(p), m2, c]
 * </pre>
 * Layout (must match unite4j_kernels.cu): header [numPaths, nOut, nEdgeBlocks, nNodeBlocks,
 * offOutBlocks, offEdgeBlocks, offNodeBlocks, version]; path p at 8+8p: l1, l2, l3, offE, offH,
 * offO (m-row offsets), floatBits(scale), 0; then per block kind, records (l, off, listStart,
 * listEnd) followed by the path ids of each block in increasing p.
 */
public final class CudaTpPlan implements AutoCloseable {
    public static final int VERSION = 1;
    private final int channels;
    private final int[] edgeL, nodeL, outL, pathEdge, pathNode, pathOut;
    private final int[] edgeOff, nodeOff, outOff; // m-row offset of each block (contiguous unless built withOffsets)
    private final float[] scale;
    private final int[] layout;
    private final int edgeDim, nodeDim, outDim;
    private final Map<KernelLauncher, DeviceBuffer> devices = new WeakHashMap<>(); // per device (launcher)

    private CudaTpPlan(int channels, int[] edgeL, int[] nodeL, int[] outL, int[] pe, int[] pn, int[] po, float[] scale) {
        this(channels, dim(edgeL), dim(nodeL), dim(outL), edgeL, offsets(edgeL), nodeL, offsets(nodeL), outL, offsets(outL), pe, pn, po, scale);
    }

    private CudaTpPlan(int channels, int edgeDim, int nodeDim, int outDim, int[] edgeL, int[] edgeOff, int[] nodeL, int[] nodeOff,
                       int[] outL, int[] outOff, int[] pe, int[] pn, int[] po, float[] scale) {
        if (channels <= 0) throw new IllegalArgumentException("channel count must be positive: " + channels);
        int np = pe.length;
        if (pn.length != np || po.length != np || scale.length != np)
            throw new IllegalArgumentException("path arrays differ in length: " + pe.length + ", " + pn.length + ", " + po.length + ", " + scale.length);
        checkL("edge", edgeL); checkL("node", nodeL); checkL("out", outL);
        for (int p = 0; p < np; p++) {
            if (pe[p] < 0 || pe[p] >= edgeL.length || pn[p] < 0 || pn[p] >= nodeL.length || po[p] < 0 || po[p] >= outL.length)
                throw new IllegalArgumentException("path " + p + " (" + pe[p] + "," + pn[p] + "," + po[p] + ") names a block that does not exist");
            int l1 = edgeL[pe[p]], l2 = nodeL[pn[p]], l3 = outL[po[p]];
            if (l3 < Math.abs(l1 - l2) || l3 > l1 + l2)
                throw new IllegalArgumentException("path " + p + ": l_out=" + l3 + " not in |" + l1 + "-" + l2 + "|.." + (l1 + l2));
            if (!Float.isFinite(scale[p])) throw new IllegalArgumentException("path " + p + ": scale " + scale[p]);
        }
        this.channels = channels;
        this.edgeL = edgeL.clone(); this.nodeL = nodeL.clone(); this.outL = outL.clone();
        this.pathEdge = pe.clone(); this.pathNode = pn.clone(); this.pathOut = po.clone();
        this.scale = scale.clone();
        checkOffsets("edge", edgeL, edgeOff, edgeDim); checkOffsets("node", nodeL, nodeOff, nodeDim); checkOffsets("out", outL, outOff, outDim);
        this.edgeOff = edgeOff.clone(); this.nodeOff = nodeOff.clone(); this.outOff = outOff.clone();
        this.edgeDim = edgeDim; this.nodeDim = nodeDim; this.outDim = outDim;
        this.layout = buildLayout();
    }

    /** A plan from block l's and paths (scale 1 for a path multiplies by the compiled CG table as is). */
    public static CudaTpPlan of(int channels, int[] edgeL, int[] nodeL, int[] outL, int[] pathEdge, int[] pathNode, int[] pathOut, float[] scale) {
        return new CudaTpPlan(channels, edgeL, nodeL, outL, pathEdge, pathNode, pathOut, scale);
    }

    private static final Map<TensorProductDescriptor, CudaTpPlan> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * The plan of a {@link TensorProductDescriptor}: same blocks and paths (p order), each path's factor
     * chosen so that factor x compiled CG = the descriptor's CG table ({@link CompiledCg#scaleFor}).
     * Cached per descriptor (its small device copy lives as long as the descriptor is reachable).
     *
     * @throws IllegalArgumentException for l > 4 or a CG table not in the kernels' real basis
     */
    public static CudaTpPlan forDescriptor(TensorProductDescriptor d) {
        CudaTpPlan p = CACHE.get(d);
        if (p == null) {
            p = build(d);
            CACHE.put(d, p);
        }
        return p;
    }

    private static CudaTpPlan build(TensorProductDescriptor d) {
        int np = d.numPaths();
        int[] pe = new int[np], pn = new int[np], po = new int[np];
        float[] s = new float[np];
        for (int p = 0; p < np; p++) {
            TensorProductDescriptor.Path path = d.path(p);
            pe[p] = path.iEdge(); pn[p] = path.iNode(); po[p] = path.iOut();
            CGTable cg = path.cg();
            s[p] = (float) CompiledCg.scaleFor(cg.l1(), cg.l2(), cg.l3(), cg.i1(), cg.i2(), cg.i3(), cg.value());
        }
        return new CudaTpPlan(d.channels(), ls(d.edgeIrreps()), ls(d.nodeIrreps()), ls(d.outIrreps()), pe, pn, po, s);
    }

    private static int[] ls(Irreps irreps) {
        int[] l = new int[irreps.size()];
        for (int i = 0; i < l.length; i++) l[i] = irreps.get(i).ir().l();
        return l;
    }

    /**
     * A plan whose blocks sit at given m-row offsets inside rows of edgeDim/nodeDim/outDim (blocks
     * may leave gaps: rows no path writes). With gaps, the BLOCK-schedule kernels leave the gap rows
     * of their outputs untouched (callers zero them); the ROW schedule writes every row.
     */
    public static CudaTpPlan withOffsets(int channels, int edgeDim, int nodeDim, int outDim, int[] edgeL, int[] edgeOff, int[] nodeL,
                                         int[] nodeOff, int[] outL, int[] outOff, int[] pathEdge, int[] pathNode, int[] pathOut, float[] scale) {
        return new CudaTpPlan(channels, edgeDim, nodeDim, outDim, edgeL, edgeOff, nodeL, nodeOff, outL, outOff, pathEdge, pathNode, pathOut, scale);
    }

    /** Whether some rows of a feature vector belong to no block (only for plans built {@link #withOffsets}). */
    public boolean hasGaps() {
        return dim(edgeL) != edgeDim || dim(nodeL) != nodeDim || dim(outL) != outDim;
    }

    private static void checkOffsets(String what, int[] ls, int[] off, int dim) {
        if (off.length != ls.length) throw new IllegalArgumentException(what + ": " + ls.length + " blocks but " + off.length + " offsets");
        for (int i = 0; i < ls.length; i++)
            if (off[i] < 0 || off[i] + 2 * ls[i] + 1 > dim)
                throw new IllegalArgumentException(what + " block " + i + " (l=" + ls[i] + ") at row " + off[i] + " overruns " + dim + " rows");
    }

    private static void checkL(String what, int[] ls) {
        if (ls.length == 0) throw new IllegalArgumentException(what + " irreps are empty");
        for (int l : ls) {
            if (l < 0) throw new IllegalArgumentException(what + " irreps: negative l " + l);
            if (l > CompiledCg.LMAX)
                throw new IllegalArgumentException(what + " irreps contain l=" + l + ": the CUDA kernels are compiled for l <= " + CompiledCg.LMAX);
        }
    }

    static int dim(int[] ls) {
        int d = 0;
        for (int l : ls) d += 2 * l + 1;
        return d;
    }

    private static int[] offsets(int[] ls) {
        int[] o = new int[ls.length];
        for (int i = 1; i < ls.length; i++) o[i] = o[i - 1] + 2 * ls[i - 1] + 1;
        return o;
    }

    private int[] buildLayout() {
        int np = scale.length;
        int size = 8 + 8 * np + 4 * (outL.length + edgeL.length + nodeL.length) + 3 * np;
        int[] a = new int[size];
        int[] oe = edgeOff, oh = nodeOff, oo = outOff;
        a[0] = np; a[1] = outL.length; a[2] = edgeL.length; a[3] = nodeL.length; a[7] = VERSION;
        for (int p = 0; p < np; p++) {
            int q = 8 + 8 * p;
            a[q] = edgeL[pathEdge[p]]; a[q + 1] = nodeL[pathNode[p]]; a[q + 2] = outL[pathOut[p]];
            a[q + 3] = oe[pathEdge[p]]; a[q + 4] = oh[pathNode[p]]; a[q + 5] = oo[pathOut[p]];
            a[q + 6] = Float.floatToRawIntBits(scale[p]);
        }
        int pos = 8 + 8 * np;
        int[][] kinds = {outL, edgeL, nodeL};
        int[][] offs = {oo, oe, oh};
        int[][] sel = {pathOut, pathEdge, pathNode};
        for (int kind = 0; kind < 3; kind++) {
            a[4 + kind] = pos;
            int base = pos;
            pos += 4 * kinds[kind].length;
            for (int b = 0; b < kinds[kind].length; b++) {
                int start = pos;
                for (int p = 0; p < np; p++) if (sel[kind][p] == b) a[pos++] = p;
                a[base + 4 * b] = kinds[kind][b];
                a[base + 4 * b + 1] = offs[kind][b];
                a[base + 4 * b + 2] = start;
                a[base + 4 * b + 3] = pos;
            }
        }
        if (pos != size) throw new IllegalStateException("plan layout size " + pos + " != " + size);
        return a;
    }

    /** The int32 array the kernels read (a copy). */
    public int[] layout() {
        return layout.clone();
    }

    public int channels() { return channels; }
    public int numPaths() { return scale.length; }
    public int numOutBlocks() { return outL.length; }
    public int numEdgeBlocks() { return edgeL.length; }
    public int numNodeBlocks() { return nodeL.length; }
    /** Sum of (2l+1) over edge blocks, without the channel factor. */
    public int edgeDim() { return edgeDim; }
    public int nodeDim() { return nodeDim; }
    public int outDim() { return outDim; }
    public int pathEdge(int p) { return pathEdge[p]; }
    public int pathNode(int p) { return pathNode[p]; }
    public int pathOut(int p) { return pathOut[p]; }
    public int edgeL(int i) { return edgeL[i]; }
    public int nodeL(int i) { return nodeL[i]; }
    public int outL(int i) { return outL[i]; }
    public float scale(int p) { return scale[p]; }

    /** The layout on the device of {@code backend} (uploaded once per device, freed by {@link #close()}). */
    synchronized DeviceBuffer device(KernelLauncher backend) {
        DeviceBuffer d = devices.get(backend);
        if (d == null || d.isClosed()) {
            d = backend.upload(layout);
            devices.put(backend, d);
        }
        return d;
    }

    @Override
    public synchronized void close() {
        for (DeviceBuffer d : devices.values()) d.close();
        devices.clear();
    }

    @Override
    public String toString() {
        return "CudaTpPlan[C=" + channels + ", edge l=" + Arrays.toString(edgeL) + ", node l=" + Arrays.toString(nodeL)
                + ", out l=" + Arrays.toString(outL) + ", " + numPaths() + " paths]";
    }
}
