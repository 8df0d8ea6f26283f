package org.unite4j.serve;

import org.unite4j.chem.Molecule;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One molecule's prediction as JSON, shared by {@code predict --json} and the server. */
public final class PredictionJson {
    private PredictionJson() {
    }

    /** {"index", "name" (when the molecule has one), "energy", "unit", "dipole", "dipole_unit", "forces", "force_unit"}. */
    public static Map<String, Object> molecule(int index, Molecule m, Calculator.Result r, Heads h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        if (m != null && !m.name().isEmpty()) out.put("name", m.name());
        out.put("energy", r.energy());
        out.put("unit", r.energyUnit());
        if (r.dipole() != null) {
            out.put("dipole", List.of(r.dipole()[0], r.dipole()[1], r.dipole()[2]));
            out.put("dipole_unit", h.dipoleUnitValue().symbol());
        }
        if (r.forces() != null) {
            List<Object> rows = new ArrayList<>();
            for (double[] fa : r.forces()) rows.add(List.of(fa[0], fa[1], fa[2]));
            out.put("forces", rows);
            out.put("force_unit", r.forceUnit());
        }
        return out;
    }
}
