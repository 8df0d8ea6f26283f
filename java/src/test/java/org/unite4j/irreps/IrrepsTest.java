package org.unite4j.irreps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IrrepsTest {

    @Test
    void irrepParseAndPrint() {
        assertEquals(new Irrep(1, -1), Irrep.parse("1o"));
        assertEquals(new Irrep(12, 1), Irrep.parse(" 12e "));
        assertEquals("3o", new Irrep(3, -1).toString());
        assertEquals(7, Irrep.parse("3e").dim());
        assertEquals(Irrep.parse("2e"), Irrep.spherical(2));
        assertEquals(Irrep.parse("3o"), Irrep.spherical(3));
        assertThrows(IllegalArgumentException.class, () -> new Irrep(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Irrep(1, 0));
    }

    @Test
    void timesFollowsTheSelectionAndParityRule() {
        assertEquals(List.of(Irrep.parse("0e"), Irrep.parse("1e"), Irrep.parse("2e")), Irrep.parse("1o").times(Irrep.parse("1o")));
        assertEquals(List.of(Irrep.parse("1o"), Irrep.parse("2o"), Irrep.parse("3o")), Irrep.parse("2e").times(Irrep.parse("1o")));
        assertEquals(List.of(Irrep.parse("3e")), Irrep.parse("3o").times(Irrep.parse("0o")));
        for (int l1 = 0; l1 <= 4; l1++)
            for (int l2 = 0; l2 <= 4; l2++)
                for (int p1 : new int[]{1, -1})
                    for (int p2 : new int[]{1, -1}) {
                        Irrep a = new Irrep(l1, p1), b = new Irrep(l2, p2);
                        List<Irrep> t = a.times(b);
                        assertEquals(2 * Math.min(l1, l2) + 1, t.size());
                        for (int l = 0; l <= 9; l++)
                            for (int p : new int[]{1, -1}) {
                                Irrep o = new Irrep(l, p);
                                assertEquals(t.contains(o), Irrep.allowed(a, b, o));
                                assertEquals(l >= Math.abs(l1 - l2) && l <= l1 + l2 && p == p1 * p2, Irrep.allowed(a, b, o));
                            }
                    }
    }

    @Test
    void roundTripDimAndOffsets() {
        Irreps ir = Irreps.parse("16x0e+8x1o+4x2e");
        assertEquals("16x0e+8x1o+4x2e", ir.toString());
        assertEquals(ir, Irreps.parse(ir.toString()));
        assertEquals(3, ir.size());
        assertEquals(16 + 24 + 20, ir.dim());
        assertEquals(0, ir.offset(0));
        assertEquals(16, ir.offset(1));
        assertEquals(40, ir.offset(2));
        assertEquals(60, ir.offset(3));
        assertEquals(new Irreps.MulIrrep(8, Irrep.parse("1o")), ir.get(1));
        assertEquals(28, ir.numIrreps());
        assertEquals(2, ir.lmax());
        Irreps plain = Irreps.parse("0e + 1o+ 2e");
        assertEquals("1x0e+1x1o+1x2e", plain.toString());
        assertEquals(9, plain.dim());
        assertEquals(1, plain.get(0).mul());
        assertEquals(Irreps.parse("16x0e+16x1o"), Irreps.uniform(16, Irrep.parse("0e"), Irrep.parse("1o")));
    }

    @Test
    void simplifyMergesOnlyAdjacentEqualIrreps() {
        assertEquals("3x0e+1x1o+3x0e", Irreps.parse("1x0e+2x0e+1x1o+3x0e").simplify().toString());
        assertEquals("2x1o", Irreps.parse("1o+1o").simplify().toString());
        assertEquals("1x1o+1x1e", Irreps.parse("1o+1e").simplify().toString());
    }

    @Test
    void sortIsStableByLThenParity() {
        Irreps s = Irreps.parse("2x1o+3x0e+1x1e+4x0o+5x0e");
        assertEquals("3x0e+5x0e+4x0o+1x1e+2x1o", s.sort().toString());
        assertArrayEquals(new int[]{1, 4, 3, 2, 0}, s.sortPermutation());
        assertEquals("8x0e+4x0o+1x1e+2x1o", s.sort().simplify().toString());
    }

    @Test
    void tensorProductOfIrreps() {
        Irreps t = Irreps.parse("2x1o").tensorProduct(Irreps.parse("3x1o+1x0e"));
        assertEquals("6x0e+6x1e+6x2e+2x1o", t.toString());
    }

    @Test
    void layoutConversionIrMulToMulIr() {
        Irreps ir = Irreps.parse("2x0e+2x1o");
        // ir_mul: [s0 s1 | y0 y1 z0 z1 x0 x1] (m outer, channel inner)
        double[] irMul = {10, 11, 20, 21, 30, 31, 40, 41};
        double[] mulIr = ir.irMulToMulIr(irMul);
        assertArrayEquals(new double[]{10, 11, 20, 30, 40, 21, 31, 41}, mulIr);
        assertArrayEquals(irMul, ir.mulIrToIrMul(mulIr));
        assertThrows(IllegalArgumentException.class, () -> ir.irMulToMulIr(new double[7]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"16x", "2x1q", "-1x0e", "", "1x-1e", "   ", "0x0e", "x1o", "1o+", "+1o", "1.5x0e", "3", "e",
            "99999999999x0e", "1x1o++2x0e"})
    void malformedStringsAreRejectedWithTheStringQuoted(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Irreps.parse(s));
        assertTrue(e.getMessage().contains("\"" + s + "\""), e.getMessage());
    }

    @Test
    void malformedMessagesSayWhatIsWrong() {
        assertTrue(msg("16x").contains("no irrep after 'x'"), msg("16x"));
        assertTrue(msg("2x1q").contains("parity 'e' or 'o'"), msg("2x1q"));
        assertTrue(msg("-1x0e").contains("negative multiplicity"), msg("-1x0e"));
        assertTrue(msg("").contains("empty"), msg(""));
        assertTrue(msg("1x-1e").contains("negative degree"), msg("1x-1e"));
    }

    private static String msg(String s) {
        return assertThrows(IllegalArgumentException.class, () -> Irreps.parse(s)).getMessage();
    }
}
