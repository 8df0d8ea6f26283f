package org.unite4j.backend;

import java.util.Arrays;

/**
 * The "ir_mul" layout of one feature row, as the kernels see it: blocks i = 0..n-1, each with
 * {@code mul[i]} channels and {@code dim[i]} = 2l+1 components; element (i, m, c) sits at
 * {@code offset(i) + m*mul[i] + c} where offset(i) = sum_{j<i} mul[j]*dim[j]. The per-channel
 * quantities (norms, gates) of a row are laid out by {@link #channelOffset(int)}:
 * (i, c) at sum_{j<i} mul[j] + c.
 */
public final class BlockLayout {
    private final int[] mul;
    private final int[] dim;
    private final int[] offset;
    private final int[] channelOffset;
    private final int width;
    private final int channels;

    public BlockLayout(int[] mul, int[] dim) {
        if (mul.length != dim.length) {
            throw new IllegalArgumentException("BlockLayout: mul has " + mul.length
                    + " blocks but dim has " + dim.length);
        }
        this.mul = mul.clone();
        this.dim = dim.clone();
        offset = new int[mul.length + 1];
        channelOffset = new int[mul.length + 1];
        for (int i = 0; i < mul.length; i++) {
            if (mul[i] < 0 || dim[i] <= 0) {
                throw new IllegalArgumentException("BlockLayout: block " + i + " has mul " + mul[i]
                        + " and dim " + dim[i]);
            }
            offset[i + 1] = offset[i] + mul[i] * dim[i];
            channelOffset[i + 1] = channelOffset[i] + mul[i];
        }
        width = offset[mul.length];
        channels = channelOffset[mul.length];
    }

    /** The layout of an {@link org.unite4j.irreps.Irreps} feature row (block i: mul_i, 2 l_i + 1). */
    public static BlockLayout of(org.unite4j.irreps.Irreps irreps) {
        int n = irreps.size();
        int[] mul = new int[n], dim = new int[n];
        for (int i = 0; i < n; i++) {
            mul[i] = irreps.get(i).mul();
            dim[i] = irreps.get(i).ir().dim();
        }
        return new BlockLayout(mul, dim);
    }

    public int numBlocks() {
        return mul.length;
    }

    public int mul(int i) {
        return mul[i];
    }

    public int dim(int i) {
        return dim[i];
    }

    /** Start of block i in the row. */
    public int offset(int i) {
        return offset[i];
    }

    /** Start of block i in the per-channel vector. */
    public int channelOffset(int i) {
        return channelOffset[i];
    }

    /** Row width sum_i mul[i]*dim[i]. */
    public int width() {
        return width;
    }

    /** Number of channels sum_i mul[i]. */
    public int channels() {
        return channels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockLayout b && Arrays.equals(mul, b.mul) && Arrays.equals(dim, b.dim);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mul) + Arrays.hashCode(dim);
    }

    @Override
    public String toString() {
        return "BlockLayout" + Arrays.toString(mul) + "x" + Arrays.toString(dim);
    }
}
