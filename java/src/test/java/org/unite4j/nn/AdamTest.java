package org.unite4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;

class AdamTest {

    /** Scalar reference of the update rule, written out independently. */
    private static double[] reference(double p, double[] grads, double lr, double wd, boolean decoupled) {
        double m = 0, v = 0;
        double[] out = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1] + (decoupled ? 0 : wd * p);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mh = m / (1 - Math.pow(0.9, t)), vh = v / (1 - Math.pow(0.999, t));
            p = p - lr * (mh / (Math.sqrt(vh) + 1e-8) + (decoupled ? wd * p : 0));
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void adamAndAdamWFollowTheirUpdateRules() {
        for (boolean decoupled : new boolean[]{false, true}) {
            Tensor p = Tensor.of(new double[]{1.5}, 1).requiresGrad(true);
            Adam opt = decoupled ? Adam.adamW(List.of(p), 0.1, 0.2) : Adam.adam(List.of(p), 0.1, 0.2);
            double[] gradsSeen = new double[3];
            for (int s = 0; s < 3; s++) {
                opt.zeroGrad();
                // L = p^3 -> g = 3 p^2
                gradsSeen[s] = 3 * p.item() * p.item();
                F.sum(F.pow(p, 3)).backward();
                opt.step();
                double[] ref = reference(1.5, java.util.Arrays.copyOf(gradsSeen, s + 1), 0.1, 0.2, decoupled);
                assertEquals(ref[s], p.item(), 1e-14, "step " + (s + 1) + " decoupled=" + decoupled);
            }
        }
    }

    @Test
    void fitsALinearModel() {
        Random r = new Random(5);
        Dense d = new Dense(3, 1, true, r, Backends.cpu(), DType.FLOAT64);
        Tensor x = Tensor.randn(r, 1.0, Backends.cpu(), DType.FLOAT64, 64, 3);
        Tensor y = F.addScalar(F.matmul(x, Tensor.of(new double[]{1, -2, 0.5}, 3, 1)), 0.7);
        Adam opt = Adam.adamW(d.parameters(), 0.05, 0.0);
        double first = 0, last = 0;
        for (int it = 0; it < 300; it++) {
            opt.zeroGrad();
            Tensor loss = Losses.mse(d.forward(x), y);
            if (it == 0) {
                first = loss.item();
            }
            last = loss.item();
            loss.backward();
            opt.step();
        }
        assertTrue(last < 1e-4 * first, "loss " + first + " -> " + last);
    }

    @Test
    void rejectsNonLeafParameters() {
        Tensor p = Tensor.of(new double[]{1}, 1).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> Adam.adam(List.of(F.exp(p)), 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Adam.adam(List.of(p), -1, 0));
    }
}
