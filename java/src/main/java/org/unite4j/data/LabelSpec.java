package org.unite4j.data;

import org.unite4j.chem.Units;

/**
 * A label key with the unit it is stored in, as written on the command line: {@code KEY:UNIT},
 * e.g. {@code energy_pbe0_atomization_kcalmol:kcal/mol} or {@code mu:e*bohr}. The unit is the
 * text after the last ':' and must be one {@link Units#parse(String)} knows.
 */
public record LabelSpec(String key, Units.Unit unit) {

    public LabelSpec {
        if (key == null || key.isBlank()) throw new IllegalArgumentException("label key is empty");
        if (unit == null) throw new IllegalArgumentException("label '" + key + "' has no unit");
    }

    /** Parses KEY:UNIT. */
    public static LabelSpec parse(String text) {
        int c = text == null ? -1 : text.lastIndexOf(':');
        if (c <= 0 || c == text.length() - 1)
            throw new IllegalArgumentException("expected KEY:UNIT (for example energy:kcal/mol or mu:D), got '" + text + "'");
        return new LabelSpec(text.substring(0, c).strip(), Units.parse(text.substring(c + 1)));
    }

    /** Parses KEY:UNIT and checks that the unit measures {@code kind}. */
    public static LabelSpec parse(String text, Units.Kind kind) {
        LabelSpec s = parse(text);
        if (s.unit.kind() != kind)
            throw new IllegalArgumentException("'" + text + "': " + s.unit + " is not a unit of " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " (for example " + kind.base() + ")");
        return s;
    }

    @Override
    public String toString() { return key + ":" + unit; }
}
