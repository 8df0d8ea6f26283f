package org.unite4j.chem;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Chemical element symbols and atomic numbers (Z = 1..118). */
public final class Elements {
    private static final String[] SYMBOLS = {"",
            "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
            "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
            "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
            "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
            "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
            "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
            "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};
    private static final Map<String, Integer> BY_SYMBOL = new HashMap<>();

    static {
        for (int z = 1; z < SYMBOLS.length; z++) BY_SYMBOL.put(SYMBOLS[z].toLowerCase(Locale.ROOT), z);
    }

    private Elements() {
    }

    public static final int MAX_Z = SYMBOLS.length - 1;

    /** The symbol of atomic number z, e.g. 6 -> "C". */
    public static String symbol(int z) {
        if (z < 1 || z > MAX_Z) throw new IllegalArgumentException("no element with atomic number " + z);
        return SYMBOLS[z];
    }

    /**
     * The atomic number of an element symbol (case-insensitive, "C", "cl") or of a number written
     * as text ("6").
     *
     * @throws IllegalArgumentException naming the symbol if it is not an element
     */
    public static int number(String symbolOrNumber) {
        String s = symbolOrNumber.strip();
        if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
            try {
                int z = Integer.parseInt(s);
                if (z >= 1 && z <= MAX_Z) return z;
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IllegalArgumentException("unknown element '" + symbolOrNumber + "'");
        }
        Integer z = BY_SYMBOL.get(s.toLowerCase(Locale.ROOT));
        if (z == null) throw new IllegalArgumentException("unknown element symbol '" + symbolOrNumber + "'");
        return z;
    }
}
