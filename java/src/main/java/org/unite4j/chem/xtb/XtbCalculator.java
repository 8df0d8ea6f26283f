package org.unite4j.chem.xtb;

import org.unite4j.bindings.xtb.xtb_h;

import java.lang.foreign.MemorySegment;

/**
 * A single-point calculator of libxtb ({@code xtb_TCalculator}) loaded with GFN1- or GFN2-xTB
 * parameters (built into the library) for one molecule.
 */
public final class XtbCalculator implements AutoCloseable {
    private final XtbEnvironment env;
    private final XtbMethod method;
    private MemorySegment handle;

    public XtbCalculator(XtbEnvironment env, XtbMolecule mol, XtbMethod method) {
        this.env = env;
        this.method = method;
        handle = xtb_h.xtb_newCalculator();
        if (handle.equals(MemorySegment.NULL)) throw new XtbException("xtb_newCalculator returned NULL");
        try {
            if (LOADED.contains(method)) {
                load(env, mol, method, handle);
            } else {
                synchronized (FIRST_LOAD) { // see FIRST_LOAD
                    load(env, mol, method, handle);
                    LOADED.add(method);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * libxtb fills some module-level tables on the first load of a method and never frees them,
     * guarded only by {@code if (.not.allocated(...))}: GFN1's D3 reference C6 coefficients
     * ({@code reference_c6}, copied in {@code initDispersion}). Two threads loading at once can
     * both see the table unallocated, and the second allocation stops the whole process
     * ("Fortran runtime error: Attempting to allocate already allocated variable 'c6ab'", exit
     * code 2; seen once in a parallel featurization). The first load of each method in the process
     * therefore runs alone; later loads find the tables and run in parallel.
     */
    private static final Object FIRST_LOAD = new Object();
    private static final java.util.Set<XtbMethod> LOADED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static void load(XtbEnvironment env, XtbMolecule mol, XtbMethod method, MemorySegment handle) {
        switch (method) {
            case GFN1 -> xtb_h.xtb_loadGFN1xTB(env.handle(), mol.handle(), handle, MemorySegment.NULL);
            case GFN2 -> xtb_h.xtb_loadGFN2xTB(env.handle(), mol.handle(), handle, MemorySegment.NULL);
        }
        env.check("loading " + method + " parameters");
    }

    public XtbMethod method() { return method; }

    MemorySegment handle() {
        if (handle == null) throw new IllegalStateException("xtb calculator is closed");
        return handle;
    }

    /** Numerical accuracy, 1e-4..1e3 (libxtb's default 1; smaller is tighter). */
    public void setAccuracy(double accuracy) {
        if (!(accuracy >= 1e-4 && accuracy <= 1e3)) throw new IllegalArgumentException("accuracy must be in [1e-4, 1e3], got " + accuracy);
        xtb_h.xtb_setAccuracy(env.handle(), handle(), accuracy);
        env.check("xtb_setAccuracy");
    }

    /** Maximum number of SCC iterations (libxtb's default 250). */
    public void setMaxIterations(int n) {
        if (n < 1) throw new IllegalArgumentException("max iterations must be >= 1, got " + n);
        xtb_h.xtb_setMaxIter(env.handle(), handle(), n);
        env.check("xtb_setMaxIter");
    }

    /** Electronic temperature for Fermi smearing in K (libxtb's default 300 K). */
    public void setElectronicTemperature(double kelvin) {
        if (!(kelvin >= 0 && kelvin < 1e5)) throw new IllegalArgumentException("electronic temperature must be in [0, 1e5) K, got " + kelvin);
        xtb_h.xtb_setElectronicTemp(env.handle(), handle(), kelvin);
        env.check("xtb_setElectronicTemp");
    }

    /** Runs the single point; throws {@link XtbException} (e.g. SCF not converged) with libxtb's message. */
    public XtbResults singlepoint(XtbMolecule mol) {
        XtbResults res = new XtbResults(env, mol.size());
        try {
            xtb_h.xtb_singlepoint(env.handle(), mol.handle(), handle(), res.handle());
            env.check(method + " single point");
            return res;
        } catch (RuntimeException e) {
            res.close();
            throw e;
        }
    }

    @Override
    public void close() {
        XtbEnvironment.delete(handle, xtb_h::xtb_delCalculator);
        handle = null;
    }
}
