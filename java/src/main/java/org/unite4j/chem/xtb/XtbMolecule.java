package org.unite4j.chem.xtb;

import org.unite4j.bindings.xtb.xtb_h;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Molecular structure data of libxtb ({@code xtb_TMolecule}), non-periodic. Inputs are checked
 * before they reach the library, because libxtb silently computes nonsense or kills the process
 * on some of them: atomic numbers outside 1..86, non-finite coordinates, two atoms closer than
 * {@link #MIN_DISTANCE_ANGSTROM}, more unpaired electrons than electrons or a parity mismatch.
 */
public final class XtbMolecule implements AutoCloseable {
    /** Shortest interatomic distance accepted, in Angstrom. */
    public static final double MIN_DISTANCE_ANGSTROM = 0.1;
    /** 1 bohr in Angstrom (CODATA 2018). */
    public static final double BOHR_ANGSTROM = 0.529177210903;

    private final XtbEnvironment env;
    private final int natoms;
    private final int[] z;
    private final int charge, unpaired;
    private final XtbMethod method;
    private MemorySegment handle;

    /**
     * @param z          atomic numbers
     * @param bohr       positions in bohr, flat [x0, y0, z0, x1, ...]
     * @param charge     total charge in e
     * @param unpaired   number of unpaired electrons (multiplicity - 1)
     * @param method     the Hamiltonian this molecule will be used with (for the element check)
     */
    public XtbMolecule(XtbEnvironment env, int[] z, double[] bohr, int charge, int unpaired, XtbMethod method) {
        validate(z, bohr, charge, unpaired, method);
        this.env = env;
        this.natoms = z.length;
        this.z = z.clone();
        this.charge = charge;
        this.unpaired = unpaired;
        this.method = method;
        var arena = env.arena;
        MemorySegment n = arena.allocateFrom(ValueLayout.JAVA_INT, z.length);
        MemorySegment num = arena.allocateFrom(ValueLayout.JAVA_INT, z);
        MemorySegment pos = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, bohr);
        MemorySegment chg = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, (double) charge);
        MemorySegment uhf = arena.allocateFrom(ValueLayout.JAVA_INT, unpaired);
        handle = xtb_h.xtb_newMolecule(env.handle(), n, num, pos, chg, uhf, MemorySegment.NULL, MemorySegment.NULL);
        if (env.hasError() || handle.equals(MemorySegment.NULL)) {
            String msg = env.takeError();
            XtbEnvironment.delete(handle, xtb_h::xtb_delMolecule);
            handle = null;
            throw new XtbException("xtb_newMolecule failed: " + (msg.isEmpty() ? "NULL handle" : msg));
        }
    }

    /** From a {@link Molecule} (Angstrom), with its charge and multiplicity. */
    public XtbMolecule(XtbEnvironment env, Molecule m, XtbMethod method) {
        this(env, m.atomicNumbers(), toBohr(m.positions()), m.charge(), m.multiplicity() - 1, method);
    }

    static double[] toBohr(double[] angstrom) {
        double[] b = new double[angstrom.length];
        for (int i = 0; i < b.length; i++) b[i] = angstrom[i] / BOHR_ANGSTROM;
        return b;
    }

    /** Checks what libxtb would not handle safely; throws IllegalArgumentException naming the atom. */
    public static void validate(int[] z, double[] bohr, int charge, int unpaired, XtbMethod method) {
        if (z.length == 0) throw new IllegalArgumentException("molecule has no atoms");
        if (bohr.length != 3 * z.length)
            throw new IllegalArgumentException("expected " + 3 * z.length + " coordinates, got " + bohr.length);
        int valence = -charge;
        for (int i = 0; i < z.length; i++) {
            if (z[i] < 1 || z[i] > XtbBasisSet.MAX_Z) {
                try {
                    XtbBasisSet.checkElement(z[i], method);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("atom " + (i + 1) + ": " + e.getMessage());
                }
            }
            valence += XtbBasisSet.valenceElectrons(z[i]);
            for (int k = 0; k < 3; k++)
                if (!Double.isFinite(bohr[3 * i + k]))
                    throw new IllegalArgumentException("atom " + (i + 1) + " (" + Elements.symbol(z[i]) + "): coordinate "
                            + "xyz".charAt(k) + " is " + bohr[3 * i + k]);
        }
        double min2 = Math.pow(MIN_DISTANCE_ANGSTROM / BOHR_ANGSTROM, 2);
        for (int i = 0; i < z.length; i++)
            for (int j = 0; j < i; j++) {
                double dx = bohr[3 * i] - bohr[3 * j], dy = bohr[3 * i + 1] - bohr[3 * j + 1], dz = bohr[3 * i + 2] - bohr[3 * j + 2];
                double d2 = dx * dx + dy * dy + dz * dz;
                if (d2 < min2)
                    throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                            "atoms %d (%s) and %d (%s) are %.4f Angstrom apart (closer than %.1f Angstrom)",
                            j + 1, Elements.symbol(z[j]), i + 1, Elements.symbol(z[i]),
                            Math.sqrt(d2) * BOHR_ANGSTROM, MIN_DISTANCE_ANGSTROM));
            }
        if (valence < 0)
            throw new IllegalArgumentException("charge " + charge + " leaves " + valence + " valence electrons");
        if (unpaired < 0 || unpaired > valence || (valence - unpaired) % 2 != 0)
            throw new IllegalArgumentException("spin multiplicity " + (unpaired + 1) + " is impossible with " + valence
                    + " valence electrons (charge " + charge + "); give the molecule's charge and multiplicity"
                    + " (extxyz comment line: charge=... multiplicity=...)");
    }

    public int size() { return natoms; }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("xtb molecule is closed");
        return handle;
    }

    /** Replaces the positions (bohr), keeping atoms, charge and spin. */
    public void updatePositions(double[] bohr) {
        validate(z, bohr, charge, unpaired, method);
        MemorySegment pos = env.arena.allocateFrom(ValueLayout.JAVA_DOUBLE, bohr);
        xtb_h.xtb_updateMolecule(env.handle(), handle(), pos, MemorySegment.NULL);
        env.check("xtb_updateMolecule");
    }

    @Override
    public void close() {
        XtbEnvironment.delete(handle, xtb_h::xtb_delMolecule);
        handle = null;
    }
}
