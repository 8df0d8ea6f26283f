package org.unite4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Refuses an output that would replace one of the command's inputs, before any work: every
 * command that writes ({@code featurize}, {@code train}, {@code predict}, {@code optimize},
 * {@code md}, {@code bench scaling --from}) checks its outputs here, so nothing the user wrote is
 * lost to a mistyped {@code --out}.
 *
 * <p>An output path (a file, or a folder the command replaces, such as {@code OUT/model}) clashes
 * with an input when both exist and they are the same file, or one lies inside the other (real
 * paths, so links and {@code ..} do not hide it). A path that does not exist yet clashes with
 * nothing: the command creates it.
 */
final class OutputGuard {
    private OutputGuard() {
    }

    /** An input of a command: the option that names it (for the message) and its path (null: not given). */
    record Input(String option, Path path) {
    }

    /**
     * Throws IllegalArgumentException (one line naming both options and paths) when one of
     * {@code written} clashes with one of {@code inputs}.
     *
     * @param outOption the option naming the output, e.g. "--out"
     * @param out       its value, as the user gave it
     * @param written   the paths the command writes or replaces (out itself for a file output)
     */
    static void refuse(String outOption, Path out, List<Path> written, Input... inputs) throws IOException {
        for (Input in : inputs) {
            if (in.path() == null || !Files.exists(in.path())) continue;
            Path inReal = in.path().toRealPath();
            for (Path w : written) {
                if (w == null || !Files.exists(w)) continue;
                Path wReal = w.toRealPath();
                if (wReal.startsWith(inReal) || inReal.startsWith(wReal))
                    throw new IllegalArgumentException(outOption + " " + out + " would overwrite the input " + in.option() + " "
                            + in.path() + (wReal.equals(inReal) || w.equals(out) ? "" : " (it writes " + w + ")")
                            + ": choose another " + outOption);
            }
        }
    }

    /** {@link #refuse} for a command that writes the one file {@code out}. */
    static void refuseFile(String outOption, Path out, Input... inputs) throws IOException {
        // a folder given as a file output fails in the writer itself, with its own message
        if (out != null && !Files.isDirectory(out)) refuse(outOption, out, List.of(out), inputs);
    }
}
