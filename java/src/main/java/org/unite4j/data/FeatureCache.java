package org.unite4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.util.AtomicFiles;

/**
 * Featurizes molecules with xTB ({@link MolecularGraph#of}) and keeps the results on disk, one
 * file per molecule named by the SHA-256 of (format, method, accuracy, tau, Z, positions bit for
 * bit, charge, multiplicity), so a re-run with the same molecules recomputes nothing. Files are
 * written atomically; a damaged file is reported to the warning sink and recomputed. With a null
 * directory nothing is stored.
 */
public final class FeatureCache {
    /** Outcome of one molecule: its features, or the error that stopped it (naming the molecule). */
    public record Outcome(MolecularGraph graph, RuntimeException error) {
        public boolean ok() { return error == null; }
    }

    private final Path dir;
    private final XtbMethod method;
    private final double accuracy;
    private final double tau;
    private int hits;

    /**
     * @param dir      cache folder (created on demand) or null for none
     * @param accuracy libxtb accuracy (1 = its default; smaller is tighter)
     * @param tau      block cutoff, -ln ||T_AB||_F < tau
     */
    public FeatureCache(Path dir, XtbMethod method, double accuracy, double tau) {
        this.dir = dir;
        this.method = method;
        this.accuracy = accuracy;
        this.tau = tau;
    }

    public XtbMethod method() { return method; }

    public double tau() { return tau; }

    /** Molecules found in the cache during the last {@link #featurize} call. */
    public int hits() { return hits; }

    /** The cache key of a molecule (hex SHA-256). */
    public String key(Molecule m) {
        ByteBuffer bb = ByteBuffer.allocate(64 + 4 * m.size() + 24 * m.size()).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(1).putInt(method.level()).putDouble(accuracy).putDouble(tau).putInt(m.charge()).putInt(m.multiplicity())
                .putInt(m.size());
        for (int a = 0; a < m.size(); a++) bb.putInt(m.atomicNumber(a));
        for (double x : m.positions()) bb.putLong(Double.doubleToLongBits(x));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bb.array(), 0, bb.position());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every molecule's outcome, in input order: cached ones read back, the rest computed on
     * {@code threads} threads and stored. {@code progress} receives the count done (may be null).
     */
    public List<Outcome> featurize(List<Molecule> molecules, int threads, IntConsumer progress, Consumer<String> warn)
            throws IOException {
        List<Outcome> out = new ArrayList<>(java.util.Collections.nCopies(molecules.size(), (Outcome) null));
        List<Integer> todo = new ArrayList<>();
        hits = 0; // the cache folder is made with its first entry: a run where every molecule fails leaves none
        for (int i = 0; i < molecules.size(); i++) {
            Path f = dir == null ? null : file(molecules.get(i));
            if (f != null && Files.isRegularFile(f)) {
                try {
                    out.set(i, new Outcome(MolecularGraph.fromBytes(Files.readAllBytes(f), f.toString()), null));
                    hits++;
                    continue;
                } catch (IOException e) {
                    if (warn != null) warn.accept("recomputing damaged cache entry: " + e.getMessage());
                }
            }
            todo.add(i);
        }
        if (progress != null && hits > 0) progress.accept(hits);
        List<Molecule> sub = todo.stream().map(molecules::get).toList();
        XtbFeaturizer xtb = new XtbFeaturizer(method, accuracy, 300.0, 250);
        int base = hits;
        List<XtbFeaturizer.Outcome> res = xtb.featurizeEach(sub, threads, progress == null ? null : d -> progress.accept(base + d));
        for (int j = 0; j < sub.size(); j++) {
            int i = todo.get(j);
            XtbFeaturizer.Outcome o = res.get(j);
            if (!o.ok()) {
                RuntimeException e = o.error();
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                out.set(i, new Outcome(null, new IllegalArgumentException(msg.replaceFirst("^molecule " + j + " ", "molecule " + i + " "), e)));
                continue;
            }
            MolecularGraph g = MolecularGraph.of(o.features(), tau);
            if (dir != null) {
                Path f = file(molecules.get(i));
                Files.createDirectories(f.getParent());
                AtomicFiles.writeBytes(f, g.toBytes());
            }
            out.set(i, new Outcome(g, null));
        }
        return out;
    }

    private Path file(Molecule m) {
        String k = key(m);
        return dir.resolve(k.substring(0, 2)).resolve(k + ".u4jg");
    }
}
