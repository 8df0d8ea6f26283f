package org.unite4j.chem.xtb;

import java.util.Locale;

/** The tight-binding Hamiltonians of libxtb that yield orbitals (GFN0 and GFN-FF do not). */
public enum XtbMethod {
    GFN1, GFN2;

    /** Parses "gfn1", "GFN1-xTB", "1", "gfn2", ... (case-insensitive). */
    public static XtbMethod parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT).replace("-xtb", "").replace("gfn", "");
        return switch (t) {
            case "1" -> GFN1;
            case "2" -> GFN2;
            default -> throw new IllegalArgumentException("unknown xtb method '" + s + "' (expected gfn1 or gfn2)");
        };
    }

    /** The value of the {@code xtb --gfn} option. */
    public int level() { return this == GFN1 ? 1 : 2; }

    @Override
    public String toString() { return "GFN" + level() + "-xTB"; }
}
