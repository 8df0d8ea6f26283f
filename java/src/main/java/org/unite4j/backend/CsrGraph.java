package org.unite4j.backend;

import java.util.Arrays;

/**
 * A directed graph in compressed sparse row form, grouped by receiver: the edges of receiver a are
 * k = rowPtr[a] .. rowPtr[a+1]-1 and edge k comes from node {@code sender[k]}. Every gather over
 * this graph sums edges in increasing k, which is what makes the kernels deterministic. The
 * transposed view ({@link #tRowPtr()}, {@link #tEdge()}) groups the edge indices by sender, in
 * increasing edge index within a group; it is built on first use.
 */
public record CsrGraph(int numNodes, int[] rowPtr, int[] sender) {

    public CsrGraph {
        if (numNodes < 0) {
            throw new IllegalArgumentException("CsrGraph: numNodes " + numNodes + " < 0");
        }
        if (rowPtr.length != numNodes + 1) {
            throw new IllegalArgumentException("CsrGraph: rowPtr has length " + rowPtr.length
                    + ", expected numNodes+1 = " + (numNodes + 1));
        }
        if (rowPtr[0] != 0 || rowPtr[numNodes] != sender.length) {
            throw new IllegalArgumentException("CsrGraph: rowPtr must start at 0 and end at the edge count "
                    + sender.length + " (found " + rowPtr[0] + ".." + rowPtr[numNodes] + ")");
        }
        for (int a = 0; a < numNodes; a++) {
            if (rowPtr[a + 1] < rowPtr[a]) {
                throw new IllegalArgumentException("CsrGraph: rowPtr decreases at node " + a);
            }
        }
        for (int k = 0; k < sender.length; k++) {
            if (sender[k] < 0 || sender[k] >= numNodes) {
                throw new IllegalArgumentException("CsrGraph: edge " + k + " has sender " + sender[k]
                        + " outside 0.." + (numNodes - 1));
            }
        }
    }

    /**
     * Builds the graph from an edge list (receiver[k] <- sender[k]); edges are stably sorted by
     * receiver, so edges of one receiver keep their input order.
     */
    public static CsrGraph fromEdges(int numNodes, int[] receiver, int[] sender) {
        if (receiver.length != sender.length) {
            throw new IllegalArgumentException("CsrGraph.fromEdges: " + receiver.length + " receivers but "
                    + sender.length + " senders");
        }
        int[] rowPtr = new int[numNodes + 1];
        for (int k = 0; k < receiver.length; k++) {
            if (receiver[k] < 0 || receiver[k] >= numNodes) {
                throw new IllegalArgumentException("CsrGraph.fromEdges: edge " + k + " has receiver "
                        + receiver[k] + " outside 0.." + (numNodes - 1));
            }
            rowPtr[receiver[k] + 1]++;
        }
        for (int a = 0; a < numNodes; a++) {
            rowPtr[a + 1] += rowPtr[a];
        }
        int[] next = Arrays.copyOf(rowPtr, numNodes);
        int[] s = new int[sender.length];
        for (int k = 0; k < receiver.length; k++) {
            s[next[receiver[k]]++] = sender[k];
        }
        return new CsrGraph(numNodes, rowPtr, s);
    }

    /**
     * The permutation applied by {@link #fromEdges}: position in CSR order of input edge k.
     * Use it to put per-edge data in the same order as the graph.
     */
    public static int[] csrOrder(int numNodes, int[] receiver) {
        int[] count = new int[numNodes + 1];
        for (int r : receiver) {
            count[r + 1]++;
        }
        for (int a = 0; a < numNodes; a++) {
            count[a + 1] += count[a];
        }
        int[] pos = new int[receiver.length];
        for (int k = 0; k < receiver.length; k++) {
            pos[k] = count[receiver[k]]++;
        }
        return pos;
    }

    public int numEdges() {
        return sender.length;
    }

    /** Receiver of every edge (derived from rowPtr). */
    public int[] receiver() {
        return derived().receiver;
    }

    /** Transposed row pointer: the edges sent by b are tEdge[tRowPtr[b] .. tRowPtr[b+1]-1]. */
    public int[] tRowPtr() {
        return derived().tRowPtr;
    }

    /** Edge indices grouped by sender, increasing within a group. */
    public int[] tEdge() {
        return derived().tEdge;
    }

    private Derived derived() {
        return Derived.of(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsrGraph g && numNodes == g.numNodes && Arrays.equals(rowPtr, g.rowPtr)
                && Arrays.equals(sender, g.sender);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rowPtr) + Arrays.hashCode(sender);
    }

    @Override
    public String toString() {
        return "CsrGraph[numNodes=" + numNodes + ", numEdges=" + sender.length + "]";
    }

    /** Lazily computed views, cached per (equal) graph in a weak map: records cannot hold extra fields. */
    private record Derived(int[] receiver, int[] tRowPtr, int[] tEdge) {
        private static final java.util.Map<CsrGraph, Derived> CACHE =
                java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

        static Derived of(CsrGraph g) {
            Derived d = CACHE.get(g);
            if (d != null && d.receiver.length == g.sender.length) {
                return d;
            }
            int n = g.numNodes;
            int[] receiver = new int[g.sender.length];
            for (int a = 0; a < n; a++) {
                for (int k = g.rowPtr[a]; k < g.rowPtr[a + 1]; k++) {
                    receiver[k] = a;
                }
            }
            int[] tRowPtr = new int[n + 1];
            for (int s : g.sender) {
                tRowPtr[s + 1]++;
            }
            for (int b = 0; b < n; b++) {
                tRowPtr[b + 1] += tRowPtr[b];
            }
            int[] next = Arrays.copyOf(tRowPtr, n);
            int[] tEdge = new int[g.sender.length];
            for (int k = 0; k < g.sender.length; k++) {
                tEdge[next[g.sender[k]]++] = k;
            }
            d = new Derived(receiver, tRowPtr, tEdge);
            CACHE.put(g, d);
            return d;
        }
    }
}
