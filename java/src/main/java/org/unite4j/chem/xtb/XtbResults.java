package org.unite4j.chem.xtb;

import org.unite4j.bindings.xtb.xtb_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Results of a single point ({@code xtb_TResults}), in libxtb's units (Hartree, bohr) and AO order.
 * Every getter copies into a fresh Java array.
 */
public final class XtbResults implements AutoCloseable {
    private final XtbEnvironment env;
    private final int natoms;
    private MemorySegment handle;

    XtbResults(XtbEnvironment env, int natoms) {
        this.env = env;
        this.natoms = natoms;
        handle = xtb_h.xtb_newResults();
        if (handle.equals(MemorySegment.NULL)) throw new XtbException("xtb_newResults returned NULL");
    }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("xtb results are closed");
        return handle;
    }

    private interface Getter {
        void get(MemorySegment env, MemorySegment res, MemorySegment out);
    }

    private double[] doubles(Getter g, int n, String what) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_DOUBLE, Math.max(n, 1));
            g.get(env.handle(), handle(), out);
            env.check(what);
            double[] v = out.toArray(ValueLayout.JAVA_DOUBLE);
            return n == v.length ? v : java.util.Arrays.copyOf(v, n);
        }
    }

    /** Total energy in Hartree. */
    public double energy() { return doubles(xtb_h::xtb_getEnergy, 1, "xtb_getEnergy")[0]; }

    /** Energy gradient in Hartree/bohr, flat [natoms][3]. */
    public double[] gradient() { return doubles(xtb_h::xtb_getGradient, 3 * natoms, "xtb_getGradient"); }

    /** Dipole moment in e*bohr. */
    public double[] dipole() { return doubles(xtb_h::xtb_getDipole, 3, "xtb_getDipole"); }

    /** Partial (Mulliken) charges in e. */
    public double[] charges() { return doubles(xtb_h::xtb_getCharges, natoms, "xtb_getCharges"); }

    /** Wiberg bond orders, flat [natoms][natoms]. */
    public double[] bondOrders() { return doubles(xtb_h::xtb_getBondOrders, natoms * natoms, "xtb_getBondOrders"); }

    /** Number of atomic orbitals (basis functions). */
    public int nao() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            xtb_h.xtb_getNao(env.handle(), handle(), out);
            env.check("xtb_getNao");
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Orbital energies in Hartree, [nao]. */
    public double[] orbitalEigenvalues() { return doubles(xtb_h::xtb_getOrbitalEigenvalues, nao(), "xtb_getOrbitalEigenvalues"); }

    /** Orbital occupations (0..2, both spins), [nao]. */
    public double[] orbitalOccupations() { return doubles(xtb_h::xtb_getOrbitalOccupations, nao(), "xtb_getOrbitalOccupations"); }

    /**
     * Orbital coefficients in Fortran order: element {@code [mo * nao + ao]} is C(ao, mo), in xtb's
     * AO order (see {@link XtbBasisSet}).
     */
    public double[] orbitalCoefficients() {
        int n = nao();
        return doubles(xtb_h::xtb_getOrbitalCoefficients, n * n, "xtb_getOrbitalCoefficients");
    }

    @Override
    public void close() {
        XtbEnvironment.delete(handle, xtb_h::xtb_delResults);
        handle = null;
    }
}
