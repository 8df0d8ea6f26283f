package org.unite4j.chem.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;

/** Velocity Verlet and BFGS on analytic potentials. */
class VelocityVerletTest {
    /** A harmonic bond between two atoms: E = k (r - r0)^2 / 2 (Eh, bohr). */
    static Potential bond(double k, double r0Bohr, double forceScale) {
        return (m, gradient) -> {
            double[] x = m.positions();
            double[] d = new double[3];
            double r = 0;
            for (int q = 0; q < 3; q++) {
                d[q] = (x[3 + q] - x[q]) * Units.ANGSTROM_IN_BOHR;
                r += d[q] * d[q];
            }
            r = Math.sqrt(r);
            double e = 0.5 * k * (r - r0Bohr) * (r - r0Bohr);
            double[] g = new double[6];
            for (int q = 0; q < 3; q++) {
                double gq = forceScale * k * (r - r0Bohr) * d[q] / r;
                g[3 + q] = gq;
                g[q] = -gq;
            }
            return new Potential.Evaluation(e, g);
        };
    }

    static final Molecule H2 = new Molecule(new int[]{1, 1}, new double[]{0, 0, 0, 0.8, 0.1, 0});

    @Test
    void harmonicBondConservesEnergyAndOscillatesAtItsFrequency() {
        double k = 0.37, r0 = 1.4; // roughly H2
        double[] v0 = new double[6];
        double[] r = new double[201];
        VelocityVerlet.Summary s = VelocityVerlet.run(H2, v0, bond(k, r0, 1.0), 0.1, 200, st -> {
            double[] x = st.molecule().positions();
            double d = 0;
            for (int q = 0; q < 3; q++) d += (x[3 + q] - x[q]) * (x[3 + q] - x[q]);
            r[st.step()] = Math.sqrt(d);
        });
        double e0 = 0.5 * k * Math.pow(Math.hypot(0.8, 0.1) * Units.ANGSTROM_IN_BOHR - r0, 2);
        // velocity Verlet's energy error oscillates with amplitude ~ (omega dt)^2 / 4 = 1.7e-3 here (period 7.6 fs)
        assertTrue(s.maxDeviation() < 3e-3 * e0, "velocity Verlet energy error " + s.maxDeviation() / e0);
        // period 2 pi sqrt(mu / k): the first return to the start distance after a minimum
        double mu = Masses.of(1) / 2 / VelocityVerlet.HARTREE_IN_AMU_A2_PER_FS2 * Units.BOHR_IN_ANGSTROM * Units.BOHR_IN_ANGSTROM;
        double period = 2 * Math.PI * Math.sqrt(mu / k); // fs
        int turn = 1;
        while (!(r[turn] > r[turn - 1] && r[turn - 1] <= r[turn - 2 < 0 ? 0 : turn - 2]) && turn < 200) turn++;
        double halfPeriod = (turn - 1) * 0.1;
        assertEquals(period / 2, halfPeriod, 0.2, "half period (fs)");
        // a force that is not the energy's derivative breaks conservation visibly
        VelocityVerlet.Summary wrong = VelocityVerlet.run(H2, v0, bond(k, r0, 1.05), 0.1, 200, null);
        assertTrue(wrong.maxDeviation() > 10 * s.maxDeviation(), "a 5% force error must show in the drift");
    }

    @Test
    void maxwellBoltzmannHasNoNetMomentumAndTheRightTemperature() {
        int n = 400;
        int[] z = new int[n];
        double[] x = new double[3 * n];
        for (int a = 0; a < n; a++) {
            z[a] = a % 2 == 0 ? 1 : 8;
            x[3 * a] = a;
        }
        Molecule m = new Molecule(z, x);
        double[] v = VelocityVerlet.maxwellBoltzmann(m, 300, 7);
        double[] p = new double[3];
        for (int a = 0; a < n; a++) for (int k = 0; k < 3; k++) p[k] += Masses.of(z[a]) * v[3 * a + k];
        for (double pk : p) assertEquals(0.0, pk, 1e-9);
        double t = 2 * VelocityVerlet.kinetic(m, v) / (3 * n * VelocityVerlet.BOLTZMANN_HARTREE_PER_K);
        assertEquals(300, t, 30, "temperature of 400 atoms");
    }

    @Test
    void bfgsFindsTheBondMinimum() {
        Bfgs.Result r = Bfgs.minimize(H2, bond(0.37, 1.4, 1.0), 1e-6, 50, null);
        double[] x = r.molecule().positions();
        double d = 0;
        for (int q = 0; q < 3; q++) d += (x[3 + q] - x[q]) * (x[3 + q] - x[q]);
        assertEquals(1.4, Math.sqrt(d) * Units.ANGSTROM_IN_BOHR, 1e-5);
        assertTrue(r.maxGradient() < 1e-6 && r.steps() > 0);
    }
}
