package org.unite4j.cli;

import java.io.PrintWriter;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.cuda.CudaBackend;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shared {@code --backend cpu|cuda|auto} option (a picocli mixin). Use it in a command with
 * <pre>{@code
 *   @Mixin BackendOption backendOption;
 *   ...
 *   Backend b = backendOption.resolve();   // in call()
 * }</pre>
 * {@code cpu}: the CPU backend. {@code cuda}: the CUDA backend, or an IllegalArgumentException with
 * the reason it cannot run here (no device, no driver, kernels not built), which Main prints as one
 * line with exit code 2. {@code auto} (the default): CUDA when a device and the kernels are present,
 * else CPU; the choice and its reason are printed on stderr.
 */
public final class BackendOption {
    /** The values of {@code --backend}. */
    public enum Choice { cpu, cuda, auto }

    @Option(names = "--backend", paramLabel = "cpu|cuda|auto",
            description = "Compute backend: cpu, cuda, or auto (default: CUDA when a GPU and the kernels are present, else CPU).")
    Choice choice;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** Whether {@code --backend} was given on the command line. */
    public boolean isSet() {
        return choice != null;
    }

    /** The value given, {@code auto} when none was. */
    public Choice choice() {
        return choice == null ? Choice.auto : choice;
    }

    private String note;

    /** The backend this option selects (see the class comment); never an unavailable one. */
    public Backend resolve() {
        Backend b = resolveQuietly();
        printNote();
        return b;
    }

    /** Prints auto's note of the last {@link #resolveQuietly()} (if any) on the command's stderr. */
    public void printNote() {
        if (note != null) {
            PrintWriter e = err();
            e.println(note);
            e.flush();
        }
    }

    /**
     * As {@link #resolve()} but keeps auto's one-line note ("backend: cpu (auto: ...)") in
     * {@link #note()} instead of printing it, so a command can check its input first and print
     * the note only when it starts the work (a bad input stays a single line).
     */
    public Backend resolveQuietly() {
        note = null;
        return switch (choice()) {
            case cpu -> Backends.cpu();
            case cuda -> {
                Backend b = installed("cuda");
                String why = b == null ? "the CUDA backend is not on the class path" : b.isAvailable() ? null : cudaReason();
                if (why != null) throw new IllegalArgumentException("--backend cuda: CUDA is not usable here: " + why);
                yield b;
            }
            case auto -> {
                Backend b = installed("cuda");
                boolean cuda = b != null && b.isAvailable();
                note = "backend: " + (cuda ? "cuda (auto: " + CudaBackend.get().describe() + ")"
                        : "cpu (auto: " + (b == null ? "no CUDA backend on the class path" : cudaReason()) + ")");
                yield cuda ? b : Backends.cpu();
            }
        };
    }

    /** auto's note of the last resolve, or null. */
    public String note() { return note; }

    private static Backend installed(String name) {
        for (Backend b : Backends.all()) if (b.name().equalsIgnoreCase(name)) return b;
        return null;
    }

    private static String cudaReason() {
        String r = CudaBackend.unavailableReason();
        return r == null ? "unknown reason" : r;
    }

    private PrintWriter err() {
        return mixee != null ? mixee.commandLine().getErr() : new PrintWriter(System.err, true);
    }
}
