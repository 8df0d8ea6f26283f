package org.unite4j.chem.dynamics;

import java.util.function.IntConsumer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;

/**
 * Geometry optimisation in Cartesian coordinates (bohr) on a {@link Potential}: quasi-Newton
 * steps p = -H g with the BFGS update of the inverse Hessian
 * H' = (I - rho s y^T) H (I - rho y s^T) + rho s s^T (s = x' - x, y = g' - g, rho = 1 / y.s,
 * skipped unless y.s > 0), H0 = I bohr^2/Eh, each step capped at {@link #MAX_ATOM_STEP_BOHR} per
 * atom, and a backtracking line search on the energy (Armijo condition E' <= E + 1e-4 alpha p.g).
 * Converged when the largest gradient component is below the tolerance. Deterministic: the same
 * start gives the same path bitwise.
 */
public final class Bfgs {
    /** Largest displacement of any atom in one step, in bohr. */
    public static final double MAX_ATOM_STEP_BOHR = 0.3;

    private Bfgs() {
    }

    /**
     * @param molecule    the optimised geometry (Angstrom), name and info of the start kept
     * @param energy      its energy (Hartree)
     * @param maxGradient its largest gradient component (Hartree/bohr)
     * @param steps       accepted steps taken
     */
    public record Result(Molecule molecule, double energy, double maxGradient, int steps) {
    }

    /**
     * Minimises the energy of {@code start} on {@code potential}; {@code step} (may be null) is told
     * the number of accepted steps after each.
     *
     * @param gradientTolerance converged when every gradient component is below this (Hartree/bohr)
     * @throws IllegalStateException naming the molecule when it does not converge in maxSteps
     */
    public static Result minimize(Molecule start, Potential potential, double gradientTolerance, int maxSteps, IntConsumer step) {
        String what = potential.toString();
        int n = 3 * start.size();
        double[] x = start.positions();
        for (int i = 0; i < n; i++) x[i] *= Units.ANGSTROM_IN_BOHR;
        Potential.Evaluation sp = eval(start, x, potential, true);
        double e = sp.energy();
        double[] g = sp.gradient();
        double[] h = identity(n);
        int steps = 0;
        while (maxAbs(g) >= gradientTolerance) {
            if (steps >= maxSteps)
                throw new IllegalStateException(start.name() + " (" + start.formula() + "): " + what
                        + " optimisation did not converge in " + maxSteps + " steps (max gradient "
                        + maxAbs(g) + " Eh/bohr)");
            double[] p = times(h, g, n);
            for (int i = 0; i < n; i++) p[i] = -p[i];
            double slope = dot(p, g);
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                h = identity(n);
                for (int i = 0; i < n; i++) p[i] = -g[i];
                slope = dot(p, g);
            }
            double largest = 0;
            for (int a = 0; a < n; a += 3) largest = Math.max(largest, Math.sqrt(p[a] * p[a] + p[a + 1] * p[a + 1] + p[a + 2] * p[a + 2]));
            if (largest > MAX_ATOM_STEP_BOHR) {
                double f = MAX_ATOM_STEP_BOHR / largest;
                for (int i = 0; i < n; i++) p[i] *= f;
                slope *= f;
            }
            double alpha = 1;
            double[] xNew = new double[n];
            Potential.Evaluation next = null;
            for (int tries = 0; tries < 12; tries++) {
                for (int i = 0; i < n; i++) xNew[i] = x[i] + alpha * p[i];
                Potential.Evaluation trial = eval(start, xNew, potential, false);
                if (trial.energy() <= e + 1e-4 * alpha * slope) {
                    next = trial.gradient() != null ? trial : eval(start, xNew, potential, true);
                    break;
                }
                alpha *= 0.5;
            }
            if (next == null) {
                // The energy no longer decreases along a descent direction: SCC noise floor.
                if (maxAbs(g) < 10 * gradientTolerance) break;
                throw new IllegalStateException(start.name() + " (" + start.formula() + "): " + what
                        + " line search failed at max gradient " + maxAbs(g) + " Eh/bohr");
            }
            double[] s = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = xNew[i] - x[i];
                y[i] = next.gradient()[i] - g[i];
            }
            double ys = dot(y, s);
            if (ys > 1e-12) h = bfgsUpdate(h, s, y, 1 / ys, n);
            x = xNew;
            e = next.energy();
            g = next.gradient();
            steps++;
            if (step != null) step.accept(steps);
        }
        double[] ang = x.clone();
        for (int i = 0; i < n; i++) ang[i] *= Units.BOHR_IN_ANGSTROM;
        return new Result(start.withPositions(ang), e, maxAbs(g), steps);
    }

    private static Potential.Evaluation eval(Molecule template, double[] bohr, Potential potential, boolean gradient) {
        double[] ang = bohr.clone();
        for (int i = 0; i < ang.length; i++) ang[i] *= Units.BOHR_IN_ANGSTROM;
        Potential.Evaluation ev = potential.evaluate(template.withPositions(ang), gradient);
        if (!Double.isFinite(ev.energy()))
            throw new IllegalStateException(template.name() + " (" + template.formula() + "): the energy is " + ev.energy());
        if (gradient && ev.gradient() == null) throw new IllegalStateException(potential + " gave no gradient");
        return ev;
    }

    /** (I - rho s y^T) H (I - rho y s^T) + rho s s^T for a symmetric H. */
    private static double[] bfgsUpdate(double[] h, double[] s, double[] y, double rho, int n) {
        double[] hy = times(h, y, n);
        double yhy = dot(y, hy);
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                out[i * n + j] = h[i * n + j] - rho * (s[i] * hy[j] + hy[i] * s[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
        return out;
    }

    private static double[] identity(int n) {
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) m[i * n + i] = 1;
        return m;
    }

    private static double[] times(double[] m, double[] v, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) sum += m[i * n + j] * v[j];
            out[i] = sum;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) sum += a[i] * b[i];
        return sum;
    }

    public static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) m = Math.max(m, Math.abs(d));
        return m;
    }
}
