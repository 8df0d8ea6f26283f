package org.unite4j.chem;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Physical units used by datasets and results, and conversions between them.
 *
 * <p>Constants: 1 bohr = 0.529177210903 A (CODATA 2018); 1 Eh = 627.509474 kcal/mol =
 * 27.211386 eV = 2625.499639 kJ/mol (1 kcal = 4.184 kJ); 1 D = 0.393430 e*bohr. Each {@link Unit}
 * carries its factor to the base unit of its kind: Hartree (energy), e*bohr (dipole), Angstrom
 * (length), Hartree/bohr (force), so {@code value_base = value * unit.toBase()}.
 *
 * <p>{@link #parse(String)} knows "Eh", "hartree", "Ha", "kcal/mol", "kJ/mol", "eV", "meV",
 * "e*bohr", "e*A", "D" (Debye), "A" (Angstrom), "bohr", "nm", and forces written as
 * ENERGY/LENGTH ("kcal/mol/A", "eV/A", "Eh/bohr"). Case is ignored.
 */
public final class Units {
    private Units() {
    }

    public static final double BOHR_IN_ANGSTROM = 0.529177210903;
    public static final double ANGSTROM_IN_BOHR = 1.0 / BOHR_IN_ANGSTROM;
    public static final double HARTREE_IN_KCAL_MOL = 627.509474;
    public static final double HARTREE_IN_EV = 27.211386;
    public static final double HARTREE_IN_KJ_MOL = HARTREE_IN_KCAL_MOL * 4.184;
    public static final double DEBYE_IN_E_BOHR = 0.393430;

    /** What a unit measures. */
    public enum Kind {
        ENERGY("Eh"), DIPOLE("e*bohr"), LENGTH("A"), FORCE("Eh/bohr");

        private final String base;

        Kind(String base) { this.base = base; }

        /** Symbol of this kind's base unit. */
        public String base() { return base; }
    }

    /** A unit: its canonical symbol, kind, and the factor f with value_base = value * f. */
    public record Unit(String symbol, Kind kind, double toBase) {
        /** value in this unit -> value in the base unit of the kind. */
        public double toBase(double value) { return value * toBase; }

        /** value in the base unit of the kind -> value in this unit. */
        public double fromBase(double value) { return value / toBase; }

        /** The factor f such that x[target] = f * x[this]; the kinds must agree. */
        public double factorTo(Unit target) {
            if (target.kind != kind)
                throw new IllegalArgumentException("cannot convert " + symbol + " (" + kind.name().toLowerCase(Locale.ROOT)
                        + ") to " + target.symbol + " (" + target.kind.name().toLowerCase(Locale.ROOT) + ")");
            return toBase / target.toBase;
        }

        @Override
        public String toString() { return symbol; }
    }

    public static final Unit HARTREE = new Unit("Eh", Kind.ENERGY, 1.0);
    public static final Unit KCAL_MOL = new Unit("kcal/mol", Kind.ENERGY, 1.0 / HARTREE_IN_KCAL_MOL);
    public static final Unit KJ_MOL = new Unit("kJ/mol", Kind.ENERGY, 1.0 / HARTREE_IN_KJ_MOL);
    public static final Unit EV = new Unit("eV", Kind.ENERGY, 1.0 / HARTREE_IN_EV);
    public static final Unit MEV = new Unit("meV", Kind.ENERGY, 1e-3 / HARTREE_IN_EV);
    public static final Unit E_BOHR = new Unit("e*bohr", Kind.DIPOLE, 1.0);
    public static final Unit E_ANGSTROM = new Unit("e*A", Kind.DIPOLE, ANGSTROM_IN_BOHR);
    public static final Unit DEBYE = new Unit("D", Kind.DIPOLE, DEBYE_IN_E_BOHR);
    public static final Unit ANGSTROM = new Unit("A", Kind.LENGTH, 1.0);
    public static final Unit BOHR = new Unit("bohr", Kind.LENGTH, BOHR_IN_ANGSTROM);
    public static final Unit NANOMETER = new Unit("nm", Kind.LENGTH, 10.0);

    private static final Map<String, Unit> NAMED = new LinkedHashMap<>();

    static {
        alias(HARTREE, "Eh", "hartree", "Ha", "Hartree");
        alias(KCAL_MOL, "kcal/mol", "kcal mol-1", "kcal/mole");
        alias(KJ_MOL, "kJ/mol", "kJ mol-1");
        alias(EV, "eV");
        alias(MEV, "meV");
        alias(E_BOHR, "e*bohr", "e*a0", "e bohr", "ebohr");
        alias(E_ANGSTROM, "e*A", "e*Angstrom", "e A", "eA");
        alias(DEBYE, "D", "Debye");
        alias(ANGSTROM, "A", "Angstrom", "Ang", "\u00c5");
        alias(BOHR, "bohr", "a0");
        alias(NANOMETER, "nm");
    }

    private static void alias(Unit u, String... names) {
        for (String n : names) NAMED.put(n.toLowerCase(Locale.ROOT), u);
    }

    /**
     * The unit named by {@code text} (case-insensitive). Forces are ENERGY/LENGTH, e.g.
     * "kcal/mol/A".
     *
     * @throws IllegalArgumentException naming the text and listing the known units
     */
    public static Unit parse(String text) {
        if (text == null) throw new IllegalArgumentException("no unit given; " + known());
        String t = text.strip();
        Unit u = NAMED.get(t.toLowerCase(Locale.ROOT));
        if (u != null) return u;
        int slash = t.lastIndexOf('/');
        if (slash > 0) {
            Unit e = NAMED.get(t.substring(0, slash).strip().toLowerCase(Locale.ROOT));
            Unit l = NAMED.get(t.substring(slash + 1).strip().toLowerCase(Locale.ROOT));
            if (e != null && l != null && e.kind() == Kind.ENERGY && l.kind() == Kind.LENGTH)
                return new Unit(e.symbol() + "/" + l.symbol(), Kind.FORCE, e.toBase() / (l.toBase() * ANGSTROM_IN_BOHR));
        }
        throw new IllegalArgumentException("unknown unit '" + text + "'; " + known());
    }

    /** Like {@link #parse(String)} but also checks the kind. */
    public static Unit parse(String text, Kind expected) {
        Unit u = parse(text);
        if (u.kind() != expected)
            throw new IllegalArgumentException("'" + text + "' is a unit of " + u.kind().name().toLowerCase(Locale.ROOT)
                    + ", expected a unit of " + expected.name().toLowerCase(Locale.ROOT) + "; " + known());
        return u;
    }

    /** Converts value from one unit to another of the same kind. */
    public static double convert(double value, Unit from, Unit to) {
        return value * from.factorTo(to);
    }

    /** Converts value between units given by name, e.g. convert(1, "Eh", "kcal/mol"). */
    public static double convert(double value, String from, String to) {
        return convert(value, parse(from), parse(to));
    }

    static String known() {
        return "known units: energy Eh (hartree), kcal/mol, kJ/mol, eV, meV; dipole e*bohr, e*A, D (Debye); "
                + "length A (Angstrom), bohr, nm; force ENERGY/LENGTH such as kcal/mol/A, eV/A, Eh/bohr";
    }
}
