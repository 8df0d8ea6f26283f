package org.unite4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrGraphTest {

    @Test
    void fromEdgesSortsStablyByReceiverAndTransposes() {
        // edges (receiver <- sender): 2<-0, 0<-1, 2<-1, 0<-2, 1<-0
        CsrGraph g = CsrGraph.fromEdges(3, new int[]{2, 0, 2, 0, 1}, new int[]{0, 1, 1, 2, 0});
        assertArrayEquals(new int[]{0, 2, 3, 5}, g.rowPtr());
        assertArrayEquals(new int[]{1, 2, 0, 0, 1}, g.sender());
        assertArrayEquals(new int[]{0, 0, 1, 2, 2}, g.receiver());
        assertEquals(5, g.numEdges());
        // edges by sender: 0 -> {2, 3}, 1 -> {0, 4}, 2 -> {1}
        assertArrayEquals(new int[]{0, 2, 4, 5}, g.tRowPtr());
        assertArrayEquals(new int[]{2, 3, 0, 4, 1}, g.tEdge());
        assertArrayEquals(new int[]{3, 0, 4, 1, 2}, CsrGraph.csrOrder(3, new int[]{2, 0, 2, 0, 1}));
    }

    @Test
    void invalidGraphsAreRejectedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> CsrGraph.fromEdges(2, new int[]{0, 2}, new int[]{1, 1})).getMessage().contains("edge 1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new CsrGraph(2, new int[]{0, 2, 1}, new int[]{0})).getMessage().contains("rowPtr"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new CsrGraph(2, new int[]{0, 1, 1}, new int[]{5})).getMessage().contains("sender 5"));
    }
}
