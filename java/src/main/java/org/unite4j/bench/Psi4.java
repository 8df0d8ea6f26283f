package org.unite4j.bench;

import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a psi4 DFT single point (B3LYP/def2-SVP, density fitting, psi4's defaults otherwise) as an
 * external program: {@code psi4 -n THREADS -i input.dat -o output.dat} in a fresh temporary
 * directory, geometry in Angstrom as given (no reorientation), and reads the final energy from
 * the output.
 */
public final class Psi4 {
    /** Method and basis of the reference single point. */
    public static final String METHOD = "b3lyp", BASIS = "def2-svp";

    /** How to install psi4, for messages. */
    public static final String INSTALL_HINT = "install it with 'sudo apt-get install psi4' (Debian/Ubuntu) "
            + "or 'conda install -c conda-forge psi4', then make sure 'psi4' is on PATH";

    private static final Pattern ENERGY = Pattern.compile("Total Energy\\s*=\\s*(-?\\d+\\.\\d+)");

    private final Path executable;
    private final int threads;
    private final long timeoutSeconds;

    public Psi4(Path executable, int threads, long timeoutSeconds) {
        if (threads < 1) throw new IllegalArgumentException("psi4 threads must be >= 1, got " + threads);
        this.executable = executable;
        this.threads = threads;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The psi4 executable on PATH, if any (the system property {@code unite.bench.path}, when set,
     * replaces PATH: tests use it).
     */
    public static Optional<Path> find() {
        String path = System.getProperty("unite.bench.path", System.getenv("PATH"));
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "psi4");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The psi4 input of a single point on m. */
    public static String input(Molecule m, int threads) {
        return input(m, threads, false);
    }

    /** The psi4 input of a single point on m, with {@code gradient} its analytic gradient too. */
    public static String input(Molecule m, int threads, boolean gradient) {
        StringBuilder sb = new StringBuilder();
        sb.append("memory 2 GB\n");
        sb.append("set_num_threads(").append(threads).append(")\n");
        sb.append("molecule mol {\n").append(m.charge()).append(' ').append(m.multiplicity()).append('\n');
        for (int i = 0; i < m.size(); i++)
            sb.append(String.format(Locale.ROOT, "%-2s %16.10f %16.10f %16.10f%n", Elements.symbol(m.atomicNumber(i)),
                    m.x(i, 0), m.x(i, 1), m.x(i, 2)));
        sb.append("units angstrom\nno_reorient\nno_com\nsymmetry c1\n}\n");
        sb.append("set basis ").append(BASIS).append('\n');
        sb.append("set scf_type df\n");
        if (m.multiplicity() != 1) sb.append("set reference uks\n");
        sb.append(gradient ? "gradient('" : "energy('").append(METHOD).append("')\n");
        return sb.toString();
    }

    /** Result of one single point: wall seconds (process start to exit) and energy (Hartree). */
    public record Run(double seconds, double energyHartree) {
    }

    /** Runs one single point; an error names the molecule and shows the end of psi4's output. */
    public Run singlePoint(Molecule m) throws IOException {
        return run(m, false);
    }

    /** Runs one single point with its analytic gradient (psi4's {@code gradient()}). */
    public Run gradient(Molecule m) throws IOException {
        return run(m, true);
    }

    private Run run(Molecule m, boolean gradient) throws IOException {
        Path dir = Files.createTempDirectory("unite-psi4-");
        try {
            Files.writeString(dir.resolve("input.dat"), input(m, threads, gradient));
            ProcessBuilder pb = new ProcessBuilder(executable.toString(), "-n", Integer.toString(threads), "-i", "input.dat",
                    "-o", "output.dat").directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.txt").toFile());
            long t0 = System.nanoTime();
            Process p = pb.start();
            boolean done;
            try {
                done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while psi4 ran on " + m.formula(), e);
            }
            double secs = (System.nanoTime() - t0) * 1e-9;
            if (!done) {
                p.destroyForcibly();
                throw new IOException("psi4 did not finish within " + timeoutSeconds + " s on " + describe(m));
            }
            Path outFile = dir.resolve("output.dat");
            String out = Files.exists(outFile) ? Files.readString(outFile, StandardCharsets.UTF_8) : "";
            if (p.exitValue() != 0)
                throw new IOException("psi4 failed (exit " + p.exitValue() + ") on " + describe(m) + ": " + tail(out + console(dir)));
            double e = Double.NaN;
            Matcher mt = ENERGY.matcher(out);
            while (mt.find()) e = Double.parseDouble(mt.group(1));
            if (Double.isNaN(e)) throw new IOException("no 'Total Energy =' line in psi4's output for " + describe(m) + ": " + tail(out));
            return new Run(secs, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static String console(Path dir) {
        try {
            return Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String describe(Molecule m) {
        return m.formula() + (m.name().isEmpty() ? "" : " (" + m.name() + ")");
    }

    private static String tail(String s) {
        String t = s.strip();
        List<String> lines = t.lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
    }

    private static void deleteQuietly(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
