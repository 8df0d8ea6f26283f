package org.unite4j.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backends;
import org.unite4j.irreps.Irreps;
import org.unite4j.nn.selftest.EquivariantChecks;
import org.unite4j.nn.selftest.OpCheck;
import org.unite4j.nn.selftest.SelfTest;

/** The checks themselves must be able to fail. */
class SelfTestHarnessTest {

    @Test
    void nonEquivariantOpIsCaught() {
        Irreps x = Irreps.parse("2x1o+1x2e");
        // element-wise square of vector components is not equivariant
        OpCheck fake = new OpCheck("fake", r -> new Tensor[]{Tensor.randn(r, 1, Backends.cpu(),
                org.unite4j.backend.DType.FLOAT64, 3, x.dim())}, t -> F.square(t[0]),
                new OpCheck.Equivariance() {
                    @Override
                    public Tensor[] transformInputs(double[][] q, Tensor[] in) {
                        return new Tensor[]{EquivariantChecks.rotate(x, q, in[0])};
                    }

                    @Override
                    public Tensor transformOutput(double[][] q, Tensor out) {
                        return EquivariantChecks.rotate(x, q, out);
                    }
                });
        SelfTest.OpResult r = SelfTest.check(fake, Backends.cpu(), 3);
        assertTrue(r.equivErr() > 1e-3, "equiv err " + r.equivErr());
        assertFalse(r.passed());
        assertTrue(r.gradRelErr() < 1e-6);
    }

    @Test
    void threadDependentResultIsCaught() {
        // scales by the thread count: a stand-in for a reduction whose order depends on threads
        OpCheck racy = new OpCheck("racy", r -> new Tensor[]{Tensor.randn(r, 1, Backends.cpu(),
                org.unite4j.backend.DType.FLOAT64, 4)},
                t -> F.scale(t[0], 1.0 + 1e-12 * org.unite4j.backend.cpu.Parallel.threads()), null);
        SelfTest.OpResult r = SelfTest.check(racy, Backends.cpu(), 3);
        assertFalse(r.deterministic());
        assertFalse(r.passed());
    }

    /** The CPU kernels posing as a float32-only device backend (the path a GPU backend takes). */
    static final class Float32Only extends org.unite4j.backend.cpu.CpuBackend {
        @Override
        public String name() {
            return "cpu-float32";
        }

        @Override
        public boolean supports(org.unite4j.backend.DType d) {
            return d == org.unite4j.backend.DType.FLOAT32;
        }
    }

    @Test
    void float32OnlyBackendIsCheckedAgainstTheCpuReference() {
        var b = new Float32Only();
        var res = SelfTest.run(b, 2);
        for (SelfTest.OpResult r : res) {
            assertTrue(r.passed(), () -> r.toString());
            assertTrue(r.cpuParityErr() != null && r.cpuParityErr() > 0, () -> r.op() + " parity " + r.cpuParityErr());
        }
        assertTrue(SelfTest.toJson(b, res).contains("\"dtype\":\"float32\""));
    }

    @Test
    void jsonReportHasEveryOpAndOverallFlag() {
        var res = SelfTest.run(Backends.cpu(), 1);
        String js = SelfTest.toJson(Backends.cpu(), res);
        assertTrue(js.startsWith("{\"backend\":\"cpu\""));
        assertTrue(js.contains("\"tensorProduct\":{\"grad_rel_err\":"));
        assertTrue(js.contains("\"passed\":true,\"ops\""), js.substring(0, 200));
    }
}
