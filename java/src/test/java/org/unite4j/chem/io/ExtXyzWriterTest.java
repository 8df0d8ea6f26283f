package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;

class ExtXyzWriterTest {

    @Test
    void roundTripKeepsEverythingBitForBit(@TempDir Path dir) throws IOException {
        Random rnd = new Random(7);
        int n = 5;
        double[] pos = new double[3 * n], forces = new double[3 * n], q = new double[n];
        for (int i = 0; i < 3 * n; i++) {
            pos[i] = rnd.nextGaussian() * 3;
            forces[i] = rnd.nextGaussian() * 1e-7; // exponents must survive too
        }
        for (int i = 0; i < n; i++) q[i] = rnd.nextDouble() - 0.5;
        Map<String, String> info = new LinkedHashMap<>();
        info.put("energy", Double.toString(-1234.5678901234567));
        info.put("mu", "0.1 -0.2 0.3");
        info.put("note", "has \"quotes\" and a \\ backslash = sign");
        info.put("list", "[1, 2, 3]");
        info.put("flag", "True");
        Molecule m = new Molecule(new int[]{6, 1, 8, 17, 35}, pos, -1, 2, "odd one", info);
        Frame f = new Frame(m, List.of(
                AtomProperty.real("forces", 3, forces),
                AtomProperty.real("q", 1, q),
                new AtomProperty("tag", AtomProperty.Type.INTEGER, 1, new double[]{1, -2, 3, 40, 5}, null),
                new AtomProperty("fixed", AtomProperty.Type.LOGICAL, 1, new double[]{1, 0, 0, 1, 0}, null),
                new AtomProperty("label", AtomProperty.Type.STRING, 1, null, new String[]{"a", "b", "c", "d", "e"})), "", 0, 0);
        Path p = dir.resolve("out.extxyz");
        ExtXyzWriter.write(p, List.of(f, f));
        List<Frame> back = MoleculeReader.readFrames(p);
        assertEquals(2, back.size());
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) // not the owner-only mode of temp files
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
        Molecule b = back.get(1).molecule();
        assertArrayEquals(m.atomicNumbers(), b.atomicNumbers());
        assertArrayEquals(m.positions(), b.positions(), 0); // exact
        assertEquals(-1, b.charge());
        assertEquals(2, b.multiplicity());
        assertEquals("odd one", b.name());
        for (var e : info.entrySet()) assertEquals(e.getValue(), b.info().get(e.getKey()), e.getKey());
        assertEquals(f.atomProperties(), back.get(1).atomProperties());
    }

    @Test
    void qm7RoundTripIsIdentical(@TempDir Path dir) throws IOException {
        List<Frame> frames = MoleculeReader.readFrames(SharedData.file("qm7/qm7_pbe0.extxyz"));
        Path p = dir.resolve("qm7.extxyz");
        ExtXyzWriter.write(p, frames);
        List<Frame> back = MoleculeReader.readFrames(p);
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) assertEquals(frames.get(i).molecule(), back.get(i).molecule(), frames.get(i).where());
        // water: per-atom forces and vector labels survive too
        List<Frame> water = MoleculeReader.readFrames(SharedData.file("water/water_monomers_1k.extxyz"), org.unite4j.chem.io.ReadOptions.ignoringCell());
        Path w = dir.resolve("water.extxyz");
        ExtXyzWriter.write(w, water);
        List<Frame> wb = MoleculeReader.readFrames(w, org.unite4j.chem.io.ReadOptions.ignoringCell());
        for (int i = 0; i < water.size(); i++) {
            assertEquals(water.get(i).molecule(), wb.get(i).molecule());
            assertEquals(water.get(i).atomProperties(), wb.get(i).atomProperties());
        }
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaries(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("keep.extxyz");
        Files.writeString(p, "1\n\nH 0 0 0\n");
        Frame good = Frame.of(new Molecule(new int[]{1, 1}, new double[]{0, 0, 0, 0, 0, 0.74}));
        Iterable<Frame> failing = () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() { return true; }

            @Override
            public Frame next() {
                if (i++ == 3) throw new IllegalStateException("simulated failure while producing frames");
                return good;
            }
        };
        assertThrows(IllegalStateException.class, () -> ExtXyzWriter.write(p, failing));
        assertEquals("1\n\nH 0 0 0\n", Files.readString(p));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    @Test
    void unwritableNamesAreRejected(@TempDir Path dir) {
        Molecule m = new Molecule(new int[]{1}, new double[]{0, 0, 0}, 0, 1, "", Map.of("bad key", "1"));
        var e = assertThrows(IllegalArgumentException.class, () -> ExtXyzWriter.writeMolecules(dir.resolve("x.extxyz"), List.of(m)));
        assertTrue(e.getMessage().contains("bad key"), e.getMessage());
    }
}
