package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;

class ExtXyzReaderTest {
    static final String TWO_FRAMES = """
            3
            Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1 energy=-76.5 name="water one" Lattice="10 0 0 0 10 0 0 0 10" pbc="F F F" relaxed mu=[0.1, -0.2, 0.3] esc="a \\"q\\" b"
            O 0.0 0.0 0.1173 0.5 0.0 -1.0 7
            H 0.0 0.7572 -0.4692 -0.25 0.1 0.5 8
            H\t0.0  -0.7572 -0.4692 \t -0.25 -0.1 0.5 9
            2
            Properties=species:S:1:pos:R:3:forces:R:3:tag:I:1 energy = -1.17 charge=1 multiplicity=2
            H 0 0 0 0 0 1 1
            H 0 0 0.74 0 0 -1 2
            """;

    @Test
    void parsesKeyValuesQuotesBareKeysAndPerAtomColumns() {
        List<Frame> frames = ExtXyzReader.parse(TWO_FRAMES, "two.extxyz");
        assertEquals(2, frames.size());
        Frame f = frames.get(0);
        Molecule m = f.molecule();
        assertArrayEquals(new int[]{8, 1, 1}, m.atomicNumbers());
        assertArrayEquals(new double[]{0, 0, 0.1173, 0, 0.7572, -0.4692, 0, -0.7572, -0.4692}, m.positions(), 0);
        assertEquals("water one", m.name());
        assertEquals("-76.5", m.info().get("energy"));
        assertEquals("10 0 0 0 10 0 0 0 10", m.info().get("Lattice"));
        assertEquals("True", m.info().get("relaxed"));
        assertEquals("a \"q\" b", m.info().get("esc"));
        assertTrue(!m.info().containsKey("Properties"), "Properties is structure, not a label");
        assertArrayEquals(new double[]{0.1, -0.2, 0.3}, f.labelVector("mu"), 0);
        assertEquals(-76.5, f.label("energy"));
        assertArrayEquals(new double[]{0.5, 0, -1, -0.25, 0.1, 0.5, -0.25, -0.1, 0.5}, f.forces().orElseThrow(), 0);
        assertArrayEquals(new double[]{7, 8, 9}, f.atomValues("tag"), 0);
        assertEquals(AtomProperty.Type.INTEGER, f.atomProperty("tag").orElseThrow().type());
        assertEquals(0, f.index());
        assertEquals(1, f.line());

        Frame g = frames.get(1);
        assertEquals(1, g.molecule().charge());
        assertEquals(2, g.molecule().multiplicity());
        assertEquals(-1.17, g.label("energy"));
        assertEquals(6, g.line());
        var e = assertThrows(IllegalArgumentException.class, () -> g.label("dipole"));
        assertTrue(e.getMessage().startsWith("two.extxyz:6:") && e.getMessage().contains("dipole")
                && e.getMessage().contains("energy"), e.getMessage());
    }

    @Test
    void plainXyzCommentBecomesName() {
        List<Frame> frames = ExtXyzReader.parse("2\nhydrogen molecule\nH 0 0 0\nH 0 0 0.74\n\n", "h2.xyz");
        assertEquals(1, frames.size());
        assertEquals("hydrogen molecule", frames.get(0).molecule().name());
        assertTrue(frames.get(0).molecule().info().isEmpty());
        assertTrue(frames.get(0).atomProperties().isEmpty());
    }

    @Test
    void windowsLineEndingsAndByteOrderMark() {
        List<Frame> frames = ExtXyzReader.parse("\uFEFF2\r\nenergy=-1.5\r\nH 0 0 0\r\nH 0 0 0.74\r\n", "win.xyz");
        assertEquals(-1.5, frames.get(0).label("energy"));
        assertEquals(0.74, frames.get(0).molecule().x(1, 2));
    }

    @Test
    void atomicNumbersAsSpecies() {
        Molecule m = ExtXyzReader.parse("2\n\n6 0 0 0\n8 0 0 1.128\n", "co.xyz").get(0).molecule();
        assertArrayEquals(new int[]{6, 8}, m.atomicNumbers());
    }

    private static MoleculeFormatException bad(String text) {
        return assertThrows(MoleculeFormatException.class, () -> ExtXyzReader.parse(text, "bad.xyz"));
    }

    @Test
    void unknownElementNamesFileAndLine() {
        var e = bad("2\n\nC 0 0 0\nXx 0 0 1\n");
        assertEquals(4, e.line());
        assertTrue(e.getMessage().startsWith("bad.xyz:4:") && e.getMessage().contains("'Xx'"), e.getMessage());
    }

    @Test
    void nanCoordinateNamesFileLineAndAxis() {
        var e = bad("2\nenergy=1\nC 0 0 0\nO 0 NaN 1\n");
        assertTrue(e.getMessage().startsWith("bad.xyz:4:") && e.getMessage().contains("pos y") && e.getMessage().contains("NaN"),
                e.getMessage());
        var e2 = bad("1\nProperties=species:S:1:pos:R:3:forces:R:3\nC 0 0 0 0 inf 0\n");
        assertTrue(e2.getMessage().startsWith("bad.xyz:3:") && e2.getMessage().contains("forces"), e2.getMessage());
    }

