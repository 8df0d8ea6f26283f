package org.unite4j.chem.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An n-dimensional array in NumPy's .npy format (versions 1, 2 and 3): a header dict
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (1000, 9, 3), }} followed by the
 * elements in C (row-major) order: element (i0, i1, ..., ik) at flat index
 * {@code ((i0*s1 + i1)*s2 + ...)*sk + ik}.
 *
 * <p>Numeric dtypes f8, f4, i8, i4, i2, i1, u8, u4, u2, u1 and b1, either byte order, are read;
 * Fortran-order, object, string, complex and structured arrays are rejected with a message naming
 * the file and entry. Immutable.
 */
public final class NpyArray {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])([^'\"]*)\\1");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private final int[] shape;
    private final char kind; // f, i, u, b
    private final int itemSize;
    private final ByteBuffer data; // read-only, ordered

    private NpyArray(int[] shape, char kind, int itemSize, ByteBuffer data) {
        this.shape = shape;
        this.kind = kind;
        this.itemSize = itemSize;
        this.data = data.asReadOnlyBuffer().order(data.order());
    }

    /** Shape (empty for a 0-d scalar). */
    public int[] shape() { return shape.clone(); }

    public int ndim() { return shape.length; }

    /** Number of elements (product of the shape). */
    public long size() { return product(shape); }

    /** NumPy type string in little-endian form, e.g. "&lt;f8", "|u1". */
    public String dtype() {
        return (itemSize == 1 ? "|" : "<") + kind + itemSize;
    }

    /** True for f4 and f8. */
    public boolean isFloating() { return kind == 'f'; }

    /** Elements as doubles (integers converted exactly up to 2^53). */
    public double[] asDoubles() {
        int n = (int) size();
        double[] out = new double[n];
        ByteBuffer b = data.duplicate().order(data.order());
        for (int i = 0; i < n; i++) out[i] = kind == 'f' ? (itemSize == 8 ? b.getDouble(8 * i) : b.getFloat(4 * i)) : longAt(b, i);
        return out;
    }

    /** Elements as floats (rounded from doubles where needed). */
    public float[] asFloats() {
        double[] d = asDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    /** Elements as longs; floating arrays only if every value is an integer. */
    public long[] asLongs() {
        int n = (int) size();
        long[] out = new long[n];
        ByteBuffer b = data.duplicate().order(data.order());
        for (int i = 0; i < n; i++) {
            if (kind == 'f') {
                double d = itemSize == 8 ? b.getDouble(8 * i) : b.getFloat(4 * i);
                if (d != Math.rint(d) || Math.abs(d) > 9.007199254740992E15)
                    throw new IllegalArgumentException("array of dtype " + dtype() + " holds the non-integer " + d
                            + " at flat index " + i + "; it cannot be read as integers");
                out[i] = (long) d;
            } else {
                if (kind == 'u' && itemSize == 8 && b.getLong(8 * i) < 0)
                    throw new IllegalArgumentException("uint64 value at flat index " + i + " exceeds the long range");
                out[i] = longAt(b, i);
            }
        }
        return out;
    }

    /** Elements as ints; fails naming the index of a value outside the int range. */
    public int[] asInts() {
        long[] l = asLongs();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] != (int) l[i])
                throw new IllegalArgumentException("value " + l[i] + " at flat index " + i + " does not fit in an int");
            out[i] = (int) l[i];
        }
        return out;
    }

    private long longAt(ByteBuffer b, int i) {
        return switch (kind) {
            case 'i' -> switch (itemSize) {
                case 1 -> b.get(i);
                case 2 -> b.getShort(2 * i);
                case 4 -> b.getInt(4 * i);
                default -> b.getLong(8 * i);
            };
            case 'u' -> switch (itemSize) {
                case 1 -> b.get(i) & 0xFFL;
                case 2 -> b.getShort(2 * i) & 0xFFFFL;
                case 4 -> b.getInt(4 * i) & 0xFFFFFFFFL;
                default -> b.getLong(8 * i);
            };
            case 'b' -> b.get(i) != 0 ? 1 : 0;
            default -> throw new IllegalStateException();
        };
    }

    // ---- construction ----

    public static NpyArray of(double[] data, int... shape) {
        ByteBuffer b = alloc(data.length, shape, 8);
        b.asDoubleBuffer().put(data);
        return new NpyArray(shape.clone(), 'f', 8, b);
    }

    public static NpyArray of(float[] data, int... shape) {
        ByteBuffer b = alloc(data.length, shape, 4);
        b.asFloatBuffer().put(data);
        return new NpyArray(shape.clone(), 'f', 4, b);
    }

    public static NpyArray of(int[] data, int... shape) {
        ByteBuffer b = alloc(data.length, shape, 4);
        b.asIntBuffer().put(data);
        return new NpyArray(shape.clone(), 'i', 4, b);
    }

    public static NpyArray of(long[] data, int... shape) {
        ByteBuffer b = alloc(data.length, shape, 8);
        b.asLongBuffer().put(data);
        return new NpyArray(shape.clone(), 'i', 8, b);
    }

    /** An unsigned-byte (|u1) array, e.g. atomic numbers; values are data[i] &amp; 0xFF. */
    public static NpyArray ofUnsignedBytes(byte[] data, int... shape) {
        ByteBuffer b = alloc(data.length, shape, 1);
        b.put(data).flip();
        return new NpyArray(shape.clone(), 'u', 1, b);
    }

    private static ByteBuffer alloc(int length, int[] shape, int itemSize) {
        for (int s : shape) if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
        if (product(shape) != length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + product(shape)
                    + " elements but " + length + " were given");
        return ByteBuffer.allocate(length * itemSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long product(int[] shape) {
        long p = 1;
        for (int s : shape) p *= s;
        return p;
    }

    // ---- .npy bytes ----

    /** The .npy file bytes (format version 1.0, little-endian, C order, header padded to 64 bytes). */
    public byte[] toNpy() {
        StringBuilder shp = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) shp.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) shp.append(',');
        shp.append(')');
        String dict = "{'descr': '" + dtype() + "', 'fortran_order': False, 'shape': " + shp + ", }";
        int total = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        if (header.length() > 65535) throw new IllegalArgumentException("npy header too long for format 1.0");
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        int n = (int) size() * itemSize;
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + h.length + n).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        ByteBuffer d = data.duplicate().order(data.order());
        if (d.order() == ByteOrder.LITTLE_ENDIAN || itemSize == 1) {
            out.put(d.position(0).limit(n));
        } else {
            for (int i = 0; i < n; i += itemSize) for (int k = itemSize - 1; k >= 0; k--) out.put(d.get(i + k));
        }
        return out.array();
    }

    /**
     * Parses .npy bytes.
     *
     * @param where names the source in messages, e.g. "data.npz: entry 'coords.npy'"
     * @throws IllegalArgumentException starting with {@code where} on malformed or unsupported input
     */
    public static NpyArray parse(byte[] bytes, String where) {
        Header h = header(bytes, where);
        if (bytes.length - h.dataStart() != h.dataBytes())
            throw new IllegalArgumentException(where + ": header says shape " + Arrays.toString(h.shape) + " of " + h.descr
                    + " = " + h.dataBytes() + " bytes, but " + (bytes.length - h.dataStart()) + " bytes follow");
        ByteBuffer data = ByteBuffer.wrap(bytes, h.dataStart(), (int) h.dataBytes()).slice().order(h.order);
        return new NpyArray(h.shape, h.kind, h.itemSize, data);
    }

    /**
     * The header of a .npy: shape, dtype, where the elements start and how many bytes they take.
     * {@link #header} reads it from the first bytes alone, so a reader can check the element count
     * against the bytes really there before allocating for them.
     */
    record Header(int[] shape, char kind, int itemSize, String descr, ByteOrder order, int dataStart, long dataBytes) {
    }

    /** Bytes of a .npy that {@link #header} needs at least to find the header's length. */
    static final int PREAMBLE = 12;

    /**
     * Parses the header from the first bytes of a .npy ({@code bytes} may stop after the header).
     * Shapes whose byte count exceeds 2^31-1 (or overflows) are errors naming {@code where}.
     */
    static Header header(byte[] bytes, String where) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC))
            throw new IllegalArgumentException(where + ": not a .npy array (missing the \\x93NUMPY magic)");
        int major = bytes[6] & 0xFF;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new IllegalArgumentException(where + ": truncated .npy header");
            headerLen = b.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new IllegalArgumentException(where + ": .npy format version " + major + " is not supported (1, 2, 3 are)");
        }
        if (start + headerLen > bytes.length) throw new IllegalArgumentException(where + ": truncated .npy header");
        String header = new String(bytes, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int dataStart = start + (int) headerLen;
        if (header.matches("(?s).*['\"]descr['\"]\\s*:\\s*\\[.*"))
            throw new IllegalArgumentException(where + ": structured dtypes (record arrays) are not supported; header " + header.strip());
        Matcher md = DESCR.matcher(header), mf = FORTRAN.matcher(header), ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find())
            throw new IllegalArgumentException(where + ": malformed .npy header " + header.strip()
                    + " (expected 'descr', 'fortran_order' and 'shape')");
        String descr = md.group(2);
        if (mf.group(1).equals("True"))
            throw new IllegalArgumentException(where + ": Fortran-order arrays are not supported; save it with "
                    + "numpy.ascontiguousarray(a) (C order)");
        int[] shape;
        String s = ms.group(1).strip();
        if (s.isEmpty()) {
            shape = new int[0];
        } else {
            String[] parts = s.split(",");
            int n = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
            shape = new int[n];
            for (int i = 0; i < n; i++) {
                try {
                    shape[i] = Integer.parseInt(parts[i].strip().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": bad shape (" + s + ") in .npy header");
                }
                if (shape[i] < 0) throw new IllegalArgumentException(where + ": negative dimension in shape (" + s + ")");
            }
        }
        if (descr.length() < 2) throw new IllegalArgumentException(where + ": bad dtype '" + descr + "'");
        char order = descr.charAt(0);
        String body = "<>|=".indexOf(order) >= 0 ? descr.substring(1) : descr;
        if ("<>|=".indexOf(order) < 0) order = '=';
        char kind = body.charAt(0);
        int item;
        try {
            item = Integer.parseInt(body.substring(1));
        } catch (NumberFormatException e) {
            item = -1;
        }
        if (kind == 'O')
            throw new IllegalArgumentException(where + ": object arrays (dtype=object) cannot be read: they are "
                    + "Python pickles; save numeric arrays instead");
        boolean ok = switch (kind) {
            case 'f' -> item == 4 || item == 8;
            case 'i', 'u' -> item == 1 || item == 2 || item == 4 || item == 8;
            case 'b' -> item == 1;
            default -> false;
        };
        if (!ok)
            throw new IllegalArgumentException(where + ": dtype '" + descr + "' is not supported (supported: f8 f4 i8 i4 i2 i1 "
                    + "u8 u4 u2 u1 b1)");
        long n = item;
        try {
            for (int d : shape) n = Math.multiplyExact(n, d);
        } catch (ArithmeticException overflow) {
            n = Long.MAX_VALUE;
        }
        if (n > Integer.MAX_VALUE)
            throw new IllegalArgumentException(where + ": header says shape " + Arrays.toString(shape) + " of " + descr + " = "
                    + (n == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(n)) + " bytes, more than an array can hold (2^31-1)");
        ByteOrder bo = order == '>' ? ByteOrder.BIG_ENDIAN : order == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        return new Header(shape, kind, item, descr, bo, dataStart, n);
    }

    @Override
    public String toString() { return "NpyArray[" + dtype() + " " + Arrays.toString(shape) + "]"; }
}
