package org.unite4j.chem.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import org.unite4j.util.AtomicFiles;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a NumPy .npz archive that {@code numpy.load} reads: an uncompressed (stored) zip whose
 * entries are "NAME.npy" in .npy format 1.0, little-endian, C order.
 * <pre>
 * try (var w = NpzWriter.create(path)) {
 *     w.write("0/F", fock, nao, nao);   // double[] -> &lt;f8
 *     w.write("0/Z", z, n);             // int[]    -> &lt;i4
 *     w.write("e", energies, m);        // long[]   -> &lt;i8
 * }
 * </pre>
 * The archive is built in a temporary file beside the target and renamed onto it by
 * {@link #close()}, so readers never see a half-written file. If a {@code write} fails, the
 * writer is poisoned: {@code close()} then deletes the temporary file and leaves the target as it
 * was. Call {@link #abort()} to discard explicitly.
 */
public final class NpzWriter implements AutoCloseable {
    private final Path target;
    private final AtomicFiles.Pending pending;
    private final ZipOutputStream zip;
    private final Set<String> names = new HashSet<>();
    private boolean failed;
    private boolean closed;

    private NpzWriter(Path target) throws IOException {
        this.target = target;
        this.pending = AtomicFiles.begin(target);
        this.zip = new ZipOutputStream(pending.out());
        zip.setMethod(ZipOutputStream.STORED);
    }

    /** Starts a new archive that will replace {@code path} on close. */
    public static NpzWriter create(Path path) throws IOException {
        return new NpzWriter(path);
    }

    /** Writes a float64 array. */
    public NpzWriter write(String name, double[] data, int... shape) throws IOException {
        return put(name, () -> NpyArray.of(data, shape));
    }

    /** Writes a float32 array. */
    public NpzWriter write(String name, float[] data, int... shape) throws IOException {
        return put(name, () -> NpyArray.of(data, shape));
    }

    /** Writes an int32 array. */
    public NpzWriter write(String name, int[] data, int... shape) throws IOException {
        return put(name, () -> NpyArray.of(data, shape));
    }

    /** Writes an int64 array. */
    public NpzWriter write(String name, long[] data, int... shape) throws IOException {
        return put(name, () -> NpyArray.of(data, shape));
    }

    /** Writes an array already built. */
    public NpzWriter write(String name, NpyArray array) throws IOException {
        return put(name, () -> array);
    }

    private interface Source {
        NpyArray get();
    }

    private NpzWriter put(String name, Source src) throws IOException {
        if (closed) throw new IllegalStateException("npz writer for " + target + " is closed");
        try {
            if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.endsWith("/")
                    || ("/" + name + "/").contains("/../") || ("/" + name + "/").contains("/./"))
                throw new IllegalArgumentException("bad npz array name '" + name + "' (use names like \"0/F\" or \"energy\")");
            if (!names.add(name)) throw new IllegalArgumentException("array '" + name + "' written twice to " + target);
            byte[] bytes = src.get().toNpy();
            ZipEntry e = new ZipEntry(name + ".npy");
            CRC32 crc = new CRC32();
            crc.update(bytes);
            e.setMethod(ZipEntry.STORED);
            e.setSize(bytes.length);
            e.setCompressedSize(bytes.length);
            e.setCrc(crc.getValue());
            e.setTime(315532800000L + 86400000L); // fixed timestamp (1980-01-02): same input, same bytes
            zip.putNextEntry(e);
            zip.write(bytes);
            zip.closeEntry();
            return this;
        } catch (IOException | RuntimeException ex) {
            failed = true;
            throw ex;
        }
    }

    /** Discards the archive: the target is left untouched. */
    public void abort() {
        failed = true;
        close0();
    }

    /** Finishes the archive and renames it onto the target (unless a write failed or it was aborted). */
    @Override
    public void close() throws IOException {
        if (closed) return;
        try {
            zip.close();
        } catch (IOException e) {
            failed = true;
            close0();
            throw e;
        }
        closed = true;
        if (failed) {
            pending.close();
            return;
        }
        pending.commit();
    }

    private void close0() {
        if (closed) return;
        closed = true;
        try {
            zip.close();
        } catch (IOException ignored) {
            // discarding anyway
        }
        try {
            pending.close();
        } catch (IOException ignored) {
            // best effort: the temporary file is hidden and named after the target
        }
    }
}
