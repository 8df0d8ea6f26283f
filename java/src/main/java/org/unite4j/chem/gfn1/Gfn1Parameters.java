package org.unite4j.chem.gfn1;

import org.unite4j.chem.Elements;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GFN1-xTB parameter file of the {@code xtb} program ({@code param_gfn1-xtb.txt}), read at run
 * time: global constants ({@code $globpar}), element-pair scalings of H0 ({@code $pairpar}) and
 * one block per element ({@code $Z=}) with its shells ({@code ao=}), levels in eV
 * ({@code lev=}), Slater exponents ({@code exp=}), hardness ({@code GAM=}), its derivative
 * ({@code GAM3=}, in units of 0.1), shell hardness scalings ({@code LPARP=}, {@code LPARD=}, in
 * units of 0.1), H0 distance polynomials ({@code POLYS/P/D=}, in units of 0.01), repulsion
 * ({@code REPA=}, {@code REPB=}) and halogen-bond strength ({@code CXB=}).
 *
 * <p>Nothing of the file is copied into the repository: {@link #load()} finds it where Debian's
 * {@code xtb} package puts it, where {@code UNITE4J_GFN1_PARAM} (environment) or
 * {@code unite4j.gfn1.param} (system property) says, or in xtb's own {@code XTBPATH}.
 */
public final class Gfn1Parameters {
    /** Where Debian's and Ubuntu's {@code xtb} package installs the file. */
    public static final Path DEFAULT_PATH = Path.of("/usr/share/xtb/param_gfn1-xtb.txt");

    /** One element's block. Shell arrays are in the file's shell order; read-only. */
    record Element(int z, int[] principal, int[] angular, double[] levelEv, double[] slaterExponent,
                          double hardness, double hardnessDerivative, double[] shellHardnessScale,
                          double[] shellPolynomial, double repulsionAlpha, double repulsionZeff,
                          double halogenBond) {
        public int numShells() { return angular.length; }
    }

    private final Path source;
    private final Map<String, Double> global;
    private final Map<Long, Double> pair;
    private final Element[] elements;

    private Gfn1Parameters(Path source, Map<String, Double> global, Map<Long, Double> pair, Element[] elements) {
        this.source = source;
        this.global = global;
        this.pair = pair;
        this.elements = elements;
    }

    private static volatile Gfn1Parameters cached;

    /** The installed parameter file (read once per JVM). */
    public static Gfn1Parameters load() {
        Gfn1Parameters p = cached;
        if (p == null) {
            synchronized (Gfn1Parameters.class) {
                if (cached == null) cached = read(defaultPath());
                p = cached;
            }
        }
        return p;
    }

    /** The path {@link #load()} reads. */
    public static Path defaultPath() {
        String prop = System.getProperty("unite4j.gfn1.param");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("UNITE4J_GFN1_PARAM");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xtbPath = System.getenv("XTBPATH");
        if (xtbPath != null && !xtbPath.isBlank() && !Files.exists(DEFAULT_PATH))
            for (String dir : xtbPath.split(java.io.File.pathSeparator)) {
                for (Path p : new Path[]{Path.of(dir, "param_gfn1-xtb.txt"), Path.of(dir, "share", "xtb", "param_gfn1-xtb.txt")})
                    if (Files.isRegularFile(p)) return p;
            }
        return DEFAULT_PATH;
    }

    /**
     * Reads a parameter file.
     *
     * @throws IllegalArgumentException naming the file and line when it is missing or malformed
     */
    public static Gfn1Parameters read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("GFN1-xTB parameter file " + file + " not found (install the 'xtb' "
                    + "package, e.g. apt-get install xtb, or set UNITE4J_GFN1_PARAM to its param_gfn1-xtb.txt)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read GFN1-xTB parameter file " + file + ": " + e.getMessage());
        }
        Map<String, Double> global = new HashMap<>();
        Map<Long, Double> pair = new HashMap<>();
        Element[] elements = new Element[ElementData.MAX_Z];
        String section = null;
        Map<String, String> block = null;
        int blockZ = 0, blockLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty()) continue;
            if (line.startsWith("$")) {
                if (line.startsWith("$end")) {
                    if ("element".equals(section)) {
                        Element e = element(file, blockLine, blockZ, block);
                        if (blockZ >= 1 && blockZ <= ElementData.MAX_Z) elements[blockZ - 1] = e;
                    }
                    section = null;
                } else if (line.startsWith("$Z=")) {
                    section = "element";
                    String[] t = line.substring(3).trim().split("\\s+");
                    try {
                        blockZ = Integer.parseInt(t[0]);
                    } catch (NumberFormatException ex) {
                        throw bad(file, lineNo, "expected an atomic number after $Z=");
                    }
                    block = new HashMap<>();
                    blockLine = lineNo;
                } else {
                    section = line.substring(1).split("\\s+")[0];
                }
                continue;
            }
            if (section == null) continue;
            switch (section) {
                case "globpar" -> {
                    String[] t = line.split("\\s+");
                    if (t.length >= 2) global.put(t[0].toLowerCase(Locale.ROOT), number(file, lineNo, t[1]));
                }
                case "pairpar" -> {
                    String[] t = line.split("\\s+");
                    if (t.length < 3) throw bad(file, lineNo, "expected 'Z1 Z2 value'");
                    int a = (int) number(file, lineNo, t[0]), b = (int) number(file, lineNo, t[1]);
                    double v = number(file, lineNo, t[2]);
                    pair.put(key(a, b), v);
                    pair.put(key(b, a), v);
                }
                case "element" -> {
                    int eq = line.indexOf('=');
                    if (eq < 0) throw bad(file, lineNo, "expected KEY= value");
                    block.put(line.substring(0, eq).trim().toUpperCase(Locale.ROOT), line.substring(eq + 1).trim());
                }
                default -> {
                }
            }
        }
        for (String k : List.of("ks", "kp", "kd", "ksp", "kdiff", "enscale", "cns", "cnp", "cnd1", "cnd2", "alphaj"))
            if (!global.containsKey(k)) throw new IllegalArgumentException(file + ": $globpar has no '" + k + "'");
        return new Gfn1Parameters(file, global, pair, elements);
    }

    private static Element element(Path file, int line, int z, Map<String, String> b) {
        String ao = b.get("AO");
        if (ao == null || ao.length() % 2 != 0)
            throw bad(file, line, "element Z=" + z + " has no valid ao= line");
        int ns = ao.length() / 2;
        int[] n = new int[ns], l = new int[ns];
        for (int s = 0; s < ns; s++) {
            n[s] = ao.charAt(2 * s) - '0';
            l[s] = "spdf".indexOf(ao.charAt(2 * s + 1));
            if (n[s] < 1 || n[s] > 7 || l[s] < 0 || l[s] > 2)
                throw bad(file, line, "element Z=" + z + ": cannot read shell '" + ao.substring(2 * s, 2 * s + 2) + "'");
        }
        double[] lev = numbers(file, line, z, b, "LEV", ns);
        double[] exp = numbers(file, line, z, b, "EXP", ns);
        double gam = scalar(file, line, z, b, "GAM", Double.NaN);
        if (Double.isNaN(gam)) throw bad(file, line, "element Z=" + z + " has no GAM=");
        double[] lpar = {0, scalar(file, line, z, b, "LPARP", 0), scalar(file, line, z, b, "LPARD", 0)};
        double[] poly = {scalar(file, line, z, b, "POLYS", 0), scalar(file, line, z, b, "POLYP", 0),
                scalar(file, line, z, b, "POLYD", 0)};
        return new Element(z, n, l, lev, exp, gam, scalar(file, line, z, b, "GAM3", 0), lpar, poly,
                scalar(file, line, z, b, "REPA", 0), scalar(file, line, z, b, "REPB", 0),
                scalar(file, line, z, b, "CXB", 0));
    }

    private static double[] numbers(Path file, int line, int z, Map<String, String> b, String key, int count) {
        String v = b.get(key);
        if (v == null) throw bad(file, line, "element Z=" + z + " has no " + key + "=");
        String[] t = v.split("\\s+");
        if (t.length < count) throw bad(file, line, "element Z=" + z + ": " + key + "= has " + t.length + " values, its ao= needs " + count);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = number(file, line, t[i]);
        return out;
    }

    private static double scalar(Path file, int line, int z, Map<String, String> b, String key, double dflt) {
        String v = b.get(key);
        return v == null ? dflt : number(file, line, v.split("\\s+")[0]);
    }

    private static double number(Path file, int line, String s) {
        try {
            return Double.parseDouble(s.replace('D', 'E').replace('d', 'e'));
        } catch (NumberFormatException e) {
            throw bad(file, line, "'" + s + "' is not a number");
        }
    }

    private static IllegalArgumentException bad(Path file, int line, String what) {
        return new IllegalArgumentException(file + ":" + line + ": " + what);
    }

    private static long key(int a, int b) { return ((long) a << 32) | b; }

    public Path source() { return source; }

    /** A {@code $globpar} value by its (case-insensitive) name. */
    double global(String name) {
        Double v = global.get(name.toLowerCase(Locale.ROOT));
        if (v == null) throw new IllegalArgumentException(source + ": $globpar has no '" + name + "'");
        return v;
    }

    /** The {@code $pairpar} scaling of H0 between elements a and b, or NaN when the file has none. */
    double pairScaling(int a, int b) {
        Double v = pair.get(key(a, b));
        return v == null ? Double.NaN : v;
    }

    /** The block of element z; throws naming the element when the file has none. */
    Element element(int z) {
        Element e = z >= 1 && z <= ElementData.MAX_Z ? elements[z - 1] : null;
        if (e == null)
            throw new IllegalArgumentException("element " + (z >= 1 && z <= Elements.MAX_Z ? Elements.symbol(z) + " " : "")
                    + "(Z = " + z + ") is not in the GFN1-xTB parameter file " + source + " (supported: H to Rn)");
        return e;
    }
}
