package org.unite4j.chem.io;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Frames of a file, one at a time, without loading the whole file where the format allows
 * (xyz/extxyz, SDF). {@link #next()} throws {@link MoleculeFormatException} on bad input and
 * {@link java.io.UncheckedIOException} on I/O failure. Close it when done.
 */
public interface FrameReader extends Iterator<Frame>, Closeable {

    /** Reads the remaining frames into a list. */
    default List<Frame> toList() {
        List<Frame> out = new ArrayList<>();
        while (hasNext()) out.add(next());
        return out;
    }

    /** The remaining frames as a sequential stream (closing the stream does not close the reader). */
    default Stream<Frame> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    void close();
}
