package org.unite4j.chem.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * Base of the line-oriented streaming readers (extxyz, SDF): the source with its line counter,
 * one frame read ahead, and the Iterator/Closeable plumbing. Subclasses implement {@link #hasNext()}
 * by filling {@link #pending} (or setting {@link #done}).
 */
abstract class LineFrameReader implements FrameReader {
    protected final BufferedReader in;
    protected final String file;
    /** Number of the last line read (1-based; 0 before the first). */
    protected long lineNo;
    protected Frame pending;
    protected boolean done;
    private final String unit;

    /** {@code unit} names what a frame is called in messages ("frames", "records"). */
    protected LineFrameReader(BufferedReader in, String file, String unit) {
        this.in = in;
        this.file = file;
        this.unit = unit;
    }

    @Override
    public Frame next() {
        if (!hasNext()) throw new NoSuchElementException("no more " + unit + " in " + file);
        Frame f = pending;
        pending = null;
        return f;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next line, or null at the end; counts lines for error messages. */
    protected String readLine() {
        try {
            String s = in.readLine();
            if (s != null) lineNo++;
            return s;
        } catch (java.nio.charset.CharacterCodingException e) {
            // the decoder reads ahead, so the line is where the undecodable bytes were met, or a little before
            throw new MoleculeFormatException(file, lineNo + 1, "not UTF-8 text at or after this line (a binary file, or another "
                    + "encoding?)");
        } catch (IOException e) {
            throw new UncheckedIOException(file + ":" + (lineNo + 1) + ": " + e.getMessage(), e);
        }
    }
}
