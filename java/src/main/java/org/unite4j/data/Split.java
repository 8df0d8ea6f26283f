package org.unite4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.unite4j.chem.io.NpyArray;
import org.unite4j.chem.io.NpzReader;
import org.unite4j.chem.io.NpzWriter;

/**
 * A split of n items into disjoint train, validation and test index sets. Random splits are a
 * Fisher-Yates shuffle of 0..n-1 with {@link SplittableRandom}(seed): the same seed gives the same
 * split on every machine. Given splits are read from an .npz with integer arrays "train",
 * "validation" (or "val", "valid") and "test" (missing ones empty).
 */
public record Split(int[] train, int[] validation, int[] test) {

    public Split {
        train = train.clone();
        validation = validation.clone();
        test = test.clone();
    }

    /** Random split: nTrain for training, nValidation for validation, the rest for testing. */
    public static Split random(int n, int nTrain, int nValidation, long seed) {
        if (nTrain < 0 || nValidation < 0 || nTrain + nValidation > n)
            throw new IllegalArgumentException("cannot take " + nTrain + " training and " + nValidation
                    + " validation items from " + n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return new Split(Arrays.copyOfRange(p, 0, nTrain), Arrays.copyOfRange(p, nTrain, nTrain + nValidation),
                Arrays.copyOfRange(p, nTrain + nValidation, n));
    }

    /** Random split by fractions (train, validation; the rest is test), rounded down. */
    public static Split fractions(int n, double train, double validation, long seed) {
        if (!(train >= 0 && validation >= 0 && train + validation <= 1 + 1e-12))
            throw new IllegalArgumentException("split fractions must be >= 0 and sum to at most 1, got " + train + " and " + validation);
        return random(n, (int) Math.floor(train * n), (int) Math.floor(validation * n), seed);
    }

    /** Reads a given split and checks it against a dataset of n items (indices in range, sets disjoint). */
    public static Split load(Path npz, int n) throws IOException {
        Map<String, NpyArray> a = NpzReader.open(npz);
        int[] tr = get(a, npz, "train"), va = get(a, npz, "validation", "val", "valid"), te = get(a, npz, "test");
        if (tr.length + va.length + te.length == 0)
            throw new IllegalArgumentException(npz + ": no 'train', 'validation' or 'test' index arrays; it has " + a.keySet());
        Split s = new Split(tr, va, te);
        s.check(n, npz.toString());
        return s;
    }

    /** Writes the split (int32 arrays "train", "validation", "test") atomically. */
    public void save(Path npz) throws IOException {
        try (NpzWriter w = NpzWriter.create(npz)) {
            w.write("train", train, train.length);
            w.write("validation", validation, validation.length);
            w.write("test", test, test.length);
        }
    }

    /** Throws if an index is outside 0..n-1 or appears twice. */
    public void check(int n, String where) {
        boolean[] seen = new boolean[n];
        String[] names = {"train", "validation", "test"};
        int[][] sets = {train, validation, test};
        for (int s = 0; s < 3; s++)
            for (int i : sets[s]) {
                if (i < 0 || i >= n)
                    throw new IllegalArgumentException(where + ": " + names[s] + " index " + i + " is outside 0.." + (n - 1));
                if (seen[i]) throw new IllegalArgumentException(where + ": index " + i + " appears twice (" + names[s] + ")");
                seen[i] = true;
            }
    }

    private static int[] get(Map<String, NpyArray> a, Path file, String... names) {
        for (String n : names) {
            NpyArray x = a.get(n);
            if (x == null) continue;
            if (x.ndim() != 1) throw new IllegalArgumentException(file + ": '" + n + "' must be 1-D, has shape " + Arrays.toString(x.shape()));
            try {
                return x.asInts();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": '" + n + "': " + e.getMessage(), e);
            }
        }
        return new int[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(train, s.train) && Arrays.equals(validation, s.validation) && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(train) * 31 + Arrays.hashCode(test); }

    @Override
    public String toString() { return "Split[train " + train.length + ", validation " + validation.length + ", test " + test.length + "]"; }
}
