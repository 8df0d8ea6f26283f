package org.unite4j.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unite4j.chem.Units;

/**
 * What the readout heads predict and how network outputs map to physical values:
 * E = sum_A b_{Z_A} + c [+ E_xTB in the energy unit when delta] + energyScale * E_net, where b, c come
 * from the element-count fit on the training set (fixed); dipoles come out of the network in e*bohr
 * (plus the xTB dipole when delta) and are converted to {@code dipoleUnit}. {@code energyKey}/{@code dipoleKey} name the labels the
 * model was trained on (dipoleKey null: no dipole head in the loss), {@code energyLabelUnit} /
 * {@code dipoleLabelUnit} the units the data file stores them in (null: the model's units).
 */
public record Heads(String energyKey, String energyUnit, String dipoleKey, String dipoleUnit, boolean delta,
                    int[] elements, double[] coefficients, double intercept, double energyScale, double dipoleScale,
                    String energyLabelUnit, String dipoleLabelUnit) {

    /** Heads whose labels are stored in the model's own units. */
    public Heads(String energyKey, String energyUnit, String dipoleKey, String dipoleUnit, boolean delta, int[] elements,
                 double[] coefficients, double intercept, double energyScale, double dipoleScale) {
        this(energyKey, energyUnit, dipoleKey, dipoleUnit, delta, elements, coefficients, intercept, energyScale, dipoleScale, null, null);
    }

    /** The same heads, recording the units the labels are stored in (so predict can read them back). */
    public Heads withLabelUnits(String energyLabel, String dipoleLabel) {
        return new Heads(energyKey, energyUnit, dipoleKey, dipoleUnit, delta, elements, coefficients, intercept, energyScale, dipoleScale,
                energyLabel, dipoleLabel);
    }

    /** The unit the energy label is stored in (the model's energy unit unless recorded otherwise). */
    public Units.Unit energyLabelUnitValue() {
        return energyLabelUnit == null ? energyUnitValue() : Units.parse(energyLabelUnit, Units.Kind.ENERGY);
    }

    public Heads {
        Units.parse(energyUnit, Units.Kind.ENERGY);
        if (dipoleUnit != null) Units.parse(dipoleUnit, Units.Kind.DIPOLE);
        if (energyLabelUnit != null) Units.parse(energyLabelUnit, Units.Kind.ENERGY);
        if (dipoleLabelUnit != null) Units.parse(dipoleLabelUnit, Units.Kind.DIPOLE);
        if (elements.length != coefficients.length) throw new IllegalArgumentException("heads: one coefficient per element needed");
        if (!(energyScale > 0) || !(dipoleScale > 0)) throw new IllegalArgumentException("heads: scales must be > 0");
        elements = elements.clone();
        coefficients = coefficients.clone();
    }

    public Units.Unit energyUnitValue() { return Units.parse(energyUnit, Units.Kind.ENERGY); }

    public Units.Unit dipoleUnitValue() { return dipoleUnit == null ? Units.E_BOHR : Units.parse(dipoleUnit, Units.Kind.DIPOLE); }

    public boolean hasDipole() { return dipoleKey != null; }

    /**
     * Why the model cannot predict a molecule of these atoms: "atom i (S): element S (Z = 16) is
     * not among the model's elements H, C, N, O (none was in its training set)", or null when it can.
     */
    public String unknownElement(int[] z) {
        for (int i = 0; i < z.length; i++)
            if (Arrays.binarySearch(elements, z[i]) < 0) {
                StringBuilder known = new StringBuilder();
                for (int e : elements) known.append(known.isEmpty() ? "" : ", ").append(org.unite4j.chem.Elements.symbol(e));
                String sym = org.unite4j.chem.Elements.symbol(z[i]);
                return "atom " + (i + 1) + " (" + sym + "): element " + sym + " (Z = " + z[i] + ") is not among the model's elements "
                        + known + " (none was in its training set)";
            }
        return null;
    }

    /** The fixed part sum_A b_{Z_A} + c (+ E_xTB) of one molecule, in the energy unit. */
    public double fixedEnergy(int[] z, double referenceHartree) {
        double s = intercept + (delta ? referenceHartree * Units.HARTREE.factorTo(energyUnitValue()) : 0);
        for (int i = 0; i < z.length; i++) {
            int k = Arrays.binarySearch(elements, z[i]);
            if (k < 0)
                throw new IllegalArgumentException("atom " + (i + 1) + ": element Z=" + z[i] + " was not in the training set (model knows "
                        + Arrays.toString(elements) + ")");
            s += coefficients[k];
        }
        return s;
    }

    /** A molecule's energy in the energy unit from the network's E_net: fixed part + energyScale * E_net. */
    public double energy(int[] z, double referenceHartree, double eNet) {
        return fixedEnergy(z, referenceHartree) + energyScale() * eNet;
    }

    /**
     * A molecule's dipole in the dipole unit from the network's mu_net (e*bohr): (mu_net + mu_xTB with
     * delta learning) times the unit factor.
     */
    public double[] dipole(double[] referenceEBohr, double mx, double my, double mz) {
        double df = Units.E_BOHR.factorTo(dipoleUnitValue());
        double[] ref = delta ? referenceEBohr : new double[3];
        return new double[]{(mx + ref[0]) * df, (my + ref[1]) * df, (mz + ref[2]) * df};
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("energy_key", energyKey);
        m.put("energy_unit", energyUnit);
        m.put("dipole_key", dipoleKey);
        m.put("dipole_unit", dipoleUnit);
        m.put("delta", delta);
        List<Object> el = new ArrayList<>();
        for (int z : elements) el.add(z);
        List<Object> co = new ArrayList<>();
        for (double c : coefficients) co.add(c);
        m.put("elements", el);
        m.put("coefficients", co);
        m.put("intercept", intercept);
        m.put("energy_scale", energyScale);
        m.put("dipole_scale", dipoleScale);
        m.put("energy_label_unit", energyLabelUnit);
        m.put("dipole_label_unit", dipoleLabelUnit);
        return m;
    }

    public static Heads fromJson(Map<String, ?> m) {
        try {
            List<?> el = (List<?>) m.get("elements"), co = (List<?>) m.get("coefficients");
            int[] z = new int[el.size()];
            double[] c = new double[co.size()];
            for (int i = 0; i < z.length; i++) z[i] = ((Number) el.get(i)).intValue();
            for (int i = 0; i < c.length; i++) c[i] = ((Number) co.get(i)).doubleValue();
            return new Heads((String) m.get("energy_key"), (String) m.get("energy_unit"), (String) m.get("dipole_key"),
                    (String) m.get("dipole_unit"), (Boolean) m.get("delta"), z, c, ((Number) m.get("intercept")).doubleValue(),
                    ((Number) m.get("energy_scale")).doubleValue(), ((Number) m.get("dipole_scale")).doubleValue(),
                    (String) m.get("energy_label_unit"), (String) m.get("dipole_label_unit"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("model heads: missing or mistyped field (" + e.getMessage() + ")", e);
        }
    }
}
