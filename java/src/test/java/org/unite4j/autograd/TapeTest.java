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
    void secondDerivativesThroughTheRecordedBackward() {
        // y = x^3 (as mul), dy/dx = 3x^2, d2y/dx2 = 6x; the first gradient is itself differentiable
        Tensor x = Tensor.of(new double[]{0.5, -2.0}, 2).requiresGrad(true);
        Tensor y = F.sum(F.mul(F.mul(x, x), x));
        Tensor g = Tensor.grad(y, true, x)[0];
        assertArrayEquals(new double[]{0.75, 12.0}, g.toDoubles(), 1e-14);
        assertTrue(g.requiresGrad());
        Tensor h = Tensor.grad(F.sum(g), false, x)[0];
        assertArrayEquals(new double[]{3.0, -12.0}, h.toDoubles(), 1e-14);
        assertNull(x.grad(), "grad() must not accumulate into leaves");
        // backward(createGraph) accumulates a differentiable gradient
        Tensor z = Tensor.of(new double[]{1.5}, 1).requiresGrad(true);
        F.sum(F.exp(F.square(z))).backward(Tensor.scalar(Backends.cpu(), DType.FLOAT64, 1.0), false, true);
        Tensor gz = z.grad(); // 2z e^{z^2}
        z.zeroGrad();
        F.sum(gz).backward();
        double e = Math.exp(2.25);
        assertEquals(2 * e + 4 * 2.25 * e, z.grad().item(), 1e-12); // (2 + 4 z^2) e^{z^2}
    }

    @Test
    void gradWithRespectToSomeLeavesStillDifferentiatesToTheOthers() {
        // f = sum((x W)^2); the sweep for df/dx skips dW, yet d(sum df/dx)/dW must be complete
        java.util.Random r = new java.util.Random(2);
        double[] xv = new double[6], wv = new double[12];
        for (int i = 0; i < xv.length; i++) xv[i] = r.nextGaussian();
        for (int i = 0; i < wv.length; i++) wv[i] = r.nextGaussian();
        java.util.function.Function<double[], Double> s = w -> {
            Tensor x = Tensor.of(xv, 2, 3).requiresGrad(true), wt = Tensor.of(w, 3, 4).requiresGrad(true);
            Tensor gx = Tensor.grad(F.sum(F.square(F.matmul(x, wt))), false, x)[0];
            return F.sum(gx).item();
        };
        Tensor x = Tensor.of(xv, 2, 3).requiresGrad(true), w = Tensor.of(wv, 3, 4).requiresGrad(true);
        Tensor gx = Tensor.grad(F.sum(F.square(F.matmul(x, w))), true, x)[0];
        double[] an = Tensor.grad(F.sum(gx), false, w)[0].toDoubles();
        double h = 1e-6;
        for (int j = 0; j < wv.length; j++) {
            double[] p = wv.clone(), m = wv.clone();
            p[j] += h;
            m[j] -= h;
            assertEquals((s.apply(p) - s.apply(m)) / (2 * h), an[j], 1e-6, "d(sum df/dx)/dW_" + j);
        }
    }

    @Test
    void gradGradCheckDetectsABackwardThatIsNotDifferentiable() {
        // square whose backward is right to first order but computed outside the tape: its second
        // derivative through the recorded backward is missing and the check must say so
        java.util.function.Function<Tensor[], Tensor> bad = t -> {
            Tensor x = t[0];
            double[] v = x.toDoubles();
            double[] y = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                y[i] = v[i] * v[i];
            }
            return Tensor.result(Backends.cpu().fromDoubles(y, DType.FLOAT64), x.shape(), "badSquare",
                    g -> new Tensor[]{F.mul(g, Tensor.of(x.toDoubles(), x.shape()).mul(2.0))}, x);
        };
        Tensor in = Tensor.of(new double[]{0.3, -1.2, 0.8}, 3);
        assertTrue(GradCheck.check(bad, new Tensor[]{in}, 1, 1e-6, 10).maxRelErr() < 1e-6);
        assertTrue(GradCheck.checkSecond(bad, new Tensor[]{in}, 1, 1e-5, 10).maxRelErr() > 0.1);
        assertTrue(GradCheck.checkSecond(t -> F.square(t[0]), new Tensor[]{in}, 1, 1e-5, 10).maxRelErr() < 1e-8);
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
