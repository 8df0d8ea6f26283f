package org.unite4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code unite} command-line interface. Each subcommand is one class in this
 * package; this class only registers them and maps exceptions to exit codes.
 */
@Command(name = "unite",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "unite4j: equivariant neural networks on N-body tensors (UNiTE / OrbNet-Equi).",
        footer = {"",
                "Launcher commands (the ./unite script itself):",
                "  ./unite test         build and run the whole test suite",
                "  ./unite build        force a rebuild",
                "  ./unite gpu-bundle   build gpu-bundle/ (Java runtime, jars, kernels) for a GPU machine"},
        subcommands = {
                CommandLine.HelpCommand.class,
                SelftestCommand.class,
                CgCommand.class,
                FeaturizeCommand.class,
                InspectCommand.class,
                TrainCommand.class,
                ServeCommand.class,
                PredictCommand.class,
                ModelsCommand.class,
                OptimizeCommand.class,
                MdCommand.class,
                DemoCommand.class,
                BenchCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Builds the command line with the project's error handling; tests use it too. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            // A user error (bad file, bad argument) is printed as one line, not a stack trace.
            if (ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof java.io.UncheckedIOException || ex instanceof org.unite4j.chem.gfn1.Gfn1Exception) {
                cmd.getErr().println("unite " + cmd.getCommandName() + ": " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Prints the library version from the jar manifest (or "dev" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"unite4j " + (v == null ? "dev" : v)
                    + " (Java " + Runtime.version() + ")"};
        }
    }
}
