package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.unite4j.irreps.TensorProductDescriptor;

/** The benchmark problem is what the README and benchmarks/e3nn_compare.py say it is (no GPU). */
class BenchmarkSetupTest {
    @Test
    void descriptorHasElevenPathsOfThirtyTwoChannels() {
        TensorProductDescriptor d = CudaTpBenchmark.descriptor();
        assertEquals(11, d.numPaths());
        assertEquals(32, d.channels());
        assertEquals(9, d.edgeDim());
        CudaTpPlan p = CudaTpPlan.forDescriptor(d);
        for (int i = 0; i < p.numPaths(); i++) assertEquals(1f, p.scale(i), "the compiled CG tables are the library's own");
    }

    @Test
    void graphHasSixteenLocalEdgesPerReceiver() {
        int n = 100;
        int[][] g = CudaTpBenchmark.graph(n);
        assertEquals(n + 1, g[0].length);
        assertEquals(16 * n, g[1].length);
        for (int a = 0; a < n; a++) {
            assertEquals(16 * a, g[0][a]);
            for (int j = 0; j < 16; j++) assertEquals(Math.floorMod(a + 7 * j - 56, n), g[1][16 * a + j]);
        }
        assertDoesNotThrow(() -> CudaGraph.hostArrays(g[0], g[1]));
    }
}
