package org.unite4j.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;

class TapeTest {

    @Test
    void gradientsAccumulateOverUsesAndCalls() {
        Tensor x = Tensor.of(new double[]{1, 2, 3}, 3).requiresGrad(true);
        // L = sum(x*x + 3x) -> dL/dx = 2x + 3
        Tensor l = F.sum(F.add(F.mul(x, x), x.mul(3.0)));
        l.backward();
        assertArrayEquals(new double[]{5, 7, 9}, x.grad().toDoubles(), 1e-15);
        F.sum(x).backward();
        assertArrayEquals(new double[]{6, 8, 10}, x.grad().toDoubles(), 1e-15);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void noGradRecordsNothingAndGraphIsReleased() {
        Tensor x = Tensor.of(new double[]{1, 2}, 2).requiresGrad(true);
        try (var ignored = GradMode.noGrad()) {
            Tensor y = F.exp(x);
            assertFalse(y.requiresGrad());
            assertNull(y.op());
        }
        assertTrue(GradMode.isEnabled());
        Tensor y = F.sum(F.exp(x));
        assertEquals("sum", y.op());
        y.backward();
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void gradCheckDetectsAWrongBackward() {
        // exp with the derivative of sigmoid: a deliberately wrong rule must fail the check.
        java.util.function.Function<Tensor[], Tensor> wrong = t -> {
            Tensor x = t[0];
            Tensor y = F.exp(x.detach());
            return Tensor.result(y.storage(), y.shape(), "badExp", g -> new Tensor[]{F.mul(g, F.sigmoid(x))}, x);
        };
        Tensor[] in = {Tensor.of(new double[]{0.3, -0.7, 1.1}, 3)};
        assertTrue(GradCheck.check(wrong, in, 1, 1e-6, 10).maxRelErr() > 1e-2);
        assertTrue(GradCheck.check(t -> F.exp(t[0]), in, 1, 1e-6, 10).maxRelErr() < 1e-8);
    }

    @Test
    void float32TensorsRoundOnceAndMismatchedDtypesAreRejected() {
        Tensor a = Tensor.of(Backends.cpu(), DType.FLOAT32, new double[]{0.1, 0.2}, 2);
        assertEquals((float) 0.1, (float) a.toDoubles()[0]);
        Tensor s = F.add(a, a);
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals((float) ((double) (float) 0.1 * 2), (float) s.toDoubles()[0]);
        Tensor b = Tensor.of(new double[]{1, 2}, 2);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> F.add(a, b));
        assertTrue(ex.getMessage().contains("dtypes"), ex.getMessage());
    }

    @Test
    void badShapesGiveClearErrors() {
        Tensor a = Tensor.of(new double[6], 2, 3);
        Tensor b = Tensor.of(new double[8], 2, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.add(a, b)).getMessage()
                .contains("do not broadcast"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.matmul(a, a)).getMessage()
                .contains("inner dimensions"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> F.indexSelect(a, new int[]{2})).getMessage()
                .contains("outside"));
    }
}
