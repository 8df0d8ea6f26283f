package org.unite4j.chem.dynamics;

import java.util.Random;
import java.util.function.Consumer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;

/**
 * NVE molecular dynamics by velocity Verlet on a {@link Potential}, positions in Angstrom,
 * velocities in Angstrom/fs, time in fs:
 * <pre>
 *   x(t + dt) = x + v dt + a dt^2 / 2,   v(t + dt) = v + (a(t) + a(t + dt)) dt / 2,   a = -grad E / m
 * </pre>
 * The total energy E_pot + E_kin is conserved up to O(dt^2) fluctuations when the forces are
 * exactly minus the gradient of the energy; its drift is the standard check of that.
 */
public final class VelocityVerlet {
    /** One dalton * (Angstrom/fs)^2 in kJ/mol: m_u N_A 1e7. */
    public static final double AMU_A2_PER_FS2_IN_KJ_MOL = 1.66053906660e-27 * 6.02214076e23 * 1e7;
    /** One Hartree in dalton * (Angstrom/fs)^2. */
    public static final double HARTREE_IN_AMU_A2_PER_FS2 = Units.HARTREE_IN_KJ_MOL / AMU_A2_PER_FS2_IN_KJ_MOL;
    /** The Boltzmann constant, Hartree/K. */
    public static final double BOLTZMANN_HARTREE_PER_K = 3.166811563e-6;

    private VelocityVerlet() {
    }

    /**
     * The state after a step.
     *
     * @param potential Hartree
     * @param kinetic   Hartree
     * @param velocities Angstrom/fs, flat [atom][3]
     * @param gradient  dE/dR, Hartree/bohr
     */
    public record State(int step, double timeFs, Molecule molecule, double potential, double kinetic, double[] velocities,
                        double[] gradient) {
        public double total() { return potential + kinetic; }

        /** Instantaneous temperature 2 E_kin / (3 N k_B), K (no constraint removed). */
        public double temperature() {
            return 2 * kinetic / (3 * molecule.size() * BOLTZMANN_HARTREE_PER_K);
        }
    }

    /**
     * The run's energy conservation: max |E_tot(t) - E_tot(0)| and the slope of a least-squares
     * line through E_tot(t), both in Hartree (per ps for the slope).
     */
    public record Summary(int steps, double timeFs, double maxDeviation, double driftPerPs, double meanTemperature) {
    }

    /**
     * Velocities of temperature T from the Maxwell-Boltzmann distribution (seeded), with the
     * centre-of-mass motion removed, Angstrom/fs.
     */
    public static double[] maxwellBoltzmann(Molecule m, double temperatureK, long seed) {
        if (!(temperatureK >= 0)) throw new IllegalArgumentException("temperature must be >= 0 K, got " + temperatureK);
        Random r = new Random(seed);
        int n = m.size();
        double[] v = new double[3 * n], p = new double[3];
        double mass = 0;
        for (int a = 0; a < n; a++) {
            double ma = Masses.of(m.atomicNumber(a));
            double sigma = Math.sqrt(BOLTZMANN_HARTREE_PER_K * temperatureK * HARTREE_IN_AMU_A2_PER_FS2 / ma);
            for (int k = 0; k < 3; k++) {
                v[3 * a + k] = sigma * r.nextGaussian();
                p[k] += ma * v[3 * a + k];
            }
            mass += ma;
        }
        for (int a = 0; a < n; a++)
            for (int k = 0; k < 3; k++) v[3 * a + k] -= p[k] / mass;
        return v;
    }

    /** Kinetic energy of velocities v (Angstrom/fs), Hartree. */
    public static double kinetic(Molecule m, double[] v) {
        double s = 0;
        for (int a = 0; a < m.size(); a++) {
            double ma = Masses.of(m.atomicNumber(a));
            for (int k = 0; k < 3; k++) s += 0.5 * ma * v[3 * a + k] * v[3 * a + k];
        }
        return s / HARTREE_IN_AMU_A2_PER_FS2;
    }

    /**
     * Runs {@code steps} steps of {@code dtFs} from {@code start} with velocities v0; {@code sink}
     * (may be null) receives the initial state and every state after a step.
     */
    public static Summary run(Molecule start, double[] v0, Potential potential, double dtFs, int steps, Consumer<State> sink) {
        if (!(dtFs > 0 && dtFs <= 10)) throw new IllegalArgumentException("time step must be in (0, 10] fs, got " + dtFs);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        int n = start.size();
        if (v0.length != 3 * n) throw new IllegalArgumentException(v0.length + " velocity components for " + n + " atoms");
        double[] invMass = new double[n];
        for (int a = 0; a < n; a++) invMass[a] = 1.0 / Masses.of(start.atomicNumber(a));
        double[] x = start.positions(), v = v0.clone();
        Potential.Evaluation ev = evaluate(potential, start);
        double[] acc = acceleration(ev.gradient(), invMass);
        State s0 = new State(0, 0, start, ev.energy(), kinetic(start, v), v.clone(), ev.gradient());
        if (sink != null) sink.accept(s0);
        double e0 = s0.total(), maxDev = 0, st = 0, stt = 0, se = 0, ste = 0, temp = s0.temperature();
        Molecule m = start;
        for (int step = 1; step <= steps; step++) {
            for (int i = 0; i < x.length; i++) x[i] += v[i] * dtFs + 0.5 * acc[i] * dtFs * dtFs;
            m = start.withPositions(x);
            ev = evaluate(potential, m);
            double[] next = acceleration(ev.gradient(), invMass);
            for (int i = 0; i < v.length; i++) v[i] += 0.5 * (acc[i] + next[i]) * dtFs;
            acc = next;
            State s = new State(step, step * dtFs, m, ev.energy(), kinetic(m, v), v.clone(), ev.gradient());
            if (sink != null) sink.accept(s);
            double dev = s.total() - e0, t = s.timeFs() / 1000.0;
            maxDev = Math.max(maxDev, Math.abs(dev));
            st += t;
            stt += t * t;
            se += dev;
            ste += t * dev;
            temp += s.temperature();
        }
        int cnt = steps;
        double slope = (cnt * ste - st * se) / (cnt * stt - st * st);
        if (steps == 1) slope = se / st;
        return new Summary(steps, steps * dtFs, maxDev, slope, temp / (steps + 1));
    }

    private static Potential.Evaluation evaluate(Potential p, Molecule m) {
        Potential.Evaluation ev = p.evaluate(m, true);
        if (ev.gradient() == null) throw new IllegalStateException(p + " gave no gradient");
        for (double g : ev.gradient())
            if (!Double.isFinite(g)) throw new IllegalStateException(m.formula() + ": non-finite force during dynamics");
        return ev;
    }

    /** a = -grad E / m in Angstrom/fs^2 from a gradient in Hartree/bohr. */
    private static double[] acceleration(double[] gradient, double[] invMass) {
        double f = Units.ANGSTROM_IN_BOHR * HARTREE_IN_AMU_A2_PER_FS2; // Eh/bohr -> amu A/fs^2 per amu
        double[] a = new double[gradient.length];
        for (int i = 0; i < a.length; i++) a[i] = -gradient[i] * f * invMass[i / 3];
        return a;
    }
}
