package org.unite4j.backend;

/**
 * Element-wise functions y = f(x; p) with their derivatives f'(x; p). {@code p} is a constant
 * parameter used by {@link #POW} (y = x^p), {@link #HUBER} (delta), {@link #SCALE} (y = p x) and
 * {@link #ADD_SCALAR} (y = x + p); the others ignore it.
 */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, SQUARE, RECIPROCAL, ABS, SIGMOID, SILU, SOFTPLUS, TANH, POW, HUBER, SCALE,
    ADD_SCALAR;

    /** y = f(x; p). */
    public double apply(double x, double p) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case ABS -> Math.abs(x);
            case SIGMOID -> sigmoid(x);
            case SILU -> x * sigmoid(x);
            // log(1 + e^x) computed without overflow.
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case TANH -> Math.tanh(x);
            case POW -> Math.pow(x, p);
            case HUBER -> Math.abs(x) <= p ? 0.5 * x * x : p * (Math.abs(x) - 0.5 * p);
            case SCALE -> p * x;
            case ADD_SCALAR -> x + p;
        };
    }

    /** f'(x; p). */
    public double derivative(double x, double p) {
        return switch (this) {
            case NEG -> -1.0;
            case EXP -> Math.exp(x);
            case LOG -> 1.0 / x;
            case SQRT -> 0.5 / Math.sqrt(x);
            case SQUARE -> 2.0 * x;
            case RECIPROCAL -> -1.0 / (x * x);
            case ABS -> Math.signum(x);
            case SIGMOID -> {
                double s = sigmoid(x);
                yield s * (1.0 - s);
            }
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1.0 + x * (1.0 - s));
            }
            case SOFTPLUS -> sigmoid(x);
            case TANH -> {
                double t = Math.tanh(x);
                yield 1.0 - t * t;
            }
            case POW -> p == 0.0 ? 0.0 : p * Math.pow(x, p - 1.0);
            case HUBER -> Math.abs(x) <= p ? x : p * Math.signum(x);
            case SCALE -> p;
            case ADD_SCALAR -> 1.0;
        };
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
}
