package org.unite4j.chem.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy .npz archives (a zip of .npy arrays, stored or deflated, as written by
 * {@code numpy.savez} / {@code savez_compressed}). Array names are the entry names without
 * ".npy" ("0/F.npy" -> "0/F"), in archive order; entries not ending in ".npy" are ignored.
 */
public final class NpzReader {
    private NpzReader() {
    }

    /**
     * The bytes of one .npy entry, allocated only after its header's element count has been
     * checked against the entry's size in the zip directory and (as the bytes arrive) against what
     * the entry really holds: a header claiming 10^9 elements of a small entry is an error naming
     * the entry, not a huge allocation.
     */
    private static byte[] readEntry(InputStream in, ZipEntry e, String where) throws IOException {
        byte[] head = in.readNBytes(NpyArray.PREAMBLE);
        int headerLength = head.length < 10 ? 0 : head[6] == 1
                ? 10 + ((head[8] & 0xFF) | (head[9] & 0xFF) << 8)
                : head.length < 12 ? 0 : (int) Math.min(Integer.MAX_VALUE, 12 + ((head[8] & 0xFFL) | (head[9] & 0xFFL) << 8
                        | (head[10] & 0xFFL) << 16 | (head[11] & 0xFFL) << 24));
        if (headerLength > (1 << 20)) throw new IllegalArgumentException(where + ": .npy header of " + headerLength + " bytes (corrupt?)");
        byte[] header = Arrays.copyOf(head, Math.max(head.length, headerLength));
        int got = head.length + in.readNBytes(header, head.length, header.length - head.length);
        NpyArray.Header h = NpyArray.header(Arrays.copyOf(header, got), where); // an error for a short or bad header
        long total = h.dataStart() + h.dataBytes();
        if (e.getSize() >= 0 && e.getSize() != total)
            throw new IllegalArgumentException(where + ": header says shape " + Arrays.toString(h.shape()) + " of " + h.descr() + " = "
                    + h.dataBytes() + " bytes, but " + (e.getSize() - h.dataStart()) + " bytes follow");
        if (total > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(where + ": entry of " + total + " bytes is too large");
        // grow with the bytes that arrive (the zip directory's size may be absent or false)
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream((int) Math.min(total, 1 << 20));
        buf.write(header, 0, got);
        long need = total - got;
        byte[] chunk = new byte[1 << 16];
        while (need > 0) {
            int r = in.read(chunk, 0, (int) Math.min(chunk.length, need));
            if (r < 0) break;
            buf.write(chunk, 0, r);
            need -= r;
        }
        if (need == 0 && in.read() >= 0) need = -1;
        if (need != 0)
            throw new IllegalArgumentException(where + ": header says shape " + Arrays.toString(h.shape()) + " of " + h.descr() + " = "
                    + h.dataBytes() + " bytes, but " + (need > 0 ? "fewer" : "more") + " bytes follow");
        return buf.toByteArray();
    }

    /**
     * Reads every array of the archive into memory.
     *
     * @throws IOException if the file cannot be read or is not a zip archive
     * @throws MoleculeFormatException naming the file and entry when an array is malformed or of
     *                                 an unsupported kind (Fortran order, object dtype, ...)
     */
    public static Map<String, NpyArray> open(Path path) throws IOException {
        String file = path.toString();
        if (!Files.isRegularFile(path)) throw new java.nio.file.NoSuchFileException(file, null, "no such npz file");
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(path.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) continue;
                String name = e.getName().substring(0, e.getName().length() - 4);
                String where = "entry '" + e.getName() + "'";
                try (InputStream in = zip.getInputStream(e)) {
                    out.put(name, NpyArray.parse(readEntry(in, e, where), where));
                } catch (IllegalArgumentException ex) {
                    throw new MoleculeFormatException(file, 0, ex.getMessage(), ex);
                }
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not a readable npz (zip) archive: " + e.getMessage(), e);
        }
        return Collections.unmodifiableMap(out);
    }
}
