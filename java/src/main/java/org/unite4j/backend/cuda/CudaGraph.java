package org.unite4j.backend.cuda;

/**
 * A receiver-sorted CSR graph on the device: rowPtr[numNodes+1], sender[numEdges] (edge k in
 * rowPtr[a]..rowPtr[a+1]-1 has receiver a), plus receiver[numEdges] and the transposed view
 * tRowPtr[numNodes+1], tEdge[numEdges] (edges grouped by sender, increasing edge index within a
 * group) used by the backward pass. Validated on the host when built.
 */
public final class CudaGraph implements AutoCloseable {
    private final int numNodes, numEdges;
    private final DeviceBuffer rowPtr, sender, receiver, tRowPtr, tEdge;

    private CudaGraph(KernelLauncher b, int[] rowPtr, int[] sender, int[] receiver, int[] tRowPtr, int[] tEdge) {
        this.numNodes = rowPtr.length - 1;
        this.numEdges = sender.length;
        this.rowPtr = b.upload(rowPtr);
        this.sender = b.upload(sender);
        this.receiver = b.upload(receiver);
        this.tRowPtr = b.upload(tRowPtr);
        this.tEdge = b.upload(tEdge);
    }

    /** Uploads a CSR graph given by rowPtr and sender; builds receiver and the transposed CSR. */
    public static CudaGraph upload(CudaBackend b, int[] rowPtr, int[] sender) {
        int[][] h = hostArrays(rowPtr, sender);
        return new CudaGraph(b, rowPtr, sender, h[0], h[1], h[2]);
    }

    /** Uploads a CSR graph whose transposed view was built by the caller (checked for consistency). */
    public static CudaGraph upload(CudaBackend b, int[] rowPtr, int[] sender, int[] tRowPtr, int[] tEdge) {
        return upload((KernelLauncher) b, rowPtr, sender, tRowPtr, tEdge);
    }

    static CudaGraph upload(KernelLauncher b, int[] rowPtr, int[] sender, int[] tRowPtr, int[] tEdge) {
        int[][] h = hostArrays(rowPtr, sender);
        if (!java.util.Arrays.equals(h[1], tRowPtr) || !java.util.Arrays.equals(h[2], tEdge))
            throw new IllegalArgumentException("transposed CSR (tRowPtr/tEdge) does not match rowPtr/sender");
        return new CudaGraph(b, rowPtr, sender, h[0], tRowPtr, tEdge);
    }

    /**
     * Validates (rowPtr starts at 0, never decreases, ends at numEdges; senders in range) and returns
     * {receiver, tRowPtr, tEdge}.
     */
    static int[][] hostArrays(int[] rowPtr, int[] sender) {
        if (rowPtr.length < 1) throw new IllegalArgumentException("rowPtr must have numNodes+1 >= 1 entries");
        int n = rowPtr.length - 1, m = sender.length;
        if (rowPtr[0] != 0) throw new IllegalArgumentException("rowPtr[0] = " + rowPtr[0] + ", must be 0");
        if (rowPtr[n] != m) throw new IllegalArgumentException("rowPtr[numNodes] = " + rowPtr[n] + " but there are " + m + " senders");
        for (int a = 0; a < n; a++)
            if (rowPtr[a + 1] < rowPtr[a]) throw new IllegalArgumentException("rowPtr decreases at node " + a);
        int[] receiver = new int[m];
        for (int a = 0; a < n; a++)
            for (int k = rowPtr[a]; k < rowPtr[a + 1]; k++) receiver[k] = a;
        int[] tRowPtr = new int[n + 1];
        for (int k = 0; k < m; k++) {
            int s = sender[k];
            if (s < 0 || s >= n) throw new IllegalArgumentException("edge " + k + ": sender " + s + " out of range 0.." + (n - 1));
            tRowPtr[s + 1]++;
        }
        for (int b = 0; b < n; b++) tRowPtr[b + 1] += tRowPtr[b];
        int[] fill = java.util.Arrays.copyOf(tRowPtr, n);
        int[] tEdge = new int[m];
        for (int k = 0; k < m; k++) tEdge[fill[sender[k]]++] = k; // increasing k within each sender
        return new int[][] {receiver, tRowPtr, tEdge};
    }

    public int numNodes() { return numNodes; }
    public int numEdges() { return numEdges; }
    public DeviceBuffer rowPtr() { return rowPtr; }
    public DeviceBuffer sender() { return sender; }
    public DeviceBuffer receiver() { return receiver; }
    public DeviceBuffer tRowPtr() { return tRowPtr; }
    public DeviceBuffer tEdge() { return tEdge; }

    public boolean isClosed() {
        return rowPtr.isClosed();
    }

    @Override
    public void close() {
        rowPtr.close(); sender.close(); receiver.close(); tRowPtr.close(); tEdge.close();
    }
}
