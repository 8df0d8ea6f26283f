package org.unite4j.backend.cuda;

import java.util.Locale;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.bench.ModelOps;
import org.unite4j.bench.ScalingInputs;

/**
 * Where the whole model's time goes on CUDA (run by the GPU bundle, not a test): the scaling
 * sweep's model forward and forward+backward on a synthetic input of N waters, timed plainly, then
 * again with {@link CudaProfile} (a device synchronization around every launch and copy), per
 * kernel. {@code java ... org.unite4j.backend.cuda.CudaModelProfile [waters=512] [reps=5]}
 */
public final class CudaModelProfile {
    private CudaModelProfile() {
    }

    public static void main(String[] args) {
        int waters = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (!CudaBackend.isAvailable()) {
            System.out.println("no GPU: " + CudaBackend.unavailableReason());
            System.exit(3);
        }
        Backend cuda = Backends.get("cuda");
        ModelOps m = new ModelOps(ScalingInputs.syntheticGraph(waters, false, 42), 42, cuda);
        System.out.printf(Locale.ROOT, "model on %d synthetic waters: %d blocks, %s%n", waters, m.pairs(), CudaBackend.get().describe());
        for (int i = 0; i < 3; i++) {
            m.forward();
            m.forwardBackward();
        }
        for (String what : new String[] {"forward", "forward+backward"}) {
            Runnable op = what.equals("forward") ? m::forward : m::forwardBackward;
            CudaProfile.setEnabled(false);
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) op.run();
            double plain = (System.nanoTime() - t0) * 1e-6 / reps;
            CudaProfile.reset();
            CudaProfile.setEnabled(true);
            t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) op.run();
            double profiled = (System.nanoTime() - t0) * 1e-6 / reps;
            CudaProfile.setEnabled(false);
            System.out.printf(Locale.ROOT, "%n== model %s, %d blocks: %.2f ms per call unprofiled, %.2f ms profiled, of which device calls %.2f ms%n",
                    what, m.pairs(), plain, profiled, CudaProfile.totalSeconds() * 1e3 / reps);
            System.out.print(CudaProfile.table(reps));
        }
    }
}