    @Test
    void binaryInputNamesTheFileAndSaysItIsNotText(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("binary.xyz");
        byte[] bytes = "1\ncomment\nH 0 0 0\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 4);
        bad[bytes.length] = (byte) 0xff;
        bad[bytes.length + 1] = (byte) 0xfe;
        bad[bytes.length + 2] = (byte) 0x00;
        bad[bytes.length + 3] = (byte) 0x81;
        Files.write(p, bad);
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ":") && e.getMessage().contains("not UTF-8 text"), e.getMessage());
    }

    @Test
    void aHugeAtomCountEndsAsATruncatedFrameWithoutAllocatingIt(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("huge.xyz");
        for (String count : new String[]{"1000000000", "2147483647"}) {
            Files.writeString(p, count + "\ncomment\nH 0 0 0\nH 0 0 0.74\n");
            var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
            assertTrue(e.getMessage().contains("truncated frame 1") && e.getMessage().contains("after 2 atom lines"), e.getMessage());
        }
        // a frame longer than the initial allocation still reads in full
        StringBuilder sb = new StringBuilder("5000\nbig\n");
        for (int i = 0; i < 5000; i++) sb.append("H ").append(i * 1.0).append(" 0 0\n");
        Files.writeString(p, sb.toString());
        var m = MoleculeReader.read(p).get(0);
        assertTrue(m.size() == 5000 && m.x(4999, 0) == 4999.0);
    }

    @Test
    void emptyFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("empty.xyz");
        Files.writeString(p, "");
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ":1:") && e.getMessage().contains("empty"), e.getMessage());
        Files.writeString(p, "\n  \n");
        assertThrows(MoleculeFormatException.class, () -> MoleculeReader.read(p));
    }

    @Test
    void truncatedFrame() {
        // declares 3 atoms, file ends after 2
        var e = bad("3\nenergy=1\nO 0 0 0\nH 0 0 1\n");
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("3 atoms") && e.getMessage().contains("after 2"),
                e.getMessage());
        // declares 3 atoms but the next frame starts after 2: the count line has the wrong column count
        var e2 = bad("3\n\nO 0 0 0\nH 0 0 1\n1\n\nH 0 0 0\n");
        assertEquals(5, e2.line());
        assertTrue(e2.getMessage().contains("expected 4 columns") && e2.getMessage().contains("found 1"), e2.getMessage());
        // no comment line at all
        var e3 = bad("2\n");
        assertTrue(e3.getMessage().startsWith("bad.xyz:2:"), e3.getMessage());
    }

    @Test
    void wrongColumnCount() {
        var e = bad("2\nProperties=species:S:1:pos:R:3:forces:R:3\nC 0 0 0 1 2 3\nO 0 0 1 1 2\n");
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("expected 7 columns") && e.getMessage().contains("found 6")
                && e.getMessage().contains("forces:R:3"), e.getMessage());
        var e2 = bad("1\n\nC 0 0 0 5\n");
        assertTrue(e2.getMessage().startsWith("bad.xyz:3:") && e2.getMessage().contains("found more"), e2.getMessage());
    }

    @Test
    void badHeaderLines() {
        assertTrue(bad("two\n\nH 0 0 0\n").getMessage().startsWith("bad.xyz:1: expected the number of atoms"));
        assertTrue(bad("0\n\n").getMessage().contains("at least 1"));
        assertTrue(bad("1\nname=\"open\nH 0 0 0\n").getMessage().contains("unterminated quote"));
        assertTrue(bad("1\nProperties=species:S:1:pos:X:3\nH 0 0 0\n").getMessage().contains("type must be"));
        assertTrue(bad("1\nProperties=species:S:1\nH\n").getMessage().contains("no pos:R:3"));
        assertTrue(bad("1\ncharge=0.5\nH 0 0 0\n").getMessage().contains("charge=0.5 is not an integer"));
        var e = bad("2\n\nH 0 0 0\nH 0 0 x\n");
        assertTrue(e.getMessage().startsWith("bad.xyz:4:") && e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void streamsFramesLazily(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("s.extxyz");
        // second frame is broken: the first one must still be delivered before the error
        Files.writeString(p, "1\n\nH 0 0 0\n1\n\nQq 0 0 0\n");
        try (FrameReader r = MoleculeReader.open(p)) {
            assertTrue(r.hasNext());
            assertEquals(1, r.next().molecule().atomicNumber(0));
            var e = assertThrows(MoleculeFormatException.class, r::hasNext);
            assertEquals(6, e.line());
        }
    }

    /** Issue 17 item 9: a periodic frame is an error naming file, line and frame, unless the cell is ignored. */
    @Test
    void periodicFramesAreRefusedUnlessTheCellIsIgnored(@TempDir Path dir) throws IOException {
        String atom = "H 0 0 0\nH 0 0 0.74\n";
        String[][] cases = {
                {"pbc=\"T T T\" Lattice=\"5 0 0 0 5 0 0 0 5\"", "pbc=\"T T T\""},
                {"pbc=\"F T F\" Lattice=\"5 0 0 0 5 0 0 0 5\"", "pbc=\"F T F\""},
                {"Lattice=\"5 0 0 0 5 0 0 0 5\"", "Lattice without pbc"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("cell.extxyz");
            Files.writeString(f, "2\nname=ok\n" + atom + "2\n" + c[0] + "\n" + atom);
            MoleculeFormatException e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.readFrames(f));
            assertEquals(f + ":6: frame 2 is periodic (" + c[1] + "), but unite computes isolated molecules; --ignore-cell reads "
                    + "it as one (the cell is ignored)", e.getMessage());
            List<Frame> frames = MoleculeReader.readFrames(f, ReadOptions.ignoringCell());
            assertEquals(2, frames.size());
        }
        Path box = dir.resolve("box.extxyz");
        Files.writeString(box, "2\npbc=\"F F F\" Lattice=\"5 0 0 0 5 0 0 0 5\"\n" + atom);
        assertEquals(1, MoleculeReader.readFrames(box).size());
    }

    /** Issue 17 item 5: a frame above the atom limit is refused from its count line, before its atoms are read. */
    @Test
    void framesAboveTheAtomLimitAreRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("big.xyz");
        Files.writeString(f, "2\nsmall\nH 0 0 0\nH 0 0 0.74\n3\nbig\nO 0 0 0\nH 0 0 1\nH 0 1 0\n");
        ReadOptions two = new ReadOptions(false, 2);
        MoleculeFormatException e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.readFrames(f, two));
        assertTrue(e.getMessage().startsWith(f + ":5: frame 2 has 3 atoms, more than the limit of 2 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("--max-atoms N raises the limit"), e.getMessage());
        try (FrameReader r = MoleculeReader.open(f, two)) {
            assertEquals(2, r.next().molecule().size());
            assertThrows(MoleculeFormatException.class, r::next);
        }
        assertEquals(2, MoleculeReader.readFrames(f, new ReadOptions(false, 3)).size());
    }

    @Test
    void skipInvalidLeavesOutBadFramesAndResumesAtTheNextCountLine(@TempDir Path tmp) throws IOException {
        String text = """
                1
                first
                H 0 0 0
                2
                second, unknown element
                H 0 0 0
                Xq 0 0 1
                3
                third: a periodic frame pbc="T T T"
                O 0 0 0
                H 0 0 1
                H 0 1 0
                2
                fourth, too few columns
                H 0 0
                H 0 0 1
                1
                fifth
                He 0 0 5
                """;
        Path f = tmp.resolve("mixed.extxyz");
        Files.writeString(f, text);
        List<MoleculeFormatException> bad = new java.util.ArrayList<>();
        List<Frame> frames;
        try (FrameReader r = MoleculeReader.open(f, ReadOptions.DEFAULT, bad::add)) {
            frames = r.toList();
        }
        assertEquals(2, frames.size());
        assertArrayEquals(new int[]{1}, frames.get(0).molecule().atomicNumbers());
        assertArrayEquals(new int[]{2}, frames.get(1).molecule().atomicNumbers());
        assertEquals(0, frames.get(0).index());
        assertEquals(4, frames.get(1).index(), "indices count the skipped frames");
        assertEquals(17, frames.get(1).line());
        assertEquals(3, bad.size());
        assertTrue(bad.get(0).getMessage().startsWith(f + ":7:") && bad.get(0).getMessage().contains("Xq"), bad.get(0).getMessage());
        assertTrue(bad.get(1).getMessage().contains("periodic"), bad.get(1).getMessage());
        assertTrue(bad.get(2).getMessage().startsWith(f + ":15:"), bad.get(2).getMessage());
        // without the handler the first bad frame is the error
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.readFrames(f, ReadOptions.DEFAULT));
        assertTrue(e.getMessage().contains("Xq"), e.getMessage());
        // the atom limit skips too, through the same handler
        bad.clear();
        assertEquals(2, MoleculeReader.readFrames(f, new ReadOptions(true, 2), bad::add).size());
        assertEquals(3, bad.size());
        assertTrue(bad.get(1).getMessage().contains("limit of 2"), bad.get(1).getMessage());
    }

    @Test
    void skipInvalidStillStopsAtACountLineThatIsNoNumber(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("lost.extxyz");
        Files.writeString(f, "1\nok\nH 0 0 0\nthree\nx\nH 0 0 0\n");
        List<MoleculeFormatException> bad = new java.util.ArrayList<>();
        var e = assertThrows(MoleculeFormatException.class, () -> MoleculeReader.readFrames(f, ReadOptions.DEFAULT, bad::add));
        assertTrue(e.getMessage().startsWith(f + ":4:") && e.getMessage().contains("number of atoms"), e.getMessage());
        assertTrue(bad.isEmpty());
    }
}
