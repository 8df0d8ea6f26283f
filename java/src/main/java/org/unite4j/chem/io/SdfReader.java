package org.unite4j.chem.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.vecmath.Point2d;
import javax.vecmath.Point3d;
import org.openscience.cdk.exception.CDKException;
import org.openscience.cdk.interfaces.IAtom;
import org.openscience.cdk.interfaces.IAtomContainer;
import org.openscience.cdk.interfaces.IPseudoAtom;
import org.openscience.cdk.io.IChemObjectReader;
import org.openscience.cdk.io.IChemObjectReaderErrorHandler;
import org.openscience.cdk.io.MDLV2000Reader;
import org.openscience.cdk.io.MDLV3000Reader;
import org.openscience.cdk.io.setting.IOSetting;
import org.openscience.cdk.silent.SilentChemObjectBuilder;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

/**
 * Streaming reader of SDF and MOL files (MDL V2000 and V3000 connection tables) through the CDK's
 * MDL readers. This class splits the file into records at {@code $$$$} lines, so errors can name
 * the record's line; each record's molfile is parsed by CDK in strict mode.
 *
 * <p>Per record: atoms and hydrogens exactly as written (no hydrogens added), coordinates as
 * written, read as Angstrom (a 2D file gives z = 0); total charge = sum of the formal charges
 * (atom block or {@code M  CHG}); multiplicity = 1 + unpaired electrons from {@code M  RAD}, or a
 * doublet when the electron count is odd; name = the title line; SDF data items
 * ({@code > <key>} + value lines) go into {@link Molecule#info()}.
 */
public final class SdfReader extends LineFrameReader {
    private int index;
    private java.util.function.Consumer<MoleculeFormatException> onInvalid;

