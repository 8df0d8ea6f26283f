package org.unite4j.io;

import org.unite4j.util.AtomicFiles;
import org.unite4j.io.Json;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The safetensors file format (as written by the Python/Rust {@code safetensors} library), for the
 * dtypes F64, F32, I64 and I32.
 *
 * <pre>
 * [8 bytes: N, unsigned little-endian]
 * [N bytes: UTF-8 JSON header, padded with spaces to a multiple of 8]
 *     {"__metadata__":{"k":"v",...},"name":{"dtype":"F32","shape":[2,3],"data_offsets":[b,e]},...}
 * [data: each tensor's elements, row-major (C order), little-endian, at bytes [8+N+b, 8+N+e)]
 * </pre>
 *
 * <p>Writing reproduces the library's bytes exactly: tensors are laid out sorted by dtype alignment
 * descending in the library's dtype order (I64, F64, F32, I32) and then by name (UTF-8 byte
 * order), contiguous from offset 0; the header is compact JSON with {@code __metadata__} first
 * (omitted when {@code metadata == null}); the header is padded with spaces so that the data start
 * at a multiple of 8. (With two or more metadata entries the library's own order is its hash-map
 * order, so only the parsed content can agree there; we write them in map order.) Files are
 * written atomically ({@link AtomicFiles}).
 *
 * <p>Reading validates like the library and a bit more; every problem is an IOException naming the
 * file and the problem: file shorter than 8 bytes; header length N beyond 100,000,000 or past the
 * end of the file; header not UTF-8, not a JSON object, or with malformed entries; unknown or
 * unsupported dtype; negative or overflowing shape; offsets that overlap, leave gaps, run past
 * the end, or disagree with shape x dtype size; data truncated or followed by extra bytes.
 * Tensors come back in offset order.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Largest header the reader accepts (the Rust library's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Supported element types; {@code order} is the position in the library's Dtype enum. */
    public enum DType {
        I32(4, 9), F32(4, 11), F64(8, 12), I64(8, 13);

        /** Bytes per element. */
        public final int size;
        final int order;

        DType(int size, int order) {
            this.size = size;
            this.order = order;
        }
    }

    /** Dtype names the format defines that this implementation does not read. */
    private static final List<String> OTHER_KNOWN_DTYPES = List.of("BOOL", "U8", "I8", "I16", "U16", "F16", "BF16",
            "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    /**
     * One tensor: dtype, shape, and row-major data held in a Java primitive array (double[],
     * float[], long[] or int[] for F64, F32, I64, I32). Equality compares dtype, shape and the data
     * bit for bit.
     */
    public static final class Tensor {
        private final DType dtype;
        private final long[] shape;
        private final Object data;

        private Tensor(DType dtype, long[] shape, Object data, int length) {
            this.dtype = dtype;
            this.shape = shape.clone();
            long n = 1;
            for (long d : shape) {
                if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                n = Math.multiplyExact(n, d);
            }
            if (n != length)
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements but the data has " + length);
            this.data = data;
        }

        /** An F64 tensor; with no shape given, a 1-D tensor of data.length. The array is not copied. */
        public static Tensor f64(double[] data, long... shape) {
            return new Tensor(DType.F64, shape.length == 0 ? new long[]{data.length} : shape, data, data.length);
        }

        public static Tensor f32(float[] data, long... shape) {
            return new Tensor(DType.F32, shape.length == 0 ? new long[]{data.length} : shape, data, data.length);
        }

        public static Tensor i64(long[] data, long... shape) {
            return new Tensor(DType.I64, shape.length == 0 ? new long[]{data.length} : shape, data, data.length);
        }

        public static Tensor i32(int[] data, long... shape) {
            return new Tensor(DType.I32, shape.length == 0 ? new long[]{data.length} : shape, data, data.length);
        }

        /** A 0-dimensional (scalar) F64 tensor, shape []. */
        public static Tensor scalarF64(double v) {
            return new Tensor(DType.F64, new long[0], new double[]{v}, 1);
        }

        public DType dtype() { return dtype; }

        public long[] shape() { return shape.clone(); }

        /** Number of elements (product of the shape; 1 for a scalar). */
        public int numel() { return java.lang.reflect.Array.getLength(data); }

        /** The backing array (double[], float[], long[] or int[]), not copied. */
        public Object data() { return data; }

        /** The elements as doubles (a copy; I64 values beyond 2^53 lose precision). */
        public double[] toDoubles() {
            return switch (data) {
                case double[] a -> a.clone();
                case float[] a -> { double[] r = new double[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                case long[] a -> { double[] r = new double[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                case int[] a -> { double[] r = new double[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                default -> throw new IllegalStateException();
            };
        }

        /** The elements as floats (a copy, rounded to nearest). */
        public float[] toFloats() {
            return switch (data) {
                case float[] a -> a.clone();
                case double[] a -> { float[] r = new float[a.length]; for (int i = 0; i < a.length; i++) r[i] = (float) a[i]; yield r; }
                case long[] a -> { float[] r = new float[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                case int[] a -> { float[] r = new float[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                default -> throw new IllegalStateException();
            };
        }

        /** The elements as longs; only for I64/I32 tensors. */
        public long[] toLongs() {
            return switch (data) {
                case long[] a -> a.clone();
                case int[] a -> { long[] r = new long[a.length]; for (int i = 0; i < a.length; i++) r[i] = a[i]; yield r; }
                default -> throw new IllegalArgumentException("tensor of dtype " + dtype + " is not an integer tensor");
            };
        }

        /** The elements as ints; only for I32 tensors, or I64 tensors whose values fit. */
        public int[] toInts() {
            return switch (data) {
                case int[] a -> a.clone();
                case long[] a -> { int[] r = new int[a.length]; for (int i = 0; i < a.length; i++) r[i] = Math.toIntExact(a[i]); yield r; }
                default -> throw new IllegalArgumentException("tensor of dtype " + dtype + " is not an integer tensor");
            };
        }

        long byteSize() {
            return (long) numel() * dtype.size;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Tensor t)) return false;
            return dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(rawBytes(this), rawBytes(t));
        }

        @Override
        public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(rawBytes(this)));
        }

        @Override
        public String toString() {
            return "Tensor(" + dtype + ", shape=" + Arrays.toString(shape) + ")";
        }
    }

    /** The content of a file: tensors (in offset order) and the string metadata (empty if absent). */
    public record Contents(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata, boolean hasMetadata) {
        /** The tensor called {@code name}; a missing name is an IllegalArgumentException listing what exists. */
        public Tensor get(String name) {
            Tensor t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException("no tensor named \"" + name + "\" (have " + tensors.keySet() + ")");
            return t;
        }
    }

    // ------------------------------------------------------------------ writing

    /** The file's bytes for {@code tensors} and {@code metadata} (null: no __metadata__ entry). */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            writeTo(bos, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalStateException(e); // ByteArrayOutputStream does not throw
        }
        return bos.toByteArray();
    }

    /** Writes a safetensors file atomically (temp file + fsync + rename). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> order = layout(tensors);
        byte[] header = header(order, metadata);
        AtomicFiles.write(file, out -> writeBody(out, header, order));
    }

    /** Writes the file's bytes to a stream. */
    public static void writeTo(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> order = layout(tensors);
        writeBody(out, header(order, metadata), order);
    }

    private static List<Map.Entry<String, Tensor>> layout(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null) throw new IllegalArgumentException("tensor name must not be null");
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("\"__metadata__\" is reserved and cannot name a tensor");
            Objects.requireNonNull(e.getValue(), () -> "tensor \"" + e.getKey() + "\" is null");
            order.add(Map.entry(e.getKey(), e.getValue()));
        }
        Comparator<Map.Entry<String, Tensor>> byDtypeDesc = Comparator.comparingInt(e -> -e.getValue().dtype.order);
        order.sort(byDtypeDesc.thenComparing((a, b) -> Arrays.compareUnsigned(
                a.getKey().getBytes(StandardCharsets.UTF_8), b.getKey().getBytes(StandardCharsets.UTF_8))));
        return order;
    }

    private static byte[] header(List<Map.Entry<String, Tensor>> order, Map<String, String> metadata) {
        LinkedHashMap<String, Object> h = new LinkedHashMap<>();
        if (metadata != null) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null)
                    throw new IllegalArgumentException("metadata keys and values must be non-null strings");
                m.put(e.getKey(), e.getValue());
            }
            h.put("__metadata__", m);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype.name());
            info.put("shape", t.shape.clone());
            long end = offset + t.byteSize();
            info.put("data_offsets", new long[]{offset, end});
            offset = end;
            h.put(e.getKey(), info);
        }
        byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeBody(OutputStream out, byte[] header, List<Map.Entry<String, Tensor>> order) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
        out.write(len.array());
        out.write(header);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : order) {
            Object d = e.getValue().data;
            int n = e.getValue().numel();
            int size = e.getValue().dtype.size;
            int per = buf.capacity() / size;
            for (int i = 0; i < n; i += per) {
                int k = Math.min(per, n - i);
                buf.clear();
                switch (d) {
                    case double[] a -> buf.asDoubleBuffer().put(a, i, k);
                    case float[] a -> buf.asFloatBuffer().put(a, i, k);
                    case long[] a -> buf.asLongBuffer().put(a, i, k);
                    case int[] a -> buf.asIntBuffer().put(a, i, k);
                    default -> throw new IllegalStateException();
                }
                out.write(buf.array(), 0, k * size);
            }
        }
    }

    private static byte[] rawBytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(t.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.data) {
            case double[] a -> b.asDoubleBuffer().put(a);
            case float[] a -> b.asFloatBuffer().put(a);
            case long[] a -> b.asLongBuffer().put(a);
            case int[] a -> b.asIntBuffer().put(a);
            default -> throw new IllegalStateException();
        }
        return b.array();
    }

    // ------------------------------------------------------------------ reading

    /** Reads and validates a safetensors file. */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelSource(ch), file.toString());
        }
    }

    /** Parses the bytes of a safetensors file; {@code sourceName} names it in error messages. */
    public static Contents fromBytes(byte[] bytes, String sourceName) throws IOException {
        return read(new ArraySource(bytes), sourceName);
    }

    private interface Source {
        long size() throws IOException;

        /** Reads exactly dst.remaining() bytes starting at position {@code pos}. */
        void readFully(long pos, ByteBuffer dst) throws IOException;
    }

    private record ChannelSource(FileChannel ch) implements Source {
        public long size() throws IOException { return ch.size(); }

        public void readFully(long pos, ByteBuffer dst) throws IOException {
            while (dst.hasRemaining()) {
                int r = ch.read(dst, pos);
                if (r < 0) throw new EOFException("unexpected end of file at byte " + pos);
                pos += r;
            }
        }
    }

    private record ArraySource(byte[] a) implements Source {
        public long size() { return a.length; }

        public void readFully(long pos, ByteBuffer dst) throws IOException {
            int n = dst.remaining();
            if (pos + n > a.length) throw new EOFException("unexpected end of data at byte " + a.length);
            dst.put(a, (int) pos, n);
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

    /** What the header says about one tensor: dtype, shape, and its byte range in the data section. */
    public record TensorInfo(DType dtype, long[] shape, long begin, long end) {
        public TensorInfo {
            shape = shape.clone();
        }

        @Override
        public long[] shape() { return shape.clone(); }
    }

    /** A validated header: tensors in offset order, metadata, and N (the header's length in bytes). */
    public record Header(LinkedHashMap<String, TensorInfo> tensors, LinkedHashMap<String, String> metadata, boolean hasMetadata, long headerBytes) {}

    /** Reads and validates only the header (cheap for big files: names, dtypes, shapes, metadata). */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(new ChannelSource(ch), file.toString());
        }
    }

    private static IOException bad(String source, String problem) {
        return new IOException(source + ": invalid safetensors file: " + problem);
    }

    private static Header readHeader(Source src, String source) throws IOException {
        long size = src.size();
        if (size < 8) throw bad(source, "only " + size + " bytes; a safetensors file starts with an 8-byte header length");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.readFully(0, lenBuf);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > MAX_HEADER_BYTES)
            throw bad(source, "header length " + Long.toUnsignedString(n) + " is beyond the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        if (8 + n > size)
            throw bad(source, "header length " + n + " runs past the end of the file (" + size + " bytes)");
        if (n < 2) throw bad(source, "header length " + n + " is too small for a JSON object");
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        src.readFully(8, hb);
        byte[] headerBytes = hb.array();
        if (headerBytes[0] != '{') throw bad(source, "the header does not start with '{'");
        Object parsed;
        try {
            parsed = Json.parseBytes(headerBytes, "header");
        } catch (IOException e) {
            throw bad(source, e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> headerMap)) throw bad(source, "the header is not a JSON object");

        LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
        boolean hasMetadata = false;
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : headerMap.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                hasMetadata = true;
                if (!(e.getValue() instanceof Map<?, ?> m)) throw bad(source, "\"__metadata__\" must be an object of strings");
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v))
                        throw bad(source, "\"__metadata__\" value of \"" + me.getKey() + "\" must be a string, got " + me.getValue());
                    metadata.put((String) me.getKey(), v);
                }
                continue;
            }
            entries.add(parseEntry(source, name, e.getValue()));
        }

        entries.sort(Comparator.<Entry>comparingLong(en -> en.begin).thenComparingLong(en -> en.end));
        long dataLen = size - 8 - n;
        long expected = 0;
        for (Entry en : entries) {
            if (en.begin < expected) throw bad(source, "tensor \"" + en.name + "\" data_offsets [" + en.begin + ", " + en.end
                    + "] overlap the previous tensor, which ends at " + expected);
            if (en.begin > expected) throw bad(source, "tensor \"" + en.name + "\" data_offsets [" + en.begin + ", " + en.end
                    + "] leave a gap after byte " + expected + " (tensors must be contiguous)");
            if (en.end > dataLen) throw bad(source, "tensor \"" + en.name + "\" data_offsets [" + en.begin + ", " + en.end
                    + "] run past the end of the data (" + dataLen + " bytes): file truncated?");
            expected = en.end;
        }
        if (expected != dataLen)
            throw bad(source, "the tensors cover " + expected + " data bytes but the file has " + dataLen + " bytes after the header");

        LinkedHashMap<String, TensorInfo> infos = new LinkedHashMap<>();
        for (Entry en : entries) infos.put(en.name, new TensorInfo(en.dtype, en.shape, en.begin, en.end));
        return new Header(infos, metadata, hasMetadata, n);
    }

    private static Contents read(Source src, String source) throws IOException {
        Header h = readHeader(src, source);
        long n = h.headerBytes();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, TensorInfo> e : h.tensors().entrySet())
            entries.add(new Entry(e.getKey(), e.getValue().dtype(), e.getValue().shape, e.getValue().begin(), e.getValue().end()));
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry en : entries) {
            int count = Math.toIntExact((en.end - en.begin) / en.dtype.size);
            int size = en.dtype.size, per = chunk.capacity() / size;
            Object arr = switch (en.dtype) {
                case F64 -> new double[count];
                case F32 -> new float[count];
                case I64 -> new long[count];
                case I32 -> new int[count];
            };
            // read in 1 MiB chunks: a tensor may hold more than 2 GiB although its element count fits an int
            for (int i = 0; i < count; i += per) {
                int k = Math.min(per, count - i);
                chunk.clear().limit(k * size);
                src.readFully(8 + n + en.begin + (long) i * size, chunk);
                chunk.flip();
                switch (arr) {
                    case double[] a -> chunk.asDoubleBuffer().get(a, i, k);
                    case float[] a -> chunk.asFloatBuffer().get(a, i, k);
                    case long[] a -> chunk.asLongBuffer().get(a, i, k);
                    case int[] a -> chunk.asIntBuffer().get(a, i, k);
                    default -> throw new IllegalStateException();
                }
            }
            tensors.put(en.name, new Tensor(en.dtype, en.shape, arr, count));
        }
        return new Contents(tensors, h.metadata(), h.hasMetadata());
    }

    private static Entry parseEntry(String source, String name, Object value) throws IOException {
        String what = "tensor \"" + name + "\"";
        if (!(value instanceof Map<?, ?> info)) throw bad(source, what + " must be an object {dtype, shape, data_offsets}");
        Object dt = info.get("dtype");
        if (!(dt instanceof String dts)) throw bad(source, what + ": missing or non-string \"dtype\"");
        DType dtype;
        try {
            dtype = DType.valueOf(dts);
        } catch (IllegalArgumentException ex) {
            if (OTHER_KNOWN_DTYPES.contains(dts))
                throw bad(source, what + ": dtype " + dts + " is not supported here (supported: F64, F32, I64, I32)");
            throw bad(source, what + ": unknown dtype \"" + dts + "\"");
        }
        long[] shape = longList(source, what, "shape", info.get("shape"), -1);
        long[] off = longList(source, what, "data_offsets", info.get("data_offsets"), 2);
        long numel = 1;
        for (long d : shape) {
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException ex) {
                throw bad(source, what + ": shape " + Arrays.toString(shape) + " overflows");
            }
        }
        if (off[1] < off[0]) throw bad(source, what + ": data_offsets [" + off[0] + ", " + off[1] + "] end before they begin");
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, dtype.size);
        } catch (ArithmeticException ex) {
            throw bad(source, what + ": shape " + Arrays.toString(shape) + " overflows");
        }
        if (off[1] - off[0] != bytes)
            throw bad(source, what + ": data_offsets [" + off[0] + ", " + off[1] + "] span " + (off[1] - off[0])
                    + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
        if (numel > Integer.MAX_VALUE - 8) throw bad(source, what + ": " + numel + " elements are too many for one Java array");
        return new Entry(name, dtype, shape, off[0], off[1]);
    }

    private static long[] longList(String source, String what, String key, Object v, int requiredLength) throws IOException {
        if (!(v instanceof List<?> list)) throw bad(source, what + ": missing or non-array \"" + key + "\"");
        if (requiredLength >= 0 && list.size() != requiredLength)
            throw bad(source, what + ": \"" + key + "\" must have " + requiredLength + " entries, got " + list.size());
        long[] r = new long[list.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0)
                throw bad(source, what + ": \"" + key + "\" must hold non-negative integers, got " + list.get(i));
            r[i] = l;
        }
        return r;
    }
}
