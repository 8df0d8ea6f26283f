package org.unite4j.chem.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                try {
                    out.put(name, NpyArray.parse(bytes, "entry '" + e.getName() + "'"));
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