    private SdfReader(Reader in, String file) {
        super(in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16), file, "records");
    }

    /** Opens a file for streaming; close the reader when done. */
    public static SdfReader open(Path path) throws IOException {
        return new SdfReader(Files.newBufferedReader(path, StandardCharsets.UTF_8), path.toString());
    }

    /** Reads from any reader; {@code name} is used in messages. */
    public static SdfReader of(Reader reader, String name) {
        return new SdfReader(reader, name);
    }

    /** Reads every record of a file; an empty file is an error. */
    public static List<Frame> readAll(Path path) throws IOException {
        try (SdfReader r = open(path)) {
            List<Frame> out = r.toList();
            if (out.isEmpty()) throw new MoleculeFormatException(path.toString(), 1, "empty file, expected a molfile record");
            return out;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Parses SDF/MOL text, e.g. in tests. */
    public static List<Frame> parse(String text, String name) {
        try (SdfReader r = of(new StringReader(text), name)) {
            List<Frame> out = r.toList();
            if (out.isEmpty()) throw new MoleculeFormatException(name, 1, "empty file, expected a molfile record");
            return out;
        }
    }

    /**
     * Skips malformed records instead of failing: each is handed to {@code onInvalid} (e.g. to
     * print a warning naming its line) and reading goes on with the next record. Frame indices
     * still count the skipped records.
     */
    public SdfReader skipInvalid(java.util.function.Consumer<MoleculeFormatException> onInvalid) {
        this.onInvalid = onInvalid;
        return this;
    }

    @Override
    public boolean hasNext() {
        while (pending == null && !done) {
            try {
                pending = readRecord();
            } catch (MoleculeFormatException e) {
                if (onInvalid == null) throw e;
                index++;
                onInvalid.accept(e);
            }
        }
        return pending != null;
    }




    private Frame readRecord() {
        List<String> lines = new ArrayList<>();
        long start = lineNo + 1;
        String s;
        while ((s = readLine()) != null && !s.startsWith("$$$$")) lines.add(s);
        if (s == null) done = true;
        if (lines.stream().allMatch(String::isBlank)) {
            if (done) return null;
            throw new MoleculeFormatException(file, start, "record " + (index + 1) + " is empty");
        }
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++)
            if (lines.get(i).startsWith("M  END")) {
                end = i + 1;
                break;
            }
        if (end == lines.size() && lines.stream().noneMatch(l -> l.startsWith("M  END")))
            throw new MoleculeFormatException(file, start + lines.size() - 1, "record " + (index + 1)
                    + " has no 'M  END' line (truncated molfile?)");
        if (lines.size() < 4)
            throw new MoleculeFormatException(file, start, "record " + (index + 1) + " is too short for a molfile (header "
                    + "of 3 lines and a counts line expected)");
        boolean v3000 = lines.get(3).contains("V3000");
        if (!v3000) checkV2000(lines, start);
        String molfile = String.join("\n", lines.subList(0, end)) + "\n";
        IAtomContainer mol;
        RowRecorder rows = new RowRecorder();
        try {
            mol = parseMolfile(molfile, v3000, rows);
        } catch (CDKException | IOException | RuntimeException e) {
            throw new MoleculeFormatException(file, rows.row > 0 ? start + rows.row - 1 : start, "record " + (index + 1)
                    + " ('" + lines.get(0).strip() + "'): not a valid " + (v3000 ? "V3000" : "V2000") + " molfile: "
                    + e.getMessage(), e);
        }
        int n = mol.getAtomCount();
        if (n == 0) throw new MoleculeFormatException(file, start, "record " + (index + 1) + " has no atoms");
        int[] z = new int[n];
        double[] r = new double[3 * n];
        int charge = 0, unpaired = 0;
        for (int i = 0; i < n; i++) {
            IAtom a = mol.getAtom(i);
            long atomLine = v3000 ? start : start + 4 + i;
            Integer zi = a.getAtomicNumber();
            if (a instanceof IPseudoAtom || zi == null || zi < 1 || zi > Elements.MAX_Z)
                throw new MoleculeFormatException(file, atomLine, "record " + (index + 1) + " atom " + (i + 1)
                        + ": unknown element symbol '" + (a instanceof IPseudoAtom p ? p.getLabel() : a.getSymbol()) + "'");
            z[i] = zi;
            Point3d p3 = a.getPoint3d();
            Point2d p2 = a.getPoint2d();
            double[] xyz = p3 != null ? new double[]{p3.x, p3.y, p3.z} : p2 != null ? new double[]{p2.x, p2.y, 0} : null;
            if (xyz == null)
                throw new MoleculeFormatException(file, atomLine, "record " + (index + 1) + " atom " + (i + 1) + " has no coordinates");
            for (int k = 0; k < 3; k++) {
                if (!Double.isFinite(xyz[k]))
                    throw new MoleculeFormatException(file, atomLine, "record " + (index + 1) + " atom " + (i + 1)
                            + ": coordinate " + "xyz".charAt(k) + " is " + xyz[k]);
                r[3 * i + k] = xyz[k];
            }
            Integer q = a.getFormalCharge();
            charge += q == null ? 0 : q;
            unpaired += mol.getConnectedSingleElectronsCount(a);
        }
        int electrons = -charge;
        for (int zi : z) electrons += zi;
        int mult = unpaired > 0 ? unpaired + 1 : (electrons % 2 != 0 ? 2 : 1);
        Map<String, String> info = dataItems(lines.subList(end, lines.size()), start + end);
        String name = lines.get(0).strip();
        Molecule m;
        try {
            m = new Molecule(z, r, charge, mult, name, info);
        } catch (IllegalArgumentException e) {
            throw new MoleculeFormatException(file, start, "record " + (index + 1) + ": " + e.getMessage(), e);
        }
        Frame f = new Frame(m, List.of(), file, index, start);
        index++;
        return f;
    }

    /**
     * Checks the V2000 counts line and atom block ourselves, so that errors name the exact line:
     * atom lines are fixed columns x (1-10), y (11-20), z (21-30), symbol (32-34).
     */
    private void checkV2000(List<String> lines, long start) {
        String counts = lines.get(3);
        int n;
        try {
            n = Integer.parseInt(counts.substring(0, Math.min(3, counts.length())).strip());
        } catch (NumberFormatException e) {
            throw new MoleculeFormatException(file, start + 3, "record " + (index + 1) + ": expected the V2000 counts line "
                    + "(atom count in columns 1-3), found '" + counts + "'");
        }
        if (n < 1) throw new MoleculeFormatException(file, start + 3, "record " + (index + 1) + " declares " + n + " atoms");
        for (int i = 0; i < n; i++) {
            long ln = start + 4 + i;
            if (4 + i >= lines.size() || lines.get(4 + i).startsWith("M  "))
                throw new MoleculeFormatException(file, ln, "record " + (index + 1) + " declares " + n + " atoms but its atom "
                        + "block ends after " + i + " lines");
            String l = lines.get(4 + i);
            if (l.length() < 34)
                throw new MoleculeFormatException(file, ln, "record " + (index + 1) + " atom " + (i + 1) + ": a V2000 atom line "
                        + "needs at least 34 characters (x, y, z in columns 1-30, symbol in 32-34), this one has " + l.length());
            for (int k = 0; k < 3; k++) {
                String f = l.substring(10 * k, 10 * k + 10).strip();
                double v;
                try {
                    v = Double.parseDouble(f);
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                if (!Double.isFinite(v))
                    throw new MoleculeFormatException(file, ln, "record " + (index + 1) + " atom " + (i + 1) + ": coordinate "
                            + "xyz".charAt(k) + " is '" + f + "', expected a finite number in columns " + (10 * k + 1) + "-" + (10 * k + 10));
            }
        }
    }

    /** Records the first row (1-based within the record) at which CDK reports an error. */
    private static final class RowRecorder implements IChemObjectReaderErrorHandler {
        int row;

        @Override
        public void handleError(String message) {
        }

        @Override
        public void handleError(String message, Exception cause) {
        }

        @Override
        public void handleError(String message, int row, int colStart, int colEnd) {
            if (this.row == 0) this.row = row;
        }

        @Override
        public void handleError(String message, int row, int colStart, int colEnd, Exception cause) {
            handleError(message, row, colStart, colEnd);
        }
    }

    private static IAtomContainer parseMolfile(String molfile, boolean v3000, RowRecorder rows) throws CDKException, IOException {
        IAtomContainer empty = SilentChemObjectBuilder.getInstance().newAtomContainer();
        if (v3000) {
            try (MDLV3000Reader r = new MDLV3000Reader(new StringReader(molfile), IChemObjectReader.Mode.STRICT)) {
                r.setErrorHandler(rows);
                return r.read(empty);
            }
        }
        try (MDLV2000Reader r = new MDLV2000Reader(new StringReader(molfile), IChemObjectReader.Mode.STRICT)) {
            r.setErrorHandler(rows);
            for (IOSetting s : r.getIOSettings()) {
                if (s.getName().equals("ForceReadAs3DCoordinates")) s.setSetting("true");
                if (s.getName().equals("AddStereoElements")) s.setSetting("false");
            }
            return r.read(empty);
        }
    }

    /** SDF data items: "> <key>" (or "> 12 <key>") then value lines up to a blank line. */
    private Map<String, String> dataItems(List<String> lines, long firstLine) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) continue;
            if (!l.startsWith(">"))
                throw new MoleculeFormatException(file, firstLine + i, "expected an SDF data header '> <key>' after 'M  END', found '"
                        + (l.length() > 40 ? l.substring(0, 37) + "..." : l) + "'");
            int a = l.indexOf('<'), b = l.indexOf('>', a + 1);
            String key = a >= 0 && b > a ? l.substring(a + 1, b) : "field" + (out.size() + 1);
            StringBuilder v = new StringBuilder();
            while (i + 1 < lines.size() && !lines.get(i + 1).isBlank()) {
                if (!v.isEmpty()) v.append('\n');
                v.append(lines.get(++i).strip());
            }
            out.put(key, v.toString());
        }
        return out;
    }
}
