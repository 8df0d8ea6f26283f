package org.unite4j.nn;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.unite4j.backend.Backends;
import org.unite4j.nn.selftest.OpCheck;
import org.unite4j.nn.selftest.OpChecks;
import org.unite4j.nn.selftest.SelfTest;

/** Every registered op: float64 gradient and gradient-of-gradient checks, equivariance, bitwise determinism (1 vs 2 threads). */
class OpChecksTest {

    @TestFactory
    Stream<DynamicTest> everyOpPassesItsChecks() {
        return OpChecks.all().stream().map((OpCheck c) -> DynamicTest.dynamicTest(c.name(), () -> {
            SelfTest.OpResult r = SelfTest.check(c, Backends.cpu(), 12345);
            assertNull(r.error(), () -> c.name() + " threw " + r.error());
            assertTrue(r.gradRelErr() < 1e-6, () -> c.name() + " gradient rel err " + r.gradRelErr());
            assertTrue(r.gradGradRelErr() < 1e-6, () -> c.name() + " gradient-of-gradient rel err " + r.gradGradRelErr());
            assertTrue(r.deterministic(), () -> c.name() + " is not bitwise deterministic");
            if (c.equivariance() != null) {
                assertTrue(r.equivErr() < 1e-10, () -> c.name() + " equivariance err " + r.equivErr());
            }
        }));
    }
}
