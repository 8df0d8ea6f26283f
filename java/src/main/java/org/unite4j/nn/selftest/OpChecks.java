package org.unite4j.nn.selftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.BinaryOp;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.UnaryOp;

/**
 * The registry of op checks shared by the unit tests and {@code unite selftest}: every
 * differentiable op with inputs small enough for a full central-difference check.
 */
public final class OpChecks {
    private OpChecks() {
    }

    /** Every registered check: the plain ops, then the equivariant ones. */
    public static List<OpCheck> all() {
        List<OpCheck> all = new ArrayList<>(basic());
        all.addAll(EquivariantChecks.all());
        return all;
    }

    static Tensor randn(Random r, int... shape) {
        return Tensor.randn(r, 1.0, org.unite4j.backend.Backends.cpu(), org.unite4j.backend.DType.FLOAT64, shape);
    }

    /** Values with |x| in [lo, hi] and random sign (or positive only), away from kinks and poles. */
    static Tensor away(Random r, double lo, double hi, boolean positive, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double m = lo + (hi - lo) * r.nextDouble();
            v[i] = positive || r.nextBoolean() ? m : -m;
        }
        return Tensor.of(v, shape);
    }

    private static OpCheck plain(String name, Function<Random, Tensor[]> in, Function<Tensor[], Tensor> fn) {
        return new OpCheck(name, in, fn, null);
    }

    /** Element-wise, reductions, shapes, matmul, gathers, losses. */
    public static List<OpCheck> basic() {
        List<OpCheck> c = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            double p = switch (op) {
                case POW -> 1.7;
                case HUBER -> 0.6;
                case SCALE -> -2.5;
                case ADD_SCALAR -> 0.3;
                default -> 0.0;
            };
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW;
            // HUBER switches at |x| = 0.6: keep inputs on both sides, away from the switch.
            Function<Random, Tensor[]> in = op == UnaryOp.HUBER
                    ? r -> new Tensor[]{F.concat(0, away(r, 0.1, 0.5, false, 6), away(r, 0.7, 2.0, false, 6))}
                    : r -> new Tensor[]{away(r, 0.2, 2.0, positive, 3, 4)};
            c.add(plain("unary." + op.name().toLowerCase(), in, t -> F.unary(op, p, t[0])));
        }
        for (BinaryOp op : BinaryOp.values()) {
            String n = "binary." + op.name().toLowerCase();
            boolean div = op == BinaryOp.DIV;
            c.add(plain(n, r -> new Tensor[]{randn(r, 3, 4), div ? away(r, 0.5, 2, false, 3, 4) : randn(r, 3, 4)},
                    t -> F.binary(op, t[0], t[1])));
            c.add(plain(n + ".broadcast", r -> new Tensor[]{randn(r, 2, 3, 4),
                            div ? away(r, 0.5, 2, false, 3, 1) : randn(r, 3, 1)},
                    t -> F.binary(op, t[0], t[1])));
        }
        c.add(plain("sum.all", r -> new Tensor[]{randn(r, 3, 4)}, t -> F.sum(t[0])));
        c.add(plain("sum.axes", r -> new Tensor[]{randn(r, 2, 3, 4)}, t -> F.sum(t[0], false, 0, 2)));
        c.add(plain("mean.axis", r -> new Tensor[]{randn(r, 3, 4)}, t -> F.mean(t[0], true, 1)));
        c.add(plain("matmul", r -> new Tensor[]{randn(r, 3, 4), randn(r, 4, 5)}, t -> F.matmul(t[0], t[1])));
        c.add(plain("matmul.transposed", r -> new Tensor[]{randn(r, 4, 3), randn(r, 5, 4)},
                t -> F.matmul(t[0], t[1], true, true)));
        c.add(plain("slice", r -> new Tensor[]{randn(r, 3, 5, 2)}, t -> F.slice(t[0], 1, 1, 3)));
        c.add(plain("pad", r -> new Tensor[]{randn(r, 3, 2, 2)}, t -> F.pad(t[0], 1, 1, 4)));
        c.add(plain("concat", r -> new Tensor[]{randn(r, 3, 2), randn(r, 3, 4)}, t -> F.concat(1, t[0], t[1])));
        c.add(plain("reshape", r -> new Tensor[]{randn(r, 3, 4)}, t -> F.mul(F.reshape(t[0], 2, 6),
                F.reshape(t[0], 2, 6))));
        int[] idx = {2, 0, 2, 1, 2};
        c.add(plain("indexSelect", r -> new Tensor[]{randn(r, 3, 4)}, t -> F.indexSelect(t[0], idx)));
        int[] ptr = {0, 2, 2, 5};
        int[] col = {1, 3, 0, 3, 3};
        c.add(plain("gatherSum.csr", r -> new Tensor[]{randn(r, 4, 3)}, t -> F.gatherSum(t[0], ptr, col)));
        c.add(plain("segmentSum", r -> new Tensor[]{randn(r, 5, 3)}, t -> F.segmentSum(t[0], ptr)));
        c.add(plain("segmentMean", r -> new Tensor[]{randn(r, 5, 3)}, t -> F.segmentMean(t[0], ptr)));
        CsrGraph g = CsrGraph.fromEdges(3, new int[]{1, 0, 2, 1}, new int[]{0, 2, 2, 1});
        c.add(plain("scatterToReceivers", r -> new Tensor[]{randn(r, 4, 3)}, t -> F.scatterToReceivers(t[0], g)));
        c.add(plain("gatherSenders", r -> new Tensor[]{randn(r, 3, 3)}, t -> F.gatherSenders(t[0], g)));
        double[][] am = {{0.5, -1.2, 2.0, 0.1}, {1.5, 0.3, -0.7, 0.9}, {-0.4, 0.8, 0.6, -1.1}};
        org.unite4j.autograd.LinearMap lm = new org.unite4j.autograd.LinearMap() {
            public int inSize() { return 4; }

            public int outSize() { return 3; }

            public double[] apply(double[] x) {
                double[] y = new double[3];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) y[i] += am[i][j] * x[j];
                return y;
            }

            public double[] applyTranspose(double[] y) {
                double[] x = new double[4];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) x[j] += am[i][j] * y[i];
                return x;
            }
        };
        // a product of x with a map of x: second derivatives go through the map's transpose
        c.add(plain("linearMap", r -> new Tensor[]{randn(r, 2, 2)}, t -> F.mul(F.linearMap(lm, t[0]),
                F.slice(F.reshape(t[0], 4), 0, 0, 3))));
        c.add(plain("loss.mse", r -> new Tensor[]{randn(r, 6), randn(r, 6)},
                t -> org.unite4j.nn.Losses.mse(t[0], t[1])));
        c.add(plain("loss.l1", r -> new Tensor[]{away(r, 0.2, 2, false, 6), Tensor.of(new double[6], 6)},
                t -> org.unite4j.nn.Losses.l1(t[0], t[1])));
        c.add(plain("loss.huber", r -> new Tensor[]{F.concat(0, away(r, 0.1, 0.8, false, 4),
                        away(r, 1.2, 3, false, 4)), Tensor.of(new double[8], 8)},
                t -> org.unite4j.nn.Losses.huber(t[0], t[1], 1.0)));
        return c;
    }
}
