package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;

class NpzTest {

    /** .npy bytes built by hand from a header dict and raw little-endian data. */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] h = (dict + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(6 + 2 + (major == 1 ? 2 : 4) + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) h.length);
        else b.putInt(h.length);
        return b.put(h).put(data).array();
    }

    static byte[] le(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) b.putDouble(d);
        return b.array();
    }

    static void zip(Path p, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(os)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    @Test
    void writeReadRoundTrip(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("t.npz");
        double[] f = {1.5, -2.25, Math.PI, 1e-300, -0.0, 6.02e23};
        int[] z = {8, 1, 1};
        long[] big = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        try (var w = NpzWriter.create(p)) {
            w.write("0/F", f, 2, 3);
            w.write("0/Z", z, 3);
            w.write("e", big, 2, 2);
            w.write("s", new double[]{42}); // 0-d scalar
            w.write("empty", new double[0], 0, 3);
            w.write("f32", new float[]{0.1f, 0.2f}, 2);
        }
        Map<String, NpyArray> a = NpzReader.open(p);
        assertEquals(List.of("0/F", "0/Z", "e", "s", "empty", "f32"), List.copyOf(a.keySet()));
        assertArrayEquals(new int[]{2, 3}, a.get("0/F").shape());
        assertEquals("<f8", a.get("0/F").dtype());
        assertArrayEquals(f, a.get("0/F").asDoubles(), 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.get("0/F").asDoubles()[4]));
        assertEquals("<i4", a.get("0/Z").dtype());
        assertArrayEquals(z, a.get("0/Z").asInts());
        assertArrayEquals(big, a.get("e").asLongs());
        assertEquals("<i8", a.get("e").dtype());
        assertArrayEquals(new int[0], a.get("s").shape());
        assertEquals(42.0, a.get("s").asDoubles()[0]);
        assertArrayEquals(new int[]{0, 3}, a.get("empty").shape());
        assertArrayEquals(new float[]{0.1f, 0.2f}, a.get("f32").asFloats());
        var e = assertThrows(IllegalArgumentException.class, () -> a.get("e").asInts());
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        // the .npy header is padded so the data starts at a multiple of 64 bytes
        byte[] bytes = NpyArray.of(f, 6).toNpy();
        int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals(10 + headerLen + 48, bytes.length);
    }

    @Test
    void handBuiltArraysOfEveryDtypeAndVersion(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("h.npz");
        ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(1.25).putDouble(-3);
        ByteBuffer i4 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(-7).putInt(0).putInt(1 << 30);
        ByteBuffer f4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-1.5f);
        zip(p, new java.util.LinkedHashMap<>(Map.of(
                "v2.npy", npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", le(3.5, -1)),
                "be.npy", npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (2, 1), }", be.array()),
                "u1.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", new byte[]{6, (byte) 200, 1}),
                "i4.npy", npy(1, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", i4.array()),
                "f4.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", f4.array()),
                "readme.txt", "not an array".getBytes(StandardCharsets.US_ASCII))));
        Map<String, NpyArray> a = NpzReader.open(p);
        assertEquals(5, a.size());
        assertArrayEquals(new double[]{3.5, -1}, a.get("v2").asDoubles(), 0);
        assertArrayEquals(new double[]{1.25, -3}, a.get("be").asDoubles(), 0);
        assertArrayEquals(new int[]{2, 1}, a.get("be").shape());
        assertArrayEquals(new int[]{6, 200, 1}, a.get("u1").asInts());
        assertArrayEquals(new long[]{-7, 0, 1 << 30}, a.get("i4").asLongs());
        assertArrayEquals(new double[]{0.5, -1.5}, a.get("f4").asDoubles(), 0);
        // floats holding integers can be read as integers; others cannot
        assertArrayEquals(new int[]{3, -1}, NpyArray.of(new double[]{3, -1}, 2).asInts());
        assertThrows(IllegalArgumentException.class, () -> a.get("v2").asInts());
    }

    private static MoleculeFormatException badEntry(Path dir, String dict, byte[] data) throws IOException {
        Path p = dir.resolve("bad.npz");
        zip(p, Map.of("x.npy", npy(1, dict, data)));
        return assertThrows(MoleculeFormatException.class, () -> NpzReader.open(p));
    }

    @Test
    void unsupportedArraysAreRejectedNamingFileAndEntry(@TempDir Path dir) throws IOException {
        var fortran = badEntry(dir, "{'descr': '<f8', 'fortran_order': True, 'shape': (2,), }", le(1, 2));
        assertTrue(fortran.getMessage().startsWith(dir.resolve("bad.npz") + ": entry 'x.npy'")
                && fortran.getMessage().contains("Fortran"), fortran.getMessage());
        var obj = badEntry(dir, "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", new byte[16]);
        assertTrue(obj.getMessage().contains("object arrays"), obj.getMessage());
        var str = badEntry(dir, "{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", new byte[20]);
        assertTrue(str.getMessage().contains("'<U5' is not supported"), str.getMessage());
        var rec = badEntry(dir, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertTrue(rec.getMessage().contains("structured"), rec.getMessage());
        var shortData = badEntry(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", le(1, 2));
        assertTrue(shortData.getMessage().contains("24 bytes, but 16 bytes follow"), shortData.getMessage());
        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "hello");
        var io = assertThrows(IOException.class, () -> NpzReader.open(notZip));
        assertTrue(io.getMessage().contains(notZip.toString()), io.getMessage());
    }

    @Test
    void writerIsAtomicAndValidatesInput(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("keep.npz");
        try (var w = NpzWriter.create(p)) {
            w.write("a", new double[]{1, 2}, 2);
        }
        byte[] before = Files.readAllBytes(p);
        var e = assertThrows(IllegalArgumentException.class, () -> {
            try (var w = NpzWriter.create(p)) {
                w.write("a", new double[]{9}, 1);
                w.write("b", new double[]{1, 2, 3}, 2, 2); // wrong shape: poisons the writer
            }
        });
        assertTrue(e.getMessage().contains("[2, 2]") && e.getMessage().contains("3 were given"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        assertThrows(IllegalArgumentException.class, () -> {
            try (var w = NpzWriter.create(p)) {
                w.write("a", new double[]{1}, 1);
                w.write("a", new double[]{1}, 1);
            }
        });
        assertThrows(IllegalArgumentException.class, () -> {
            try (var w = NpzWriter.create(p)) {
                w.write("../evil", new double[]{1}, 1);
            }
        });
        var w = NpzWriter.create(p);
        w.write("z", new int[]{1}, 1);
        w.abort();
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList(), "no temporary files left behind");
        }
    }

    @Test
    void groupedMoleculeLayoutReadsBack(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("mols.npz");
        try (var w = NpzWriter.create(p)) {
            for (int i = 0; i < 12; i++) { // "10" sorts after "9" numerically, not as text
                w.write(i + "/Z", new int[]{8, 1, 1}, 3);
                w.write(i + "/R", new double[]{0, 0, 0.1 * i, 0, 0.76, -0.47, 0, -0.76, -0.47}, 3, 3);
                w.write(i + "/energy", new double[]{-76.0 - i}, 1);
                w.write(i + "/F", new double[9], 3, 3);
            }
        }
        List<Frame> frames = MoleculeReader.readFrames(p);
        assertEquals(12, frames.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(-76.0 - i, frames.get(i).label("energy"));
            assertEquals(0.1 * i, frames.get(i).molecule().x(0, 2));
        }
    }

    @Test
    void flatLayoutErrors(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("m.npz");
        try (var w = NpzWriter.create(p)) {
            w.write("nuclear_charges", new int[]{6, 1}, 2);
            w.write("coords", new double[]{0, 0, 0, 0, 0, Double.NaN}, 1, 2, 3);
        }
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ": frame 1") && e.getMessage().contains("NaN"), e.getMessage());
        try (var w = NpzWriter.create(p)) {
            w.write("nuclear_charges", new int[]{6, 1, 1}, 3);
            w.write("coords", new double[6], 1, 2, 3);
        }
        e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().contains("[3]") && e.getMessage().contains("[1, 2, 3]"), e.getMessage());
        try (var w = NpzWriter.create(p)) {
            w.write("x", new double[6], 2, 3);
        }
        e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().contains("nuclear_charges") && e.getMessage().contains("[x]"), e.getMessage());
        try (var w = NpzWriter.create(p)) {
            w.write("Z", new int[]{6, 0}, 2);
            w.write("R", new double[6], 2, 3);
        }
        e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().contains("atomic number 0"), e.getMessage());
    }

    // ---- interoperability with numpy, where python3 + numpy exist here ----

    private static boolean numpyAvailable() {
        try {
            Process pr = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            pr.getInputStream().readAllBytes();
            return pr.waitFor(60, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String python(String script, Path dir) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("python3", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pr.getInputStream().transferTo(out);
        assertTrue(pr.waitFor(120, TimeUnit.SECONDS), "python timed out");
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, pr.exitValue(), s);
        return s.strip();
    }

    @Test
    void numpyReadsOurNpzAndWeReadNumpys(@TempDir Path dir) throws Exception {
        if (!numpyAvailable()) {
            System.out.println("NpzTest: python3 with numpy not found; skipping the numpy interoperability check");
            assumeTrue(false, "python3 with numpy not available");
        }
        try (var w = NpzWriter.create(dir.resolve("ours.npz"))) {
            w.write("0/F", new double[]{1.5, -2, 3, 4.25, 5, 6}, 2, 3);
            w.write("0/Z", new int[]{8, 1, 1}, 3);
            w.write("e", new long[]{-5, 1L << 40}, 2);
            w.write("s", new double[]{7});
        }
        String got = python("""
                import numpy as np
                d = np.load('ours.npz', allow_pickle=False)
                print(sorted(d.files))
                print(d['0/F'].dtype, d['0/F'].shape, d['0/F'].tolist())
                print(d['0/Z'].dtype, d['0/Z'].tolist(), d['e'].dtype, d['e'].tolist(), d['s'].shape, float(d['s']))
                """, dir);
        assertEquals("""
                ['0/F', '0/Z', 'e', 's']
                float64 (2, 3) [[1.5, -2.0, 3.0], [4.25, 5.0, 6.0]]
                int32 [8, 1, 1] int64 [-5, 1099511627776] () 7.0""", got);

        python("""
                import numpy as np
                a = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
                np.savez('plain.npz', a=a, b=np.arange(5, dtype=np.int64) - 2, c=np.array([1, 2, 250], dtype=np.uint8),
                         d=np.float32([0.1, 0.2]), t=a.T.copy())
                np.savez_compressed('packed.npz', a=a)
                np.savez('fortran.npz', f=np.asfortranarray(a))
                np.savez('objects.npz', o=np.array([{'x': 1}, None], dtype=object))
                with open('v2.npy', 'wb') as fh:
                    np.lib.format.write_array(fh, a, version=(2, 0))
                import zipfile
                with zipfile.ZipFile('v2.npz', 'w') as z:
                    z.write('v2.npy')
                """, dir);
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) expected[i] = i / 7.0;
        for (String name : List.of("plain.npz", "packed.npz")) {
            NpyArray a = NpzReader.open(dir.resolve(name)).get("a");
            assertArrayEquals(new int[]{3, 4}, a.shape());
            assertArrayEquals(expected, a.asDoubles(), 0);
        }
        Map<String, NpyArray> plain = NpzReader.open(dir.resolve("plain.npz"));
        assertArrayEquals(new long[]{-2, -1, 0, 1, 2}, plain.get("b").asLongs());
        assertArrayEquals(new int[]{1, 2, 250}, plain.get("c").asInts());
        assertArrayEquals(new float[]{0.1f, 0.2f}, plain.get("d").asFloats());
        assertArrayEquals(new int[]{4, 3}, plain.get("t").shape());
        assertEquals(5 / 7.0, plain.get("t").asDoubles()[1 * 3 + 1]); // t[1][1] = a[1][1] = 5/7, C order
        assertArrayEquals(expected, NpzReader.open(dir.resolve("v2.npz")).get("v2").asDoubles(), 0);
        var f = assertThrows(MoleculeFormatException.class, () -> NpzReader.open(dir.resolve("fortran.npz")));
        assertTrue(f.getMessage().contains("Fortran") && f.getMessage().contains("'f.npy'"), f.getMessage());
        var o = assertThrows(MoleculeFormatException.class, () -> NpzReader.open(dir.resolve("objects.npz")));
        assertTrue(o.getMessage().contains("object arrays"), o.getMessage());
        assertFalse(Files.exists(dir.resolve("ours.npz.tmp")));
    }

    @Test
    void moleculesRoundTripThroughNpz(@TempDir Path dir) throws IOException {
        Molecule m = new Molecule(new int[]{6, 8}, new double[]{0, 0, 0, 0, 0, 1.128});
        Path p = dir.resolve("co.npz");
        try (var w = NpzWriter.create(p)) {
            w.write("Z", m.atomicNumbers(), 2);
            w.write("R", m.positions(), 1, 2, 3);
            w.write("E", new double[]{-113.3}, 1);
        }
        Frame f = MoleculeReader.readFrames(p).get(0);
        assertArrayEquals(m.positions(), f.molecule().positions(), 0);
        assertEquals(-113.3, f.label("E"));
    }

    /** Issue 17 item 4: a shape claiming more than the entry holds is an error naming file and entry, before allocating for it. */
    @Test
    void shapesAreCheckedAgainstTheEntrysRealSize(@TempDir Path dir) throws IOException {
        MoleculeFormatException more = badEntry(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000,), }", le(1, 2));
        assertEquals(dir.resolve("bad.npz") + ": entry 'x.npy': header says shape [1000] of <f8 = 8000 bytes, but 16 bytes follow",
                more.getMessage());
        MoleculeFormatException huge = badEntry(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", le(1));
        assertTrue(huge.getMessage().endsWith("entry 'x.npy': header says shape [100000, 100000] of <f8 = 80000000000 bytes, more than "
                + "an array can hold (2^31-1)"), huge.getMessage());
        MoleculeFormatException overflow = badEntry(dir, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000, 2000000000, 3), }",
                le(1));
        assertTrue(overflow.getMessage().endsWith("= more than 2^63 bytes, more than an array can hold (2^31-1)"), overflow.getMessage());
    }
}
