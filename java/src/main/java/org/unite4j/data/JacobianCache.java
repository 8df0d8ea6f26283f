package org.unite4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.unite4j.chem.Molecule;
import org.unite4j.util.AtomicFiles;

/**
 * Featurizer Jacobians of a training set, kept in float32 ({@link FeatureJacobian.Jacobian#toFloat32})
 * and, with a folder, on disk beside the feature cache (one file per molecule, keyed by the
 * feature cache's key of the geometry plus {@link FeatureJacobian#cacheKey()}; written atomically). Size per
 * molecule: 4 bytes x 3N x its block values (aspirin with GFN1: about 4.7 MB).
 */
public final class JacobianCache {
    private static final int MAGIC = 0x55344a4a; // "U4JJ"
    private static final int FORMAT = 1;

    private final Path dir;
    private final FeatureCache features;
    private final FeatureJacobian jacobian;
    private int hits;

    /** @param dir folder (created on demand) or null for memory only */
    public JacobianCache(Path dir, FeatureCache features, FeatureJacobian jacobian) {
        this.dir = dir;
        this.features = features;
        this.jacobian = jacobian;
    }

    /** Molecules read from disk during the last {@link #jacobians} call. */
    public int hits() { return hits; }

    /**
     * The Jacobian of every graph, from disk where present, else computed ({@code singlePoints} is
     * told how many of the Jacobian's work units are done, cached ones count as done).
     */
    public List<FeatureJacobian.Jacobian> jacobians(List<MolecularGraph> graphs, IntConsumer singlePoints, Consumer<String> warn)
            throws IOException {
        hits = 0;
        List<FeatureJacobian.Jacobian> out = new ArrayList<>(graphs.size());
        long done = 0;
        for (MolecularGraph g : graphs) {
            Path f = dir == null ? null : file(g);
            FeatureJacobian.Jacobian j = null;
            if (f != null && Files.isRegularFile(f)) {
                try {
                    j = read(Files.readAllBytes(f), f.toString(), g);
                    hits++;
                } catch (IOException e) {
                    if (warn != null) warn.accept("recomputing damaged Jacobian cache entry: " + e.getMessage());
                }
            }
            if (j == null) {
                long base = done;
                FeatureJacobian jac = jacobian instanceof NumericalFeatureJacobian num && singlePoints != null
                        ? num.withProgress(n -> singlePoints.accept((int) Math.min(Integer.MAX_VALUE, base + n))) : jacobian;
                j = jac.of(g).toFloat32();
                if (f != null) {
                    Files.createDirectories(f.getParent());
                    AtomicFiles.writeBytes(f, bytes(j));
                }
            }
            out.add(j);
            done += jacobian.workUnits(g.numAtoms());
            if (singlePoints != null) singlePoints.accept((int) Math.min(Integer.MAX_VALUE, done));
        }
        return out;
    }

    private Path file(MolecularGraph g) {
        Molecule m = new Molecule(g.atomicNumbers(), g.positions(), g.charge(), g.multiplicity(), "", java.util.Map.of());
        String k = features.key(m) + "-" + jacobian.cacheKey();
        return dir.resolve(k.substring(0, 2)).resolve(k + ".u4jj");
    }

    static byte[] bytes(FeatureJacobian.Jacobian j) {
        int nq = j.numCoordinates(), nv = j.numValues();
        if (16 + 8L * nq + 4L * nq * nv > Integer.MAX_VALUE)
            throw new IllegalArgumentException("a Jacobian of " + nq + " x " + nv + " values is too large for one cache file (2 GB)");
        ByteBuffer bb = ByteBuffer.allocate(16 + 8 * nq + 4 * nq * nv).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(MAGIC).putInt(FORMAT).putInt(nq).putInt(nv);
        for (double v : j.referenceGradient()) bb.putDouble(v);
        float[][] c = j.toFloat32().columns32();
        for (float[] col : c) for (float v : col) bb.putFloat(v);
        return bb.array();
    }

    static FeatureJacobian.Jacobian read(byte[] bytes, String source, MolecularGraph g) throws IOException {
        try {
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bb.getInt() != MAGIC) throw new IOException(source + ": not a unite4j Jacobian file");
            int fmt = bb.getInt();
            if (fmt != FORMAT) throw new IOException(source + ": Jacobian file format " + fmt + ", expected " + FORMAT);
            int nq = bb.getInt(), nv = bb.getInt();
            if (nq != 3 * g.numAtoms() || nv != g.numBlockValues())
                throw new IOException(source + ": Jacobian of " + nq + " x " + nv + ", the molecule needs " + 3 * g.numAtoms() + " x "
                        + g.numBlockValues());
            if (bytes.length != 16 + 8L * nq + 4L * nq * nv) throw new IOException(source + ": truncated Jacobian file");
            double[] rg = new double[nq];
            for (int q = 0; q < nq; q++) rg[q] = bb.getDouble();
            float[][] c = new float[nq][nv];
            for (int q = 0; q < nq; q++) for (int k = 0; k < nv; k++) c[q][k] = bb.getFloat();
            return FeatureJacobian.Jacobian.ofFloat32(c, rg);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException(source + ": truncated Jacobian file", e);
        }
    }
}
