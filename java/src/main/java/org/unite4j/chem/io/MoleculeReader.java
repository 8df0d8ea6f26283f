package org.unite4j.chem.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
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

    /** All frames (molecule + per-atom arrays) of a file; periodic frames are errors ({@link ReadOptions#DEFAULT}). */
    public static List<Frame> readFrames(Path path) throws IOException {
        return readFrames(path, ReadOptions.DEFAULT);
    }

    /** All frames of a file, periodic and large frames treated as {@code options} says. */
    public static List<Frame> readFrames(Path path, ReadOptions options) throws IOException {
        requireFile(path);
        List<Frame> frames = switch (format(path)) {
            case XYZ -> ExtXyzReader.readAll(path, options);
            case SDF -> SdfReader.readAll(path);
            case NPZ -> NpzMoleculeReader.read(path);
        };
        for (Frame f : frames) checkSize(f, options);
        return frames;
    }

    /**
     * Frames one at a time (xyz and SDF stream from disk; npz is loaded whole). Close the reader.
     * An empty xyz/SDF file gives an empty reader here. Periodic frames are errors.
     */
    public static FrameReader open(Path path) throws IOException {
        return open(path, ReadOptions.DEFAULT);
    }

    /** {@link #open(Path)}, periodic and large frames treated as {@code options} says. */
    public static FrameReader open(Path path, ReadOptions options) throws IOException {
        return open(path, options, null);
    }

    /**
     * {@link #open(Path, ReadOptions)} that skips bad frames when {@code onInvalid} is not null:
     * malformed SDF records and extxyz frames (see {@link SdfReader#skipInvalid} and {@link
     * ExtXyzReader#skipInvalid} for what cannot be skipped), periodic frames without
     * {@code ignoreCell} and frames above the atom limit are handed to it and reading goes on. An
     * npz file is read whole, so its errors concern the whole file and are never skipped.
     */
    public static FrameReader open(Path path, ReadOptions options, Consumer<MoleculeFormatException> onInvalid) throws IOException {
        requireFile(path);
        FrameReader r = switch (format(path)) {
            case XYZ -> ExtXyzReader.open(path, options).skipInvalid(onInvalid); // checks the size from the count line
            case SDF -> SdfReader.open(path).skipInvalid(onInvalid);
            case NPZ -> new ListReader(NpzMoleculeReader.read(path));
        };
        return options.maxAtoms() == Integer.MAX_VALUE ? r : new SizeCheckingReader(r, options, onInvalid);
    }

    /** Every readable frame of a file, bad ones skipped as {@link #open(Path, ReadOptions, Consumer)} says. */
    public static List<Frame> readFrames(Path path, ReadOptions options, Consumer<MoleculeFormatException> onInvalid) throws IOException {
        if (onInvalid == null) return readFrames(path, options);
        try (FrameReader r = open(path, options, onInvalid)) {
            return r.toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The message for a frame above the atom limit (shared by the readers that check it). */
    static String tooLarge(int frameIndex, int atoms, int maxAtoms) {
        return "frame " + (frameIndex + 1) + " has " + atoms + " atoms, more than the limit of " + maxAtoms
                + " (GFN-xTB time grows about as atoms^3; see the README's size limits); --max-atoms N raises the limit";
    }

    private static void checkSize(Frame f, ReadOptions options) {
        MoleculeFormatException e = sizeError(f, options);
        if (e != null) throw e;
    }

    private static MoleculeFormatException sizeError(Frame f, ReadOptions options) {
        return f.molecule().size() <= options.maxAtoms() ? null
                : new MoleculeFormatException(f.source(), f.line(), tooLarge(f.index(), f.molecule().size(), options.maxAtoms()));
    }

    /** Checks each frame of a reader against the atom limit: an error, or with {@code onInvalid} a skipped frame. */
    private static final class SizeCheckingReader implements FrameReader {
        private final FrameReader in;
        private final ReadOptions options;
        private final Consumer<MoleculeFormatException> onInvalid;
        private Frame pending;

        SizeCheckingReader(FrameReader in, ReadOptions options, Consumer<MoleculeFormatException> onInvalid) {
            this.in = in;
            this.options = options;
            this.onInvalid = onInvalid;
        }

        @Override
        public boolean hasNext() {
            while (pending == null && in.hasNext()) {
                Frame f = in.next();
                MoleculeFormatException e = sizeError(f, options);
                if (e == null) pending = f;
                else if (onInvalid == null) throw e;
                else onInvalid.accept(e);
            }
            return pending != null;
        }

        @Override
        public Frame next() {
            if (!hasNext()) throw new java.util.NoSuchElementException();
            Frame f = pending;
            pending = null;
            return f;
        }

        @Override
        public void close() { in.close(); }
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
