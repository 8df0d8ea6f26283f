package org.unite4j.autograd;

/**
 * A constant linear map y = A x between flat vectors, given by its action and that of its
 * transpose (host arrays), for {@link F#linearMap}: a Jacobian contracted with a gradient, say,
 * whose matrix is too large or too structured to store as a tensor.
 */
public interface LinearMap {
    int inSize();

    int outSize();

    /** A x, x of length {@link #inSize()}. */
    double[] apply(double[] x);

    /** A^T y, y of length {@link #outSize()}. */
    double[] applyTranspose(double[] y);

    /** A^T as a map. */
    default LinearMap transpose() {
        LinearMap a = this;
        return new LinearMap() {
            public int inSize() { return a.outSize(); }

            public int outSize() { return a.inSize(); }

            public double[] apply(double[] x) { return a.applyTranspose(x); }

            public double[] applyTranspose(double[] y) { return a.apply(y); }

            public LinearMap transpose() { return a; }
        };
    }
}
