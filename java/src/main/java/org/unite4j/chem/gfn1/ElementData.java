package org.unite4j.chem.gfn1;

/**
 * Element tables that GFN1-xTB takes from the literature rather than from its parameter file,
 * for Z = 1..86, and the unit constants of the xtb program (which differ from CODATA 2018 in the
 * eighth digit and must be used for the method's own tables to reproduce it).
 */
final class ElementData {
    private ElementData() {
    }

    /** Highest atomic number of the tables (Rn). */
    static final int MAX_Z = 86;

    /** xtb's bohr in Angstrom, used for every radius table below. */
    static final double XTB_BOHR_ANGSTROM = 0.52917726;
    /** xtb's Hartree in eV, used for every level in the parameter file. */
    static final double XTB_HARTREE_EV = 27.21138505;
    /** Boltzmann constant in Hartree per kelvin (xtb's value). */
    static final double KB_HARTREE_PER_K = 3.166808578545117e-06;

    /** Pauling electronegativities (as tabulated in xtb and mctc-lib), Z = 1..86. */
    private static final double[] PAULING_EN = {
            2.20, 3.00,
            0.98, 1.57, 2.04, 2.55, 3.04, 3.44, 3.98, 4.50,
            0.93, 1.31, 1.61, 1.90, 2.19, 2.58, 3.16, 3.50,
            0.82, 1.00, 1.36, 1.54, 1.63, 1.66, 1.55, 1.83, 1.88, 1.91, 1.90, 1.65, 1.81, 2.01, 2.18, 2.55, 2.96, 3.00,
            0.82, 0.95, 1.22, 1.33, 1.60, 2.16, 1.90, 2.20, 2.28, 2.20, 1.93, 1.69, 1.78, 1.96, 2.05, 2.10, 2.66, 2.60,
            0.79, 0.89, 1.10, 1.12, 1.13, 1.14, 1.15, 1.17, 1.18, 1.20, 1.21, 1.22, 1.23, 1.24, 1.25, 1.26,
            1.27, 1.30, 1.50, 2.36, 1.90, 2.20, 2.20, 2.28, 2.54, 2.00, 1.62, 2.33, 2.02, 2.00, 2.20, 2.20,
    };

    /** Atomic radii (Angstrom) of the H0 distance polynomial, as tabulated in xtb, Z = 1..86. */
    private static final double[] ATOMIC_RADIUS = {
            0.32, 0.37, 1.30, 0.99, 0.84, 0.75, 0.71, 0.64, 0.60, 0.62, 1.60, 1.40, 1.24, 1.14, 1.09, 1.04,
            1.00, 1.01, 2.00, 1.74, 1.59, 1.48, 1.44, 1.30, 1.29, 1.24, 1.18, 1.17, 1.22, 1.20, 1.23, 1.20,
            1.20, 1.18, 1.17, 1.16, 2.15, 1.90, 1.76, 1.64, 1.56, 1.46, 1.38, 1.36, 1.34, 1.30, 1.36, 1.40,
            1.42, 1.40, 1.40, 1.37, 1.36, 1.36, 2.38, 2.06, 1.94, 1.84, 1.90, 1.88, 1.86, 1.85, 1.83, 1.82,
            1.81, 1.80, 1.79, 1.77, 1.77, 1.78, 1.74, 1.64, 1.58, 1.50, 1.41, 1.36, 1.32, 1.30, 1.30, 1.32,
            1.44, 1.45, 1.50, 1.42, 1.48, 1.46,
    };

    /**
     * Single-bond covalent radii (Angstrom) of Pyykko and Atsumi, Chem. Eur. J. 15, 186 (2009), as
     * used by DFT-D3 (metals reduced by 10 %); the coordination number scales them by 4/3.
     */
    private static final double[] COVALENT_RADIUS = {
            0.32, 0.46,
            1.20, 0.94, 0.77, 0.75, 0.71, 0.63, 0.64, 0.67,
            1.40, 1.25, 1.13, 1.04, 1.10, 1.02, 0.99, 0.96,
            1.76, 1.54, 1.33, 1.22, 1.21, 1.10, 1.07, 1.04, 1.00, 0.99, 1.01, 1.09, 1.12, 1.09, 1.15, 1.10, 1.14, 1.17,
            1.89, 1.67, 1.47, 1.39, 1.32, 1.24, 1.15, 1.13, 1.13, 1.08, 1.15, 1.23, 1.28, 1.26, 1.26, 1.23, 1.32, 1.31,
            2.09, 1.76, 1.62, 1.47, 1.58, 1.57, 1.56, 1.55, 1.51, 1.52, 1.51, 1.50, 1.49, 1.49, 1.48, 1.53,
            1.46, 1.37, 1.31, 1.23, 1.18, 1.16, 1.11, 1.12, 1.13, 1.32, 1.30, 1.30, 1.36, 1.31, 1.38, 1.42,
    };

    static double paulingEn(int z) { return PAULING_EN[z - 1]; }

    /** Atomic radius of the H0 polynomial, bohr. */
    static double atomicRadiusBohr(int z) { return ATOMIC_RADIUS[z - 1] / XTB_BOHR_ANGSTROM; }

    /** D3 covalent radius (4/3 of Pyykko's), bohr. */
    static double covalentRadiusD3Bohr(int z) { return COVALENT_RADIUS[z - 1] / XTB_BOHR_ANGSTROM * 4.0 / 3.0; }

    /**
     * The GFN1 coordination-number class of an element (xtb's table): 1 for H, He, C..Ne, Si..Ar,
     * Ge..Kr, Sn..Xe and Pb..Rn, 2 for Sc..Cr, 0 (no CN shift of the levels) for the others.
     */
    static int cnKind(int z) {
        return CN_KIND[z - 1];
    }

    private static final int[] CN_KIND = {
            1, 1,
            0, 0, 0, 1, 1, 1, 1, 1,
            0, 0, 0, 1, 1, 1, 1, 1,
            0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1,
    };

    static {
        for (double[] t : new double[][]{PAULING_EN, ATOMIC_RADIUS, COVALENT_RADIUS})
            if (t.length != 86) throw new AssertionError("element table of length " + t.length);
        if (CN_KIND.length != 86) throw new AssertionError("CN_KIND length " + CN_KIND.length);
    }
}
