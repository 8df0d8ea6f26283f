package org.unite4j.cli;

import org.unite4j.chem.io.ReadOptions;
import picocli.CommandLine.Option;

/**
 * The options of how a command reads molecule files ({@link ReadOptions}), as picocli mixins:
 * {@link Cell} ({@code --ignore-cell}) on every command that reads molecules, {@link Size}
 * ({@code --max-atoms}) on those that run GFN-xTB on them.
 */
final class MoleculeReadOptions {
    private MoleculeReadOptions() {
    }

    /**
     * The default atom limit: a GFN1-xTB single point of 500 atoms takes about two minutes on one
     * core (measured on water clusters, README "Size limits"), and the time grows about as atoms^3.
     */
    static final int DEFAULT_MAX_ATOMS = 500;

    /** {@code --ignore-cell}. */
    static final class Cell {
        @Option(names = "--ignore-cell", description = "Read periodic extxyz frames (pbc with T, or Lattice without pbc) as "
                + "isolated molecules instead of refusing them (unite has no periodic boundary conditions).")
        boolean ignoreCell;

        /** Periodic frames as the option says, any size. */
        ReadOptions options() {
            return new ReadOptions(ignoreCell, Integer.MAX_VALUE);
        }
    }

    /** {@code --max-atoms}. */
    static final class Size {
        @Option(names = "--max-atoms", paramLabel = "N", defaultValue = "" + DEFAULT_MAX_ATOMS,
                description = "Refuse molecules with more than N atoms (default: ${DEFAULT-VALUE}; GFN-xTB time grows about as atoms^3: "
                        + "see the README's size limits).")
        int maxAtoms;

        /** The read options of a command with both mixins. */
        ReadOptions with(Cell cell) {
            return new ReadOptions(cell.ignoreCell, maxAtoms);
        }
    }
}
