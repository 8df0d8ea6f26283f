package org.unite4j.chem.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.unite4j.chem.Molecule;

/**
 * Reads molecules from a file, the format chosen by the extension:
 * <ul>
 * <li>{@code .xyz}, {@code .extxyz}: {@link ExtXyzReader} (Angstrom; comment-line labels into
 * {@link Molecule#info()}, per-atom columns into {@link Frame#atomProperties()});</li>
 * <li>{@code .sdf}, {@code .sd}, {@code .mol}: {@link SdfReader} (CDK; charges and hydrogens as
 * written, data items into info);</li>
 * <li>{@code .npz}: {@link NpzMoleculeReader} (rMD17-style or per-molecule "i/Z", "i/R" arrays;
 * coordinates in Angstrom).</li>
 * </ul>
 * Errors name the file and line ("FILE:LINE: ...", {@link MoleculeFormatException}).
 */
public final class MoleculeReader {
    private MoleculeReader() {
    }

    /** File formats known by extension. */
    public enum Format { XYZ, SDF, NPZ }

    /** The format of a file from its extension (case-insensitive). */
    public static Format format(Path path) {
        String s = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = s.lastIndexOf('.');
        String ext = dot < 0 ? "" : s.substring(dot + 1);
        return switch (ext) {
            case "xyz", "extxyz" -> Format.XYZ;
            case "sdf", "sd", "mol" -> Format.SDF;
            case "npz" -> Format.NPZ;
            default -> throw new IllegalArgumentException(path + ": unknown molecule file type '" + (ext.isEmpty() ? s : "." + ext)
                    + "'; known: .xyz, .extxyz, .sdf, .sd, .mol, .npz");
        };
    }

    /** All molecules of a file. */
    public static List<Molecule> read(Path path) throws IOException {
        return readFrames(path).stream().map(Frame::molecule).toList();
    }

    /** All frames (molecule + per-atom arrays) of a file. */
    public static List<Frame> readFrames(Path path) throws IOException {
        requireFile(path);
        return switch (format(path)) {
            case XYZ -> ExtXyzReader.readAll(path);
            case SDF -> SdfReader.readAll(path);
            case NPZ -> NpzMoleculeReader.read(path);
        };
    }

    /**
     * Frames one at a time (xyz and SDF stream from disk; npz is loaded whole). Close the reader.
     * An empty xyz/SDF file gives an empty reader here.
     */
    public static FrameReader open(Path path) throws IOException {
        requireFile(path);
        return switch (format(path)) {
            case XYZ -> ExtXyzReader.open(path);
            case SDF -> SdfReader.open(path);
            case NPZ -> new ListReader(NpzMoleculeReader.read(path));
        };
    }

    private static void requireFile(Path path) throws IOException {
        format(path);
        if (!java.nio.file.Files.exists(path)) throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such file");
        if (!java.nio.file.Files.isRegularFile(path))
            throw new java.nio.file.FileSystemException(path.toString(), null, "not a regular file");
    }

    private static final class ListReader implements FrameReader {
        private final List<Frame> frames;
        private int i;

        ListReader(List<Frame> frames) { this.frames = frames; }

        @Override
        public boolean hasNext() { return i < frames.size(); }

        @Override
        public Frame next() {
            if (i >= frames.size()) throw new java.util.NoSuchElementException();
            return frames.get(i++);
        }

        @Override
        public void close() {
        }
    }
}
