package org.unite4j.bench;

/**
 * Least-squares power law t = a n^k fitted as the straight line log t = log a + k log n:
 * <pre>
 *   k = sum (u_i - ubar)(v_i - vbar) / sum (u_i - ubar)^2,   log a = vbar - k ubar,
 *   r^2 = 1 - sum (v_i - log a - k u_i)^2 / sum (v_i - vbar)^2,     u = ln n, v = ln t.
 * </pre>
 *
 * @param exponent  k
 * @param prefactor a
 * @param r2        coefficient of determination of the line in log-log space (1 when all t are equal and fitted exactly)
 * @param points    number of points fitted
 */
public record LogLogFit(double exponent, double prefactor, double r2, int points) {

    /** Fits y = a x^k; x and y must be finite and positive, with at least two distinct x. */
    public static LogLogFit fit(double[] x, double[] y) {
        if (x.length != y.length)
            throw new IllegalArgumentException("log-log fit: " + x.length + " x values but " + y.length + " y values");
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("log-log fit needs at least 2 points, got " + n);
        double[] u = new double[n], v = new double[n];
        double ub = 0, vb = 0;
        for (int i = 0; i < n; i++) {
            if (!(x[i] > 0) || !(y[i] > 0) || !Double.isFinite(x[i]) || !Double.isFinite(y[i]))
                throw new IllegalArgumentException("log-log fit: point " + i + " (" + x[i] + ", " + y[i] + ") is not finite and positive");
            u[i] = Math.log(x[i]);
            v[i] = Math.log(y[i]);
            ub += u[i];
            vb += v[i];
        }
        ub /= n;
        vb /= n;
        double suu = 0, suv = 0, svv = 0;
        for (int i = 0; i < n; i++) {
            suu += (u[i] - ub) * (u[i] - ub);
            suv += (u[i] - ub) * (v[i] - vb);
            svv += (v[i] - vb) * (v[i] - vb);
        }
        if (suu == 0) throw new IllegalArgumentException("log-log fit: all " + n + " x values are equal (" + x[0] + ")");
        double k = suv / suu, b = vb - k * ub;
        double res = 0;
        for (int i = 0; i < n; i++) {
            double r = v[i] - b - k * u[i];
            res += r * r;
        }
        double r2 = svv == 0 ? (res == 0 ? 1.0 : 0.0) : 1 - res / svv;
        return new LogLogFit(k, Math.exp(b), r2, n);
    }

    /** a x^k. */
    public double predict(double x) {
        return prefactor * Math.pow(x, exponent);
    }
}
