package org.unite4j.chem;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A complex AB split into its two fragments: A is the first nA atoms, B the next nB, with nA + nB
 * the atom count, and the interaction energy is E(AB) - E(A) - E(B) at the complex's geometry (no
 * relaxation of the fragments, no counterpoise: the convention of S22 and S66).
 *
 * <p>The sizes come from the caller or from the molecule's info labels {@code nA} and {@code nB}
 * (as in the S22/S66 files). Each fragment's charge and multiplicity come from the labels
 * {@code chgmultA} and {@code chgmultB} written as {@code "(charge, multiplicity)"} (Psi4's form);
 * without them a fragment of a neutral singlet complex is neutral, a singlet with an even electron
 * count and a doublet with an odd one; a charged or open-shell complex needs the labels. The
 * fragments' charges must add up to the complex's.
 */
public record Dimer(Molecule complex, Molecule a, Molecule b) {
    private static final Pattern CHGMULT = Pattern.compile("\\(?\\s*(-?\\d+)\\s*,\\s*(\\d+)\\s*\\)?");

    /**
     * Splits {@code m}; {@code sizes} is null (take nA/nB from the info labels), {nA} (B is the
     * rest) or {nA, nB}.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent
     */
    public static Dimer split(Molecule m, int[] sizes) {
        int n = m.size();
        int na, nb;
        if (sizes == null) {
            Map<String, String> info = m.info();
            if (!info.containsKey("nA"))
                throw new IllegalArgumentException("no fragment sizes: the info line has no nA (and nB); give them as --fragments NA,NB");
            na = intLabel(info, "nA");
            nb = info.containsKey("nB") ? intLabel(info, "nB") : n - na;
        } else if (sizes.length == 1) {
            na = sizes[0];
            nb = n - na;
        } else if (sizes.length == 2) {
            na = sizes[0];
            nb = sizes[1];
        } else {
            throw new IllegalArgumentException("fragment sizes are NA or NA,NB, got " + sizes.length + " numbers");
        }
        if (na < 1 || nb < 1 || na + nb != n)
            throw new IllegalArgumentException("fragments of " + na + " + " + nb + " atoms do not split a molecule of " + n
                    + " atoms into two non-empty parts");
        int[] z = m.atomicNumbers();
        double[] r = m.positions();
        int[] za = java.util.Arrays.copyOfRange(z, 0, na), zb = java.util.Arrays.copyOfRange(z, na, n);
        int[] ca = chargeAndMultiplicity(m, "chgmultA", za), cb = chargeAndMultiplicity(m, "chgmultB", zb);
        if (ca[0] + cb[0] != m.charge())
            throw new IllegalArgumentException("fragment charges " + ca[0] + " + " + cb[0] + " differ from the molecule's charge "
                    + m.charge());
        String name = m.name().isEmpty() ? m.formula() : m.name();
        Molecule a = new Molecule(za, java.util.Arrays.copyOfRange(r, 0, 3 * na), ca[0], ca[1], name + " (A)", Map.of());
        Molecule b = new Molecule(zb, java.util.Arrays.copyOfRange(r, 3 * na, 3 * n), cb[0], cb[1], name + " (B)", Map.of());
        return new Dimer(m, a, b);
    }

    /**
     * Parses fragment sizes given on the command line: "NA" or "NA,NB".
     *
     * @throws IllegalArgumentException for anything else
     */
    public static int[] parseSizes(String text) {
        String[] parts = text.strip().split("\\s*,\\s*");
        if (parts.length > 2) throw new IllegalArgumentException("fragment sizes are NA or NA,NB, got '" + text + "'");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("fragment sizes are NA or NA,NB (atom counts), got '" + text + "'");
            }
        }
        return out;
    }

    private static int intLabel(Map<String, String> info, String key) {
        String v = info.get(key).strip();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("label " + key + "=" + v + " is not an atom count");
        }
    }

    private static int[] chargeAndMultiplicity(Molecule m, String key, int[] z) {
        String v = m.info().get(key);
        int electrons = 0;
        for (int zi : z) electrons += zi;
        if (v == null) {
            if (m.charge() != 0 || m.multiplicity() != 1)
                throw new IllegalArgumentException("the molecule has charge " + m.charge() + " and multiplicity " + m.multiplicity()
                        + " but no " + key + " label saying how they split between the fragments");
            return new int[]{0, electrons % 2 == 0 ? 1 : 2};
        }
        Matcher mt = CHGMULT.matcher(v.strip());
        if (!mt.matches())
            throw new IllegalArgumentException("label " + key + "=\"" + v + "\" is not \"(charge, multiplicity)\"");
        int charge = Integer.parseInt(mt.group(1)), mult = Integer.parseInt(mt.group(2));
        if (mult < 1 || (electrons - charge + mult - 1) % 2 != 0)
            throw new IllegalArgumentException(String.format(Locale.ROOT, "label %s=\"%s\": multiplicity %d is impossible with %d electrons",
                    key, v, mult, electrons - charge));
        return new int[]{charge, mult};
    }
}
