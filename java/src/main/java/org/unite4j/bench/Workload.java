package org.unite4j.bench;

import org.unite4j.backend.CsrGraph;
import org.unite4j.tensor.Basis;
import org.unite4j.tensor.NBodyTensor;

import java.util.Arrays;
import java.util.List;

/**
 * One point of a scaling sweep: the 2-body tensors of one input (the xtb operators F, P, S, W of a
 * molecule, or one synthetic tensor) and the graph of their non-zero blocks. An atom pair (A, B)
 * is an edge when block T_AB survived the cutoff in at least one tensor (diagonal blocks A = A
 * included); the edges are grouped by receiver A in CSR order. {@link #nnz()}, the number of
 * non-zero blocks of that union, is the size every op is timed against.
 *
 * @param input   family name, e.g. "alkane", "water", "synthetic", "alkane-dense"
 * @param label   this point, e.g. "C16H34"
 * @param tensors 2-body tensors over one basis
 */
public record Workload(String input, String label, Basis basis, List<NBodyTensor> tensors, CsrGraph graph) {

    /** Builds the union graph of the tensors' kept blocks. */
    public static Workload of(String input, String label, List<NBodyTensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("workload " + label + ": no tensors");
        Basis basis = tensors.getFirst().basis();
        int n = basis.numAtoms();
        int total = 0;
        for (NBodyTensor t : tensors) {
            if (t.order() != 2) throw new IllegalArgumentException("workload " + label + ": a " + t.order() + "-body tensor, expected 2-body");
            if (!t.basis().equals(basis)) throw new IllegalArgumentException("workload " + label + ": tensors over different bases");
            total += t.numBlocks();
        }
        long[] keys = new long[total];
        int k = 0;
        for (NBodyTensor t : tensors)
            for (int b = 0; b < t.numBlocks(); b++) keys[k++] = (long) t.atom(b, 0) * n + t.atom(b, 1);
        Arrays.sort(keys);
        int m = 0;
        for (int i = 0; i < keys.length; i++) if (i == 0 || keys[i] != keys[i - 1]) keys[m++] = keys[i];
        int[] rowPtr = new int[n + 1], sender = new int[m];
        for (int i = 0; i < m; i++) {
            rowPtr[(int) (keys[i] / n) + 1]++;
            sender[i] = (int) (keys[i] % n);
        }
        for (int a = 0; a < n; a++) rowPtr[a + 1] += rowPtr[a];
        return new Workload(input, label, basis, List.copyOf(tensors), new CsrGraph(n, rowPtr, sender));
    }

    public int atoms() { return basis.numAtoms(); }

    /** Non-zero 2-body blocks (edges of the union graph). */
    public int nnz() { return graph.numEdges(); }

    /** Kept blocks summed over the tensors (what the decomposition works through). */
    public long blocks() {
        long s = 0;
        for (NBodyTensor t : tensors) s += t.numBlocks();
        return s;
    }
}
