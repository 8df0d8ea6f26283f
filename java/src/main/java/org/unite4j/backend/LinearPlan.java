package org.unite4j.backend;

/**
 * A per-irrep linear map between two {@link BlockLayout}s. Each instruction j connects input
 * block {@code inBlock[j]} to output block {@code outBlock[j]} (same irrep, so the same dim) with a
 * weight matrix W_j of shape [mul_out][mul_in] stored row-major at {@code weightOffset[j]}:
 * out[o, m, c'] = sum_{j: outBlock=o} sum_c W_j[c', c] x[inBlock, m, c]. Output blocks without an
 * instruction are zero.
 */
public record LinearPlan(BlockLayout in, BlockLayout out, int[] inBlock, int[] outBlock, int[] weightOffset,
                         int numWeights) {

    public LinearPlan {
        if (inBlock.length != outBlock.length || inBlock.length != weightOffset.length) {
            throw new IllegalArgumentException("LinearPlan: instruction arrays differ in length");
        }
        for (int j = 0; j < inBlock.length; j++) {
            if (in.dim(inBlock[j]) != out.dim(outBlock[j])) {
                throw new IllegalArgumentException("LinearPlan: instruction " + j + " maps a block of dim "
                        + in.dim(inBlock[j]) + " to one of dim " + out.dim(outBlock[j]));
            }
            if (weightOffset[j] + in.mul(inBlock[j]) * out.mul(outBlock[j]) > numWeights) {
                throw new IllegalArgumentException("LinearPlan: instruction " + j + " overruns the weights");
            }
        }
    }

    /** Instructions pairing every output block with every input block of the same dim and tag. */
    public static LinearPlan between(BlockLayout in, BlockLayout out, Object[] inTags, Object[] outTags) {
        java.util.List<int[]> instr = new java.util.ArrayList<>();
        int off = 0;
        for (int o = 0; o < out.numBlocks(); o++) {
            for (int i = 0; i < in.numBlocks(); i++) {
                if (inTags[i].equals(outTags[o])) {
                    instr.add(new int[]{i, o, off});
                    off += in.mul(i) * out.mul(o);
                }
            }
        }
        int n = instr.size();
        int[] ib = new int[n], ob = new int[n], wo = new int[n];
        for (int j = 0; j < n; j++) {
            ib[j] = instr.get(j)[0];
            ob[j] = instr.get(j)[1];
            wo[j] = instr.get(j)[2];
        }
        return new LinearPlan(in, out, ib, ob, wo, off);
    }

    public int numInstructions() {
        return inBlock.length;
    }
}
