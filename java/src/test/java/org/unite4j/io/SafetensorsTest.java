package org.unite4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.io.Safetensors.Contents;
import org.unite4j.io.Safetensors.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return b.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] f32le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    // Reference bytes: the unit tests of the Rust `safetensors` crate (safetensors/src/tensor.rs:
    // test_serialization, test_serialization_forced_alignement, test_empty), which the Python
    // package wraps. Written here as header text + data rather than as byte lists.

    @Test
    void matchesLibraryBytesForOneTensorAndForcedAlignment() {
        float[] data = {0, 1, 2, 3, 4, 5};
        byte[] got = Safetensors.toBytes(Map.of("attn.0", Tensor.f32(data, 1, 2, 3)), null);
        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(64, header.length());
        byte[] expected = concat(le64(64), ascii(header), f32le(data));
        assertArrayEquals(expected, got);
        // the data bytes of 0..5 as the library test lists them
        assertArrayEquals(new byte[]{0, 0, 0, 0, 0, 0, (byte) 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, (byte) 128, 64, 0, 0, (byte) 160, 64},
                Arrays.copyOfRange(got, 72, 96));

        got = Safetensors.toBytes(Map.of("attn0", Tensor.f32(data, 1, 1, 2, 3)), null);
        header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(65, header.length());
        expected = concat(le64(72), ascii(header + "       "), f32le(data));
        assertArrayEquals(expected, got, "header padded with 7 spaces to 72 bytes");
    }

    @Test
    void matchesLibraryBytesForEmptyFiles() throws IOException {
        byte[] empty = Safetensors.toBytes(Map.of(), null);
        assertArrayEquals(new byte[]{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', 32, 32, 32, 32, 32, 32}, empty);
        byte[] withMeta = Safetensors.toBytes(Map.of(), Map.of("framework", "pt"));
        assertArrayEquals(concat(le64(40), ascii("{\"__metadata__\":{\"framework\":\"pt\"}}     ")), withMeta);
        Contents c = Safetensors.fromBytes(withMeta, "mem");
        assertTrue(c.tensors().isEmpty());
        assertEquals(Map.of("framework", "pt"), c.metadata());
        assertTrue(c.hasMetadata());
        assertFalse(Safetensors.fromBytes(empty, "mem").hasMetadata());
    }

    @Test
    void readsUnpaddedFilesOfOlderLibraryVersions() throws IOException {
        // bindings/python/tests/test_simple.py (older releases wrote no padding): header length 60 ('<')
        byte[] file = concat(le64(60), ascii("{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"),
                new byte[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0});
        Contents c = Safetensors.fromBytes(file, "old.safetensors");
        Tensor t = c.get("test");
        assertEquals(Safetensors.DType.I32, t.dtype());
        assertArrayEquals(new long[]{2, 2}, t.shape());
        assertArrayEquals(new int[]{0, 0, 0, 1}, t.toInts());
    }

    @Test
    void layoutSortsByDtypeAlignmentThenNameLikeTheLibrary() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.i32(new int[]{7}));
        m.put("b", Tensor.f32(new float[]{1.5f}));
        m.put("c", Tensor.f64(new double[]{2.5, -1}, 2));
        m.put("d", Tensor.i64(new long[]{Long.MIN_VALUE}));
        m.put("a2", Tensor.f32(new float[]{3f}));
        m.put("s", Tensor.scalarF64(4.0));
        byte[] bytes = Safetensors.toBytes(m, Map.of("format", "unite4j"));
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertEquals("{\"__metadata__\":{\"format\":\"unite4j\"},"
                + "\"d\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"c\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[8,24]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[24,32]},"
                + "\"a2\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[32,36]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[36,40]},"
                + "\"a\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[40,44]}}", header.stripTrailing());
        assertEquals(0, n % 8);
        assertEquals(8 + n + 44, bytes.length);
        Contents c = Safetensors.fromBytes(bytes, "mem");
        assertEquals(List.of("d", "c", "s", "a2", "b", "a"), List.copyOf(c.tensors().keySet()), "tensors come back in offset order");
        for (var e : m.entrySet()) assertEquals(e.getValue(), c.get(e.getKey()), e.getKey());
        assertEquals(Long.MIN_VALUE, c.get("d").toLongs()[0]);
        assertArrayEquals(new long[0], c.get("s").shape());
    }

    @Test
    void fileRoundTripIsBitExactIncludingNaNPayloads(@TempDir Path dir) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        double[] d = new double[199_997]; // > one 64 KiB write chunk and one 1 MiB read chunk
        for (int i = 0; i < d.length; i++) d[i] = Double.longBitsToDouble(r.nextLong());
        float[] f = new float[40_001];
        for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat(r.nextInt());
        long[] l = r.longs(17).toArray();
        int[] in = r.ints(33).toArray();
        Map<String, Tensor> m = Map.of("w.f64", Tensor.f64(d, 7, 28571, 1), "w.f32", Tensor.f32(f), "idx", Tensor.i64(l), "z", Tensor.i32(in, 3, 11));
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, m, Map.of("unite4j_version", "1", "note", "tab\there \"quoted\" é"));
        assertArrayEquals(Safetensors.toBytes(m, Map.of("unite4j_version", "1", "note", "tab\there \"quoted\" é")), Files.readAllBytes(file));
        Contents c = Safetensors.read(file);
        Safetensors.Header h = Safetensors.readHeader(file);
        assertEquals(List.copyOf(c.tensors().keySet()), List.copyOf(h.tensors().keySet()));
        assertEquals(Safetensors.DType.F64, h.tensors().get("w.f64").dtype());
        assertArrayEquals(new long[]{7, 28571, 1}, h.tensors().get("w.f64").shape());
        assertEquals(8L * 199_997, h.tensors().get("w.f64").end() - h.tensors().get("w.f64").begin());
        assertEquals(c.metadata(), h.metadata());
        assertEquals(0, h.headerBytes() % 8);
        double[] d2 = (double[]) c.get("w.f64").data();
        for (int i = 0; i < d.length; i++) assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(d2[i]));
        float[] f2 = (float[]) c.get("w.f32").data();
        for (int i = 0; i < f.length; i++) assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(f2[i]));
        assertArrayEquals(l, (long[]) c.get("idx").data());
        assertArrayEquals(in, (int[]) c.get("z").data());
        assertArrayEquals(new long[]{7, 28571, 1}, c.get("w.f64").shape());
        assertEquals("tab\there \"quoted\" é", c.metadata().get("note"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.get("missing"));
        assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("w.f64"), e.getMessage());
    }

    @Test
    void rejectsBadTensorsWhenWriting() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.f64(new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f64(new double[0], -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.toBytes(Map.of("__metadata__", Tensor.scalarF64(1)), null));
        assertThrows(IllegalArgumentException.class, () -> Tensor.f32(new float[]{1}).toLongs());
    }

    /** A valid two-tensor file whose header we then corrupt. */
    static byte[] withHeader(String header, int dataBytes) {
        String padded = header + " ".repeat((8 - header.length() % 8) % 8);
        return concat(le64(padded.length()), ascii(padded), new byte[dataBytes]);
    }

    static void assertInvalid(byte[] bytes, String fragment) {
        IOException e = assertThrows(IOException.class, () -> Safetensors.fromBytes(bytes, "ck/model.safetensors"), fragment);
        assertTrue(e.getMessage().startsWith("ck/model.safetensors: invalid safetensors file: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void corruptedFilesGiveClearErrors(@TempDir Path dir) throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]}}";
        assertEquals(2, Safetensors.fromBytes(withHeader(ok, 28), "x").tensors().size());

        assertInvalid(new byte[5], "only 5 bytes");
        assertInvalid(concat(le64(1L << 40), new byte[64]), "beyond the limit");
        assertInvalid(concat(le64(-1), new byte[64]), "beyond the limit");
        assertInvalid(concat(le64(500), ascii("{}      ")), "runs past the end of the file");
        assertInvalid(concat(le64(8), ascii("[1,2]   ")), "does not start with '{'");
        assertInvalid(concat(le64(8), ascii("{\"a\":1, ")), "header:1:9");
        assertInvalid(concat(le64(8), new byte[]{'{', '"', (byte) 0xFF, '"', ':', '1', '}', ' '}), "UTF-8");
        assertInvalid(withHeader(ok.replace("\"F32\"", "\"F128\""), 28), "unknown dtype \"F128\"");
        assertInvalid(withHeader(ok.replace("\"F32\",\"shape\":[3],\"data_offsets\":[16,28]", "\"BF16\",\"shape\":[6],\"data_offsets\":[16,28]"), 28),
                "dtype BF16 is not supported");
        assertInvalid(withHeader(ok.replace("[16,28]", "[8,20]"), 28), "overlap");
        assertInvalid(withHeader(ok.replace("[16,28]", "[20,32]"), 32), "gap");
        assertInvalid(withHeader(ok, 20), "run past the end of the data (20 bytes)");
        assertInvalid(withHeader(ok, 36), "cover 28 data bytes but the file has 36");
        assertInvalid(withHeader(ok.replace("[16,28]", "[16,24]"), 24), "span 8 bytes but shape [3] of F32 needs 12");
        assertInvalid(withHeader(ok.replace("[16,28]", "[28,16]"), 28), "end before they begin");
        assertInvalid(withHeader(ok.replace("\"shape\":[3]", "\"shape\":[-3]"), 28), "non-negative integers");
        assertInvalid(withHeader(ok.replace("\"shape\":[3]", "\"shape\":[3.0]"), 28), "non-negative integers");
        assertInvalid(withHeader(ok.replace("[16,28]", "[16]"), 28), "must have 2 entries");
        assertInvalid(withHeader(ok.replace("\"shape\":[3]", "\"shape\":[4294967296,4294967296]"), 28), "overflows");
        assertInvalid(withHeader(ok.replace(",\"data_offsets\":[16,28]", ""), 28), "\"data_offsets\"");
        assertInvalid(withHeader(ok.replace("\"b\"", "\"a\""), 28), "Duplicate field 'a'");
        assertInvalid(withHeader("{\"__metadata__\":{\"k\":1}}", 0), "must be a string");
        assertInvalid(withHeader("{\"a\":[1]}", 0), "tensor \"a\" must be an object");

        // the same checks through the file reader, with the file named in the message; a truncated file
        Path f = dir.resolve("truncated.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.f64(new double[1000])), null);
        byte[] full = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(full, full.length - 3));
        IOException e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith(f + ": invalid safetensors file: ") && e.getMessage().contains("truncated"), e.getMessage());
    }
}
