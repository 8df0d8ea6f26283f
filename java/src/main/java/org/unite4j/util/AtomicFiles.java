package org.unite4j.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Crash-safe file and directory writes.
 *
 * <p><b>Files</b> ({@link #write}): the content goes to a temporary file {@code .NAME.PID-XXXX.tmp}
 * in the target's folder (PID: the writing process), is flushed and fsync'ed, then renamed over
 * the target with an atomic move ({@code rename(2)} on POSIX), and the folder is fsync'ed. A reader
 * sees either the old file or the complete new one, never a partial one, even after SIGKILL or
 * power loss. If writing fails the temporary file is removed, the old file stays intact, and the
 * exception propagates. A killed writer leaves its temporary file behind; the next write of the
 * same target removes it ({@link #removeStaleTemporaries}) and says so on stderr.
 *
 * <p><b>Directories</b> ({@link #writeDirectory}), e.g. a checkpoint of several files: the files
 * are written into a fresh sibling {@code DIR.tmp-XXXX} (each fsync'ed), which is then renamed to
 * {@code DIR}. If {@code DIR} already exists it is first renamed to {@code DIR.old-XXXX} and
 * deleted after the new one is in place. POSIX has no atomic exchange of two directories, so
 * there is a window between the two renames in which {@code DIR} is missing; {@link
 * #recoverDirectory} (call it before reading) closes that gap: when {@code DIR} is missing it
 * renames the newest complete {@code DIR.old-XXXX} back, and it deletes stale {@code DIR.tmp-*}
 * left by a killed writer. Thus after any crash the reader finds either the old or the new
 * complete directory.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file through an OutputStream (which the callee must not close). */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Fills a fresh, empty directory with files (write them with plain Files/streams; they are fsync'ed afterwards). */
    @FunctionalInterface
    public interface DirectoryWriter {
        void fill(Path dir) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String randomSuffix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Writes {@code bytes} to {@code target} atomically (see class doc). */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code target} atomically: temp file in the same folder, fsync, atomic rename, fsync of
     * the folder. Creates missing parent folders. On any failure the temp file is deleted and the
     * previous content of {@code target} (if any) is unchanged.
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        try (Pending p = begin(target)) {
            writer.writeTo(p.out());
            p.commit();
        }
    }

    /**
     * Starts an atomic write of {@code target} whose content is produced over several calls (a
     * streamed archive, say): write to {@link Pending#out()}, then {@link Pending#commit()}.
     * Closing a Pending that was not committed discards it and leaves {@code target} unchanged.
     * Creates missing parent folders.
     */
    public static Pending begin(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException(target + ": no parent folder");
        Files.createDirectories(dir);
        if (Files.isDirectory(abs)) throw new IOException(target + ": is a directory, cannot write a file there");
        for (Path p : removeStaleTemporaries(abs))
            System.err.println("unite: removed " + p + ", a temporary file left by an interrupted write of " + abs.getFileName());
        Path tmp = dir.resolve("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-" + randomSuffix() + ".tmp");
        return new Pending(abs, tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
    }

    /** Temporary files of ours: ".NAME.PID-XXXX.tmp", or ".NAME.XXXX.tmp" of versions before the PID was in the name. */
    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile("(?:(\\d+)-)?[0-9a-f]{12}\\.tmp");

    /** An unnamed temporary file (older naming, no PID) counts as stale after this long without a write. */
    static final java.time.Duration UNNAMED_STALE_AFTER = java.time.Duration.ofHours(1);

    /**
     * Deletes the temporary files of {@link #begin} for {@code target} that no running writer owns,
     * and returns them: those whose process (the PID in the name) has ended, or whose PID now
     * belongs to a process started after the file was last written (a reused PID), and those of the
     * older naming without a PID not written for {@link #UNNAMED_STALE_AFTER}. Temporaries of this
     * process, and any other file, are left alone.
     */
    public static List<Path> removeStaleTemporaries(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        List<Path> removed = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) return removed;
        String prefix = "." + abs.getFileName() + ".";
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) {
                var m = TEMPORARY.matcher(p.getFileName().toString().substring(prefix.length()));
                if (!m.matches() || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                java.time.Instant written;
                try {
                    written = Files.getLastModifiedTime(p).toInstant();
                } catch (NoSuchFileException gone) {
                    continue;
                }
                boolean stale;
                if (m.group(1) == null) {
                    stale = written.isBefore(java.time.Instant.now().minus(UNNAMED_STALE_AFTER));
                } else {
                    long pid = Long.parseLong(m.group(1));
                    var owner = ProcessHandle.of(pid);
                    stale = pid != self && (owner.isEmpty() || owner.get().info().startInstant().map(s -> s.isAfter(written)).orElse(false));
                }
                if (stale && Files.deleteIfExists(p)) removed.add(p);
            }
        }
        return removed;
    }

    /** An atomic write in progress: a temporary file beside the target, renamed over it on commit. */
    public static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean finished;

        private Pending(Path target, Path tmp, FileChannel channel) {
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.out = new BufferedOutputStream(new NonClosing(Channels.newOutputStream(channel)), 1 << 16);
        }

        /** The stream to write the content to (closing it is harmless; commit flushes it). */
        public OutputStream out() {
            return out;
        }

        /** Flushes, fsyncs, renames the temporary file over the target and fsyncs the folder. */
        public void commit() throws IOException {
            if (finished) throw new IOException(target + ": atomic write already finished");
            try {
                out.flush();
                channel.force(true);
                channel.close();
                moveAtomically(tmp, target);
                finished = true;
                fsyncDirectory(target.getParent());
            } finally {
                if (!finished) close();
            }
        }

        /** Discards the temporary file (if not committed); the target is left as it was. */
        @Override
        public void close() throws IOException {
            if (finished) return;
            finished = true;
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically on this file system", e);
        }
    }

    /** fsync of a folder, so a rename in it is durable. A no-op where the platform cannot open folders (Windows). */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on this platform; the rename itself is still atomic
        }
    }

    /**
     * Writes directory {@code dir} as a whole: {@code filler} fills a fresh {@code DIR.tmp-XXXX},
     * every file in it is fsync'ed, and it replaces {@code dir} by renames (see class doc). If
     * {@code filler} throws, the temp directory is deleted and {@code dir} is unchanged.
     */
    public static void writeDirectory(Path dir, DirectoryWriter filler) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null) throw new IOException(dir + ": no parent folder");
        Files.createDirectories(parent);
        recoverDirectory(abs);
        String name = abs.getFileName().toString();
        Path tmp = parent.resolve(name + ".tmp-" + randomSuffix());
        Files.createDirectory(tmp);
        boolean placed = false;
        try {
            filler.fill(tmp);
            fsyncTree(tmp);
            fsyncDirectory(parent);
            if (Files.exists(abs)) {
                if (!Files.isDirectory(abs)) throw new IOException(dir + ": exists and is not a directory");
                Path old = parent.resolve(name + ".old-" + randomSuffix());
                moveAtomically(abs, old);
                moveAtomically(tmp, abs);
                placed = true;
                fsyncDirectory(parent);
                deleteTree(old);
            } else {
                moveAtomically(tmp, abs);
                placed = true;
            }
            fsyncDirectory(parent);
        } finally {
            if (!placed) deleteTree(tmp);
        }
    }

    /**
     * Repairs the state a killed {@link #writeDirectory} may leave: if {@code dir} is missing and
     * {@code DIR.old-*} exists, the most recently modified one is renamed back to {@code dir}; all
     * other {@code DIR.old-*} and every {@code DIR.tmp-*} are deleted (a tmp directory is never
     * complete from the reader's point of view). Returns whether {@code dir} exists afterwards.
     * Must not run concurrently with a writer of the same directory.
     */
    public static boolean recoverDirectory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) return Files.isDirectory(abs);
        String name = abs.getFileName().toString();
        List<Path> olds = new ArrayList<>(), tmps = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(name + ".old-")) olds.add(p);
                else if (n.startsWith(name + ".tmp-")) tmps.add(p);
            }
        }
        for (Path t : tmps) deleteTree(t);
        if (!Files.exists(abs) && !olds.isEmpty()) {
            Path newest = olds.getFirst();
            for (Path p : olds)
                if (Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(newest)) > 0) newest = p;
            moveAtomically(newest, abs);
            olds.remove(newest);
            fsyncDirectory(parent);
        }
        for (Path o : olds) deleteTree(o);
        return Files.isDirectory(abs);
    }

    private static void fsyncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) throw exc;
                fsyncDirectory(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a file or a directory tree; a missing path is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) throw exc;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Keeps the callee from closing the channel before it is fsync'ed. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
