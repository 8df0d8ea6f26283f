package org.unite4j.cli;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.AtomProperty;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.io.Frame;
import org.unite4j.io.Json;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;
import org.unite4j.serve.PredictionJson;
import org.unite4j.util.AtomicFiles;

/**
 * The {@code --out FILE} of {@code unite predict}, in the format of the file's extension, written
 * atomically (a temporary file renamed into place). Molecules keep the order of the input file
 * and every row says the frame's 0-based index in it.
 * <ul>
 * <li>{@code .extxyz}/{@code .xyz}: the predicted molecules with info "energy", "energy_unit",
 * "dipole", "dipole_unit", "interaction_energy", "force_unit" and a per-atom "forces" column (an
 * input entry of the same name is kept as "input_NAME"); skipped molecules are not written.</li>
 * <li>{@code .csv}: a header and one row per molecule, skipped ones included with their error:
 * index, name, formula, atoms, energy, unit, dipole_x/y/z and dipole_unit (models with a dipole
 * head), interaction_energy (with --fragments), error. Forces are per atom and go to the other
 * formats.</li>
 * <li>{@code .json}: the document {@code --json} prints.</li>
 * <li>{@code .jsonl}: one JSON object per line per molecule, as in the document's "molecules"
 * and "skipped" lists, in file order.</li>
 * </ul>
 */
final class PredictionWriter {
    private PredictionWriter() {
    }

    enum Format { EXTXYZ, CSV, JSON, JSONL }

    /** The format of an output file from its extension, or an error naming the ones known. */
    static Format format(Path out) {
        String s = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (s.endsWith(".extxyz") || s.endsWith(".xyz")) return Format.EXTXYZ;
        if (s.endsWith(".csv")) return Format.CSV;
        if (s.endsWith(".jsonl")) return Format.JSONL;
        if (s.endsWith(".json")) return Format.JSON;
        throw new IllegalArgumentException("--out " + out + ": unknown output type; known: .extxyz, .xyz, .csv, .json, .jsonl");
    }

    /** One molecule as JSON: its prediction ({@link PredictionJson}, plus "interaction_energy"), or index, name and error. */
    static Map<String, Object> jsonRow(PredictCommand.Row r, Heads h) {
        if (!r.ok()) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (r.frame() != null) {
                m.put("index", r.frame().index());
                if (!r.molecule().name().isEmpty()) m.put("name", r.molecule().name());
            }
            m.put("error", r.error());
            return m;
        }
        Map<String, Object> m = PredictionJson.molecule(r.frame().index(), r.molecule(), r.result(), h);
        if (r.interaction() != null) m.put("interaction_energy", r.interaction());
        return m;
    }

    static void write(Path out, Format format, List<PredictCommand.Row> rows, List<PredictCommand.Row> skipped, Heads h,
                      Map<String, Object> document) throws IOException {
        switch (format) {
            case EXTXYZ -> extxyz(out, rows, h);
            case JSON -> AtomicFiles.writeString(out, Json.write(document) + "\n");
            case JSONL -> {
                StringBuilder sb = new StringBuilder();
                for (PredictCommand.Row r : inFileOrder(rows, skipped)) sb.append(Json.write(jsonRow(r, h))).append('\n');
                AtomicFiles.writeString(out, sb.toString());
            }
            case CSV -> AtomicFiles.writeString(out, csv(inFileOrder(rows, skipped), h));
        }
    }

    /**
     * Predicted and skipped molecules merged by frame index; molecules the reader could not read
     * (no frame) come first, in the order they were met.
     */
    static List<PredictCommand.Row> inFileOrder(List<PredictCommand.Row> rows, List<PredictCommand.Row> skipped) {
        List<PredictCommand.Row> all = new ArrayList<>(skipped.stream().filter(r -> r.frame() == null).toList());
        List<PredictCommand.Row> framed = new ArrayList<>(rows);
        framed.addAll(skipped.stream().filter(r -> r.frame() != null).toList());
        framed.sort(java.util.Comparator.comparingInt(r -> r.frame().index()));
        all.addAll(framed);
        return all;
    }

    static String csv(List<PredictCommand.Row> rows, Heads h) throws IOException {
        boolean dip = h.hasDipole(), inter = rows.stream().anyMatch(r -> r.interaction() != null);
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("index").addColumn("name").addColumn("formula").addColumn("atoms")
                .addColumn("energy").addColumn("unit");
        if (dip) schema.addColumn("dipole_x").addColumn("dipole_y").addColumn("dipole_z").addColumn("dipole_unit");
        if (inter) schema.addColumn("interaction_energy");
        schema.addColumn("error");
        List<List<Object>> table = new ArrayList<>();
        for (PredictCommand.Row r : rows) {
            List<Object> row = new ArrayList<>();
            Molecule m = r.frame() == null ? null : r.molecule();
            Calculator.Result p = r.result();
            row.add(r.frame() == null ? "" : r.frame().index());
            row.add(m == null ? "" : m.name());
            row.add(m == null ? "" : m.formula());
            row.add(m == null ? "" : m.size());
            row.add(p == null ? "" : p.energy());
            row.add(p == null ? "" : p.energyUnit());
            if (dip) {
                for (int k = 0; k < 3; k++) row.add(p == null ? "" : p.dipole()[k]);
                row.add(p == null ? "" : h.dipoleUnitValue().symbol());
            }
            if (inter) row.add(r.interaction() == null ? "" : r.interaction());
            row.add(r.ok() ? "" : r.error());
            table.add(row);
        }
        StringWriter w = new StringWriter();
        new CsvMapper().writer(schema.build().withHeader()).writeValues(w).writeAll(table).close();
        return w.toString();
    }

    private static void extxyz(Path out, List<PredictCommand.Row> rows, Heads h) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (PredictCommand.Row row : rows) {
            Frame in = row.frame();
            Molecule m = in.molecule();
            Calculator.Result r = row.result();
            Map<String, String> info = new LinkedHashMap<>();
            Map<String, String> pred = new LinkedHashMap<>();
            pred.put("energy", Double.toString(r.energy()));
            pred.put("energy_unit", r.energyUnit());
            if (r.dipole() != null) {
                pred.put("dipole", r.dipole()[0] + " " + r.dipole()[1] + " " + r.dipole()[2]);
                pred.put("dipole_unit", h.dipoleUnitValue().symbol());
            }
            if (row.interaction() != null) pred.put("interaction_energy", Double.toString(row.interaction()));
            if (r.forces() != null) pred.put("force_unit", r.forceUnit());
            for (Map.Entry<String, String> e : m.info().entrySet())
                info.put(pred.containsKey(e.getKey()) ? "input_" + e.getKey() : e.getKey(), e.getValue());
            info.putAll(pred);
            List<AtomProperty> props = new ArrayList<>();
            for (AtomProperty p : in.atomProperties().values())
                props.add(r.forces() != null && p.name().equals("forces")
                        ? new AtomProperty("input_forces", p.type(), p.columns(), p.values(), p.strings()) : p);
            if (r.forces() != null) {
                double[] f = new double[3 * m.size()];
                for (int a = 0; a < m.size(); a++) System.arraycopy(r.forces()[a], 0, f, 3 * a, 3);
                props.add(AtomProperty.real("forces", 3, f));
            }
            Molecule outMol = new Molecule(m.atomicNumbers(), m.positions(), m.charge(), m.multiplicity(), m.name(), info);
            frames.add(new Frame(outMol, props, out.toString(), in.index(), 0));
        }
        ExtXyzWriter.write(out, frames);
    }
}
