package org.unite4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.nn.selftest.SelfTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code unite selftest}: validates an installation by running every op's float64 gradient
 * check, equivariance check (rotations and inversion) and determinism check on the backend chosen
 * by {@code --backend cpu|cuda|auto} ({@link BackendOption}), or on every available backend when
 * the option is not given. Exit code 0 when every op passes, 1 otherwise.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = "Check every op: float64 gradients vs central differences (rel err < 1e-6), "
                + "equivariance under rotations and inversion (< 1e-10), bitwise determinism. "
                + "Without --backend: every available backend.")
public final class SelftestCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object (per op: grad_rel_err, equiv_err, passed).")
    boolean json;

    /** {@code --backend cpu|cuda|auto}; when not given, every available backend is tested. */
    @Mixin
    BackendOption backend;

    @Option(names = "--seed", description = "Seed of the random inputs (default ${DEFAULT-VALUE}).")
    long seed = 12345;

    @Override
    public Integer call() {
        List<Backend> backends = !backend.isSet()
                ? Backends.all().stream().filter(Backend::isAvailable).toList()
                : List.of(backend.resolve());
        boolean ok = true;
        StringBuilder js = new StringBuilder();
        for (Backend b : backends) {
            List<SelfTest.OpResult> res = SelfTest.run(b, seed);
            ok &= res.stream().allMatch(SelfTest.OpResult::passed);
            if (json) {
                js.append(js.isEmpty() ? "" : ",\n").append(backends.size() == 1 ? "" : "\"" + b.name() + "\":")
                        .append(SelfTest.toJson(b, res));
            } else {
                System.out.printf("backend %s%n%-34s %12s %12s %12s %6s %s%n", b.name(), "op", "grad_rel_err",
                        "gradgrad_err", "equiv_err", "det", "result");
                for (SelfTest.OpResult r : res) {
                    System.out.printf("%-34s %12.3e %12.3e %12s %6s %s%s%n", r.op(), r.gradRelErr(), r.gradGradRelErr(),
                            r.equivErr() == null ? "-" : String.format("%.3e", r.equivErr()), r.deterministic(),
                            r.passed() ? "ok" : "FAIL", r.error() == null ? "" : " " + r.error());
                }
                long failed = res.stream().filter(r -> !r.passed()).count();
                System.out.printf("%d ops, %d failed%n", res.size(), failed);
            }
        }
        if (json) {
            System.out.println(backends.size() == 1 ? js : "{\"passed\":" + ok + ",\"backends\":{" + js + "}}");
        }
        return ok ? 0 : 1;
    }
}
