package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.*;
import static org.unite4j.backend.cuda.GpuTestSupport.requireGpu;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.nn.selftest.SelfTest;

/**
 * `unite selftest --backend cuda` as a test (skipped without a GPU): every autograd op on the "cuda"
 * compute backend passes its gradient, second-derivative, equivariance and determinism checks and agrees with the CPU
 * float64 reference to the float32 tolerance; the per-op table is printed.
 */
class CudaSelfTestGpuTest {
    @Test
    void registeredAndSkippedCleanlyOrEveryOpPasses() {
        Backend cuda = Backends.all().stream().filter(b -> b.name().equals("cuda")).findFirst().orElse(null);
        assertNotNull(cuda, "the cuda backend is registered with ServiceLoader");
        assertFalse(cuda.supports(org.unite4j.backend.DType.FLOAT64));
        requireGpu();
        assertTrue(cuda.isAvailable());
        List<SelfTest.OpResult> res = SelfTest.run(cuda, 12345);
        long failed = 0;
        for (SelfTest.OpResult r : res) {
            System.out.printf("[cuda] selftest %-32s grad %.2e gradgrad %.2e equiv %s det %s cpu %s %s%s%n", r.op(), r.gradRelErr(),
                    r.gradGradRelErr(),
                    r.equivErr() == null ? "-" : String.format("%.2e", r.equivErr()), r.deterministic(),
                    r.cpuParityErr() == null ? "-" : String.format("%.2e", r.cpuParityErr()), r.passed() ? "ok" : "FAIL",
                    r.error() == null ? "" : " " + r.error());
            if (!r.passed()) failed++;
        }
        System.out.printf("[cuda] selftest: %d ops, %d failed%n", res.size(), failed);
        assertEquals(0, failed, "selftest ops failing on the cuda backend");
    }
}
