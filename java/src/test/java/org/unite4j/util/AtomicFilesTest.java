package org.unite4j.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesReplacesAndLeavesNoTempFiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("sub/out.json");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.write(f, out -> {
            out.write("sec".getBytes());
            out.close(); // closing inside the callback must not break the fsync
            out.write("ond".getBytes());
        });
        assertEquals("second", Files.readString(f));
        assertEquals(List.of("out.json"), names(f.getParent()));
    }

    @Test
    void failedWriteKeepsOldFileAndRemovesTemp(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.safetensors");
        AtomicFiles.writeString(f, "old content");
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", boom.getMessage());
        assertEquals("old content", Files.readString(f));
        assertEquals(List.of("model.safetensors"), names(dir));
        assertThrows(RuntimeException.class, () -> AtomicFiles.write(dir.resolve("new.bin"), out -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("model.safetensors"), names(dir), "no target and no temp after a failed first write");
    }

    @Test
    void refusesToReplaceADirectoryWithAFile(@TempDir Path dir) throws IOException {
        Files.createDirectory(dir.resolve("d"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("d"), "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void directoryWriteReplacesWholeAndFailureKeepsOld(@TempDir Path dir) throws IOException {
        Path ck = dir.resolve("checkpoint");
        AtomicFiles.writeDirectory(ck, d -> {
            Files.writeString(d.resolve("weights.bin"), "w1");
            Files.writeString(d.resolve("state.json"), "s1");
            Files.createDirectories(d.resolve("extra"));
            Files.writeString(d.resolve("extra/x"), "x1");
        });
        AtomicFiles.writeDirectory(ck, d -> {
            Files.writeString(d.resolve("weights.bin"), "w2");
            Files.writeString(d.resolve("state.json"), "s2");
        });
        assertEquals(List.of("state.json", "weights.bin"), names(ck), "stale files of the old version are gone");
        assertEquals("w2", Files.readString(ck.resolve("weights.bin")));
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(ck, d -> {
            Files.writeString(d.resolve("weights.bin"), "w3-partial");
            throw new IOException("killed halfway (simulated)");
        }));
        assertEquals("w2", Files.readString(ck.resolve("weights.bin")));
        assertEquals("s2", Files.readString(ck.resolve("state.json")));
        assertEquals(List.of("checkpoint"), names(dir));
    }

    @Test
    void recoverRestoresOldDirectoryAfterCrashBetweenRenames(@TempDir Path dir) throws IOException {
        // the state a writer killed between "rename DIR -> DIR.old-x" and "rename DIR.tmp-y -> DIR" leaves
        Path old = Files.createDirectory(dir.resolve("ck.old-1a2b"));
        Files.writeString(old.resolve("state.json"), "complete old");
        Path tmp = Files.createDirectory(dir.resolve("ck.tmp-3c4d"));
        Files.writeString(tmp.resolve("state.json"), "maybe incomplete");
        Files.writeString(dir.resolve("ck-other"), "unrelated");
        assertTrue(AtomicFiles.recoverDirectory(dir.resolve("ck")));
        assertEquals("complete old", Files.readString(dir.resolve("ck/state.json")));
        assertEquals(List.of("ck", "ck-other"), names(dir));
        // with DIR present, stale tmp and old siblings are just removed
        Files.createDirectory(dir.resolve("ck.tmp-5e6f"));
        Files.createDirectory(dir.resolve("ck.old-7a8b"));
        assertTrue(AtomicFiles.recoverDirectory(dir.resolve("ck")));
        assertEquals(List.of("ck", "ck-other"), names(dir));
        assertFalse(AtomicFiles.recoverDirectory(dir.resolve("nothing")));
    }

    /**
     * A child JVM rewrites one file and one directory in a loop; we SIGKILL it mid-way and check that
     * the file and the directory are each one complete version, never a torn one.
     */
    @Test
    void sigkillMidWriteLeavesACompleteVersion(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(dir.resolve("progress-5")) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(p.isAlive(), () -> "child died: " + readLog(dir));
            assertTrue(Files.exists(dir.resolve("progress-5")), "child made no progress");
        } finally {
            p.destroyForcibly(); // SIGKILL on POSIX
            p.waitFor(30, TimeUnit.SECONDS);
        }
        int v = CrashChild.check(Files.readAllBytes(dir.resolve("data.bin")));
        assertTrue(v >= 5, "version " + v);
        AtomicFiles.recoverDirectory(dir.resolve("ck"));
        byte[] a = Files.readAllBytes(dir.resolve("ck/a.bin")), b = Files.readAllBytes(dir.resolve("ck/b.bin"));
        int va = CrashChild.check(a), vb = CrashChild.check(b);
        assertEquals(va, vb, "both files of the directory come from the same version");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(q -> q.getFileName().toString().startsWith("ck.")), "recover cleaned the siblings");
        }
    }

    static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The child process of {@link #sigkillMidWriteLeavesACompleteVersion}. */
    public static final class CrashChild {
        static final int SIZE = 4 << 20;

        /** Content of version v: [v][fill with v*31+i pattern]; returns v or fails on a torn file. */
        static byte[] content(int v) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            b.putInt(v);
            while (b.remaining() >= 4) b.putInt(v * 31 + b.position());
            return b.array();
        }

        static int check(byte[] data) {
            assertEquals(SIZE, data.length, "torn file: wrong length");
            int v = ByteBuffer.wrap(data).getInt();
            assertTrue(Arrays.equals(content(v), data), "torn file: content of version " + v + " differs");
            return v;
        }

        public static void main(String[] args) throws IOException {
            Path dir = Path.of(args[0]);
            for (int v = 0; ; v++) {
                byte[] c = content(v);
                AtomicFiles.writeBytes(dir.resolve("data.bin"), c);
                AtomicFiles.writeDirectory(dir.resolve("ck"), d -> {
                    Files.write(d.resolve("a.bin"), c);
                    Files.write(d.resolve("b.bin"), c);
                });
                if (v <= 5) Files.createFile(dir.resolve("progress-" + v));
            }
        }
    }

    /** Issue 17 item 12: temporaries of ended writers are removed before the next write; live ones and foreign files stay. */
    @Test
    void staleTemporariesAreRemovedAndLiveOnesKept(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.npz");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path ended = dir.resolve(".out.npz." + p.pid() + "-00112233aabb.tmp");
        Path self = dir.resolve(".out.npz." + ProcessHandle.current().pid() + "-00112233aabb.tmp");
        Path reused = dir.resolve(".out.npz.1-00112233aabb.tmp"); // PID 1 is alive, but started long before... see below
        Path oldUnnamed = dir.resolve(".out.npz.00112233aabb.tmp");
        Path freshUnnamed = dir.resolve(".out.npz.445566778899.tmp");
        Path foreign = dir.resolve(".out.npz.mine.tmp");
        Path otherTarget = dir.resolve(".other.npz.1-00112233aabb.tmp");
        for (Path f : List.of(ended, self, reused, oldUnnamed, freshUnnamed, foreign, otherTarget)) Files.writeString(f, "partial");
        // a file last written before PID 1 started cannot be PID 1's: its writer had that PID before
        java.time.Instant init = ProcessHandle.of(1).orElseThrow().info().startInstant().orElse(java.time.Instant.EPOCH);
        Files.setLastModifiedTime(reused, java.nio.file.attribute.FileTime.from(init.minusSeconds(60)));
        Files.setLastModifiedTime(oldUnnamed, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(
                AtomicFiles.UNNAMED_STALE_AFTER).minusSeconds(60)));
        List<Path> removed = AtomicFiles.removeStaleTemporaries(target);
        assertEquals(java.util.Set.of(ended, reused, oldUnnamed), java.util.Set.copyOf(removed));
        for (Path f : List.of(self, freshUnnamed, foreign, otherTarget)) assertTrue(Files.exists(f), f + " must stay");
        for (Path f : removed) assertFalse(Files.exists(f));
        // a write names its temporary with its PID and removes stale ones itself
        Path ended2 = dir.resolve(".out.npz." + p.pid() + "-ffeeddccbbaa.tmp");
        Files.writeString(ended2, "partial");
        AtomicFiles.writeString(target, "x");
        assertFalse(Files.exists(ended2));
        assertEquals("x", Files.readString(target));
    }
}
