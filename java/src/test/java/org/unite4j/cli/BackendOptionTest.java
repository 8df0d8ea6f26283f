package org.unite4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.cuda.CudaBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code --backend cpu|cuda|auto}: the mixin resolves, reports and refuses as documented (with or without a GPU). */
class BackendOptionTest {
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Mixin BackendOption backend;
        String chosen;

        @Override
        public Integer call() {
            chosen = backend.resolve().name();
            return 0;
        }
    }

    record Result(int rc, String chosen, String err) {}

    static Result run(String... args) {
        Probe p = new Probe();
        CommandLine cl = new CommandLine(p);
        cl.setExecutionExceptionHandler((ex, cmd, pr) -> {  // as Main: a user error is one line, exit 2
            if (ex instanceof IllegalArgumentException) { cmd.getErr().println(ex.getMessage()); return 2; }
            throw ex;
        });
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new Result(rc, p.chosen, err.toString());
    }

    @Test
    void cpuIsAlwaysTheCpuBackend() {
        Result r = run("--backend", "cpu");
        assertEquals(0, r.rc(), r.err());
        assertEquals("cpu", r.chosen());
        assertEquals("", r.err(), "an explicit choice prints nothing");
    }

    @Test
    void autoPicksCudaOnlyWhereUsableAndSaysWhich() {
        boolean gpu = CudaBackend.isAvailable();
        for (String[] args : new String[][] {{}, {"--backend", "auto"}}) {
            Result r = run(args);
            assertEquals(0, r.rc(), r.err());
            assertEquals(gpu ? "cuda" : "cpu", r.chosen());
            assertTrue(r.err().startsWith("backend: " + r.chosen() + " (auto: "), r.err());
            if (!gpu) assertTrue(r.err().contains(CudaBackend.unavailableReason()), "the reason is printed: " + r.err());
        }
    }

    @Test
    void cudaWhereUnusableIsAClearErrorWithExitCode2() {
        Result r = run("--backend", "cuda");
        if (CudaBackend.isAvailable()) {
            assertEquals(0, r.rc(), r.err());
            assertEquals("cuda", r.chosen());
        } else {
            assertEquals(2, r.rc());
            assertNull(r.chosen());
            assertTrue(r.err().contains("--backend cuda: CUDA is not usable here: " + CudaBackend.unavailableReason()), r.err());
        }
    }

    @Test
    void unknownValuesAreRejectedByTheParser() {
        Result r = run("--backend", "tpu");
        assertEquals(2, r.rc());
        assertTrue(r.err().contains("cpu, cuda, auto"), r.err());
    }

    @Test
    void selftestUsesTheMixin() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("selftest", "--backend", "tpu"), err.toString());
        if (!CudaBackend.isAvailable()) {
            assertEquals(2, cl.execute("selftest", "--backend", "cuda"));
            assertTrue(err.toString().contains("CUDA is not usable here"), err.toString());
        }
    }
}
