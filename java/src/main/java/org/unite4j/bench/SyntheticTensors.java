package org.unite4j.bench;

import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.MolecularGraph;

import org.unite4j.chem.Molecule;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.NBodyTensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic 2-body tensors with the block structure of a real operator, built in time linear in
 * the number of kept blocks: the blocks T_AB (shape numAo(A) x numAo(B) of the given basis) of all
 * atom pairs at distance r_AB &lt;= cutoff are random (standard normal entries, seeded) rescaled to
 * the Frobenius norm ||T_AB||_F = exp(-decay r_AB), like the exponential decay of overlap and
 * density matrices with distance; other blocks are zero. With cutoff = rc and decay = tau / rc,
 * the distance cutoff is the same as the norm cutoff -ln ||T_AB||_F &lt; tau. Pairs are found
 * with a cell list (cells of edge rc), so building N atoms costs O(N + nnz). A cutoff of
 * infinity keeps every pair (the dense contrast).
 */
public final class SyntheticTensors {
    private SyntheticTensors() {
    }

    /** Norms below this are raised to it so that far blocks of the dense contrast stay non-zero. */
    static final double MIN_NORM = 1e-200;

    public static NBodyTensor build(Molecule geometry, Basis basis, double cutoff, double decay, long seed) {
        int n = geometry.size();
        if (basis.numAtoms() != n)
            throw new IllegalArgumentException("basis has " + basis.numAtoms() + " atoms, geometry " + n);
        if (!(cutoff > 0)) throw new IllegalArgumentException("cutoff must be > 0 Angstrom, got " + cutoff);
        if (!(decay >= 0) || !Double.isFinite(decay)) throw new IllegalArgumentException("decay must be finite and >= 0, got " + decay);
        Random rng = new Random(seed);
        List<int[]> tuples = new ArrayList<>();
        List<double[]> blocks = new ArrayList<>();
        int[][] nb = neighbours(geometry, cutoff);
        for (int a = 0; a < n; a++) {
            for (int b : nb[a]) {
                double r = Geometries.distance(geometry, a, b);
                double[] blk = new double[basis.numAo(a) * basis.numAo(b)];
                double ss = 0;
                for (int i = 0; i < blk.length; i++) {
                    blk[i] = rng.nextGaussian();
                    ss += blk[i] * blk[i];
                }
                double s = Math.max(MIN_NORM, Math.exp(-decay * r)) / Math.sqrt(ss);
                for (int i = 0; i < blk.length; i++) blk[i] *= s;
                tuples.add(new int[]{a, b});
                blocks.add(blk);
            }
        }
        return NBodyTensor.ofBlocks(basis, 2, tuples, blocks);
    }

    /**
     * A model input on this geometry: four synthetic operators (standing in for F, P, S, W; seeds
     * seed .. seed+3, same cutoff, so the same pairs) in a {@link MolecularGraph} with the GFN1 basis.
     */
    public static MolecularGraph graph(Molecule geometry, double cutoff, double decay, long seed) {
        Basis basis = XtbBasisSet.basis(geometry, XtbMethod.GFN1);
        List<NBodyTensor> ops = new ArrayList<>();
        for (int k = 0; k < MolecularGraph.OPERATORS.size(); k++) ops.add(build(geometry, basis, cutoff, decay, seed + k));
        return MolecularGraph.ofTensors(geometry, XtbMethod.GFN1, NBodyTensor.DEFAULT_TAU, ops);
    }

    /** For every atom a, the atoms b (a itself included) with r_ab &lt;= cutoff, in increasing b. */
    public static int[][] neighbours(Molecule g, double cutoff) {
        int n = g.size();
        int[][] out = new int[n][];
        if (!Double.isFinite(cutoff)) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            java.util.Arrays.fill(out, all);
            return out;
        }
        Map<Long, List<Integer>> cells = new HashMap<>();
        for (int i = 0; i < n; i++) cells.computeIfAbsent(cell(g, i, cutoff), k -> new ArrayList<>()).add(i);
        List<Integer> nb = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            nb.clear();
            int cx = (int) Math.floor(g.x(a, 0) / cutoff), cy = (int) Math.floor(g.x(a, 1) / cutoff),
                    cz = (int) Math.floor(g.x(a, 2) / cutoff);
            for (int i = -1; i <= 1; i++)
                for (int j = -1; j <= 1; j++)
                    for (int k = -1; k <= 1; k++) {
                        List<Integer> c = cells.get(key(cx + i, cy + j, cz + k));
                        if (c == null) continue;
                        for (int b : c) if (Geometries.distance(g, a, b) <= cutoff) nb.add(b);
                    }
            out[a] = nb.stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return out;
    }

    private static long cell(Molecule g, int i, double edge) {
        return key((int) Math.floor(g.x(i, 0) / edge), (int) Math.floor(g.x(i, 1) / edge), (int) Math.floor(g.x(i, 2) / edge));
    }

    private static long key(int i, int j, int k) {
        return ((long) (i + (1 << 20)) << 42) | ((long) (j + (1 << 20)) << 21) | (k + (1 << 20));
    }
}
