package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs on any machine: the built PTX holds every kernel the Java side launches. */
class KernelResourcesTest {
    static Set<String> ptxEntries(String ptx) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(").matcher(ptx);
        while (m.find()) names.add(m.group(1));
        return names;
    }

    @Test
    void everyLaunchedKernelIsAnEntryOfThePtx() {
        assumeTrue(CudaBackend.kernelsBuilt(), "kernels not built here (no nvcc when unite4j-cuda was built): skipped");
        String ptx = new String(CudaBackend.resource(CudaBackend.PTX_RESOURCE), StandardCharsets.US_ASCII);
        Set<String> entries = ptxEntries(ptx);
        for (String k : CudaKernels.KERNEL_NAMES) assertTrue(entries.contains(k), "PTX lacks .entry " + k + "; has " + entries);
        assertTrue(ptx.contains(".target sm_80"), "PTX must target compute_80 (loadable on sm_80 and newer)");
        assertNotNull(CudaBackend.resource(CudaBackend.CUBIN_RESOURCE), "the sm_90 cubin is packaged beside the PTX");
    }

    @Test
    void ptxEntryParserFindsNamesOnly() {
        String ptx = ".visible .entry u4j_a(\n .param .u64 x\n)\n.visible .entry u4j_b (\n.func helper(\n";
        assertEquals(Set.of("u4j_a", "u4j_b"), ptxEntries(ptx));
    }

    @Test
    void backendAvailabilityNeverThrowsAndGivesAReason() {
        boolean ok = CudaBackend.isAvailable();
        if (ok) {
            assertNull(CudaBackend.unavailableReason());
            assertNotNull(CudaBackend.get().describe());
        } else {
            String why = CudaBackend.unavailableReason();
            assertNotNull(why);
            assertFalse(why.isBlank());
            CudaException e = assertThrows(CudaException.class, CudaBackend::get);
            assertTrue(e.getMessage().contains(why), e.getMessage());
            System.out.println("[cuda] backend unavailable here: " + why);
        }
    }

    @Test
    void cudaErrorsCarryTheDriverErrorName() {
        CudaException e = new CudaException(2, "cuMemAlloc(1 B)");
        assertEquals("cuMemAlloc(1 B) failed: CUDA_ERROR_OUT_OF_MEMORY (2)", e.getMessage());
        assertEquals(2, e.code());
        assertDoesNotThrow(() -> CudaException.check(0, "ok"));
        assertThrows(CudaException.class, () -> CudaException.check(700, "kernel"));
    }
}
