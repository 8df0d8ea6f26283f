package org.unite4j.nn.selftest;

import java.util.Random;
import java.util.function.Function;
import org.unite4j.autograd.Tensor;

/**
 * One op as the self-test and the unit tests exercise it: a generator of float64 CPU inputs, the
 * op itself (a function of tensors, run on whatever backend the inputs live on), and, for
 * equivariant ops, how inputs and output transform under an orthogonal 3x3 matrix Q.
 *
 * @param name         stable identifier printed in the JSON report
 * @param inputs       float64 CPU inputs from a seeded generator (all differentiable)
 * @param fn           the op
 * @param equivariance null for ops that are not equivariant
 */
public record OpCheck(String name, Function<Random, Tensor[]> inputs, Function<Tensor[], Tensor> fn,
                      Equivariance equivariance) {

    /** How an equivariant op's inputs and output transform under an orthogonal matrix Q. */
    public interface Equivariance {
        Tensor[] transformInputs(double[][] q, Tensor[] inputs);

        Tensor transformOutput(double[][] q, Tensor output);
    }
}
