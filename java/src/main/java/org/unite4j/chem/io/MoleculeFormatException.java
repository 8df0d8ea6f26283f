package org.unite4j.chem.io;

/**
 * Malformed molecule file. The message starts with {@code FILE:LINE: } (or {@code FILE: } where
 * no line applies, e.g. an npz entry) and says what was found and what was expected.
 *
 * <p>Unchecked (an {@link IllegalArgumentException}) so that streaming readers can throw it from
 * {@link java.util.Iterator#next()}; genuine I/O failures stay {@link java.io.IOException}s (or
 * {@link java.io.UncheckedIOException} while streaming).
 */
public class MoleculeFormatException extends IllegalArgumentException {
    private final String file;
    private final long line;

    /** @param line 1-based line number, or 0 when no line applies */
    public MoleculeFormatException(String file, long line, String what) {
        super(file + (line > 0 ? ":" + line : "") + ": " + what);
        this.file = file;
        this.line = line;
    }

    public MoleculeFormatException(String file, long line, String what, Throwable cause) {
        this(file, line, what);
        initCause(cause);
    }

    /** The file as it was named to the reader. */
    public String file() { return file; }

    /** 1-based line number, 0 if none applies. */
    public long line() { return line; }
}
