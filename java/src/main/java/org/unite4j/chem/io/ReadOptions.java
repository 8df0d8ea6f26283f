package org.unite4j.chem.io;

/**
 * How {@link MoleculeReader} treats frames it could read but that the caller may not want
 * computed as they are.
 *
 * <ul>
 * <li>{@code ignoreCell}: an extxyz frame that declares periodic boundaries ({@code pbc} with a
 * {@code T}, or a {@code Lattice} without {@code pbc}, which ASE reads as periodic) is an error
 * naming the file, line and frame, because every calculation here treats a frame as an isolated
 * molecule; with {@code ignoreCell} it is read as an isolated molecule, the cell kept only as
 * the info labels "Lattice" and "pbc". {@code Lattice} with {@code pbc="F F F"} is a molecule in a
 * box and always accepted.</li>
 * <li>{@code maxAtoms}: a frame with more atoms is an error naming the file, frame and the limit
 * (the cost of GFN-xTB grows about as the cube of the atom count).</li>
 * </ul>
 */
public record ReadOptions(boolean ignoreCell, int maxAtoms) {
    /** Periodic frames refused, any size. */
    public static final ReadOptions DEFAULT = new ReadOptions(false, Integer.MAX_VALUE);

    public ReadOptions {
        if (maxAtoms < 1) throw new IllegalArgumentException("--max-atoms must be >= 1, got " + maxAtoms);
    }

    /** Periodic frames read as isolated molecules, any size. */
    public static ReadOptions ignoringCell() {
        return new ReadOptions(true, Integer.MAX_VALUE);
    }
}
