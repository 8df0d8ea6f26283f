package org.unite4j.bindings.cublas;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Loading never crashes: either cuBLAS binds, or the reason names what was tried. */
class CublasLoadTest {
    @Test
    void loadsOrExplainsWhyNot() {
        if (Cublas.isAvailable()) {
            assertNull(Cublas.unavailableReason());
            assertTrue(Cublas.libraryName().contains("libcublas.so.1"), Cublas.libraryName());
        } else {
            String why = Cublas.unavailableReason();
            assertTrue(why.contains("libcublas.so.13") && why.contains("libcublas.so.12"), why);
            var e = assertThrows(IllegalStateException.class, Cublas::create);
            assertEquals(why, e.getMessage());
            System.out.println("[cublas] " + why);
        }
    }

    @Test
    void statusNames() {
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", Cublas.statusName(7));
        assertEquals("CUBLAS_STATUS_99", Cublas.statusName(99));
        var e = assertThrows(Cublas.CublasException.class, () -> Cublas.check(13, "gemm"));
        assertEquals("gemm failed: CUBLAS_STATUS_EXECUTION_FAILED (13)", e.getMessage());
        assertEquals(13, e.status());
    }
}
