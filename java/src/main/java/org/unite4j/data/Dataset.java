package org.unite4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.io.Frame;
import org.unite4j.chem.io.MoleculeReader;

/**
 * An ordered, immutable set of frames (molecules with labels) from one source, with label
 * extraction in a requested unit: {@code y_i = label_i(key) * f}, f the factor from the unit the
 * file stores to the unit asked for. Errors name the file, line and frame of the offending
 * molecule.
 */
public final class Dataset {
    private final List<Frame> frames;
    private final String source;

    private Dataset(List<Frame> frames, String source) {
        this.frames = List.copyOf(frames);
        this.source = source;
    }

    /** Every frame of a molecule file (any format {@link MoleculeReader} knows). */
    public static Dataset load(Path path) throws IOException {
        return load(path, org.unite4j.chem.io.ReadOptions.DEFAULT);
    }

    /** Every frame of a molecule file, periodic and large frames treated as {@code options} says. */
    public static Dataset load(Path path, org.unite4j.chem.io.ReadOptions options) throws IOException {
        return new Dataset(MoleculeReader.readFrames(path, options), path.toString());
    }

    /**
     * The readable frames of a molecule file, bad frames handed to {@code onInvalid} and left out
     * (null: the first bad frame is an error), as {@link MoleculeReader#open(Path,
     * org.unite4j.chem.io.ReadOptions, Consumer)} says. Frame indices stay those of the file.
     */
    public static Dataset load(Path path, org.unite4j.chem.io.ReadOptions options,
                               Consumer<org.unite4j.chem.io.MoleculeFormatException> onInvalid) throws IOException {
        return new Dataset(MoleculeReader.readFrames(path, options, onInvalid), path.toString());
    }

    public static Dataset of(List<Frame> frames, String source) {
        return new Dataset(frames, source == null ? "" : source);
    }

    public int size() { return frames.size(); }

    public String source() { return source; }

    public Frame frame(int i) { return frames.get(i); }

    public List<Frame> frames() { return frames; }

    public List<Molecule> molecules() { return frames.stream().map(Frame::molecule).toList(); }

    /** Scalar label of every frame, converted from spec.unit to {@code out}. */
    public double[] scalars(LabelSpec spec, Units.Unit out) {
        double f = spec.unit().factorTo(out);
        double[] y = new double[frames.size()];
        for (int i = 0; i < y.length; i++) y[i] = frames.get(i).label(spec.key()) * f;
        return y;
    }

    /** Vector label (e.g. a dipole, {@code dim = 3}) of every frame in unit {@code out}, [frame][component]. */
    public double[][] vectors(LabelSpec spec, Units.Unit out, int dim) {
        double f = spec.unit().factorTo(out);
        double[][] y = new double[frames.size()][];
        for (int i = 0; i < y.length; i++) {
            double[] v = frames.get(i).labelVector(spec.key());
            if (v.length != dim)
                throw new IllegalArgumentException(frames.get(i).where() + ": label '" + spec.key() + "' has " + v.length
                        + " components, expected " + dim);
            for (int k = 0; k < dim; k++) v[k] *= f;
            y[i] = v;
        }
        return y;
    }

    /** Per-atom real array {@code spec.key} (e.g. forces:kcal/mol/A) of every frame in unit out, [frame][atom*cols+col]. */
    public double[][] atomArrays(LabelSpec spec, Units.Unit out) {
        double f = spec.unit().factorTo(out);
        double[][] y = new double[frames.size()][];
        for (int i = 0; i < y.length; i++) {
            double[] v = frames.get(i).atomValues(spec.key());
            for (int k = 0; k < v.length; k++) v[k] *= f;
            y[i] = v;
        }
        return y;
    }

    /** The frames at the given indices, in that order. */
    public Dataset subset(int[] indices) {
        List<Frame> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            if (i < 0 || i >= frames.size())
                throw new IndexOutOfBoundsException("index " + i + " outside the " + frames.size() + " frames of " + source);
            out.add(frames.get(i));
        }
        return new Dataset(out, source);
    }

    /** Sorted atomic numbers present. */
    public Set<Integer> elements() {
        Set<Integer> s = new TreeSet<>();
        for (Frame f : frames) for (int z : f.molecule().atomicNumbers()) s.add(z);
        return s;
    }

    /**
     * Keeps the frames whose elements are all in {@code supported}. With {@code skip} false the
     * first frame with another element is an error naming it; with {@code skip} true each dropped
     * frame is reported to {@code warn} and left out.
     */
    public Dataset requireElements(Set<Integer> supported, boolean skip, Consumer<String> warn) {
        List<Frame> kept = new ArrayList<>();
        for (Frame f : frames) {
            Set<String> bad = new TreeSet<>();
            for (int z : f.molecule().atomicNumbers()) if (!supported.contains(z)) bad.add(Elements.symbol(z));
            if (bad.isEmpty()) {
                kept.add(f);
                continue;
            }
            String msg = f.where() + " (" + f.molecule().formula() + "): unsupported element(s) " + bad;
            if (!skip) throw new IllegalArgumentException(msg + "; supported: " + symbols(supported));
            if (warn != null) warn.accept("skipping " + msg);
        }
        return new Dataset(kept, source);
    }

    private static String symbols(Set<Integer> zs) {
        return zs.stream().sorted().map(Elements::symbol).toList().toString();
    }

    @Override
    public String toString() { return "Dataset[" + frames.size() + " frames from " + source + "]"; }
}
