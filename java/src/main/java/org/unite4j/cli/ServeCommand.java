package org.unite4j.cli;

import org.unite4j.model.UniteModel;
import org.unite4j.serve.PredictionServer;
import org.unite4j.train.ModelStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code unite serve}: a long-running local HTTP prediction server (see {@link PredictionServer}). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve predictions of a trained model over HTTP until stopped (Ctrl-C): POST /predict with an extxyz body "
                + "or JSON {\"molecules\":[{\"symbols\":[..],\"positions\":[[x,y,z],..],\"charge\":0}]} (?forces=true for forces) "
                + "answers with predict --json's output; GET /health. Listens on 127.0.0.1 unless --host says otherwise."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR|NAME", description = "Model folder (OUT/model of unite train), or "
            + "the name of a shipped model (./unite models).")
    Path modelDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8765", paramLabel = "P", description = "Port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port;

    @Option(names = "--threads", paramLabel = "N", description = "Requests handled at once (default: all cores).")
    Integer threads;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", paramLabel = "B", description = "Largest request body (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-atoms", defaultValue = "500", paramLabel = "N", description = "Largest molecule (default: ${DEFAULT-VALUE}).")
    int maxAtoms;

    /** {@code --backend cpu|cuda|auto}: where the model computes. */
    @Mixin
    BackendOption backendOption;

    @Override
    public Integer call() throws Exception {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + t);
        if (maxBodyBytes < 1) throw new IllegalArgumentException("--max-body-bytes must be >= 1, got " + maxBodyBytes);
        if (maxAtoms < 1) throw new IllegalArgumentException("--max-atoms must be >= 1, got " + maxAtoms);
        modelDir = ShippedModels.resolve("--model", modelDir);
        UniteModel model = ModelStore.load(modelDir, backendOption.resolveQuietly());
        backendOption.printNote();
        PredictionServer server = new PredictionServer(model, host, port, t, new PredictionServer.Limits(maxBodyBytes, 10_000, maxAtoms));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }));
        System.err.println("unite serve: listening on http://" + host + ":" + server.port() + " (model " + modelDir + ", "
                + model.config().xtbMethod() + ", energies in " + model.heads().energyUnit() + "); POST /predict, GET /health; Ctrl-C stops");
        System.err.flush();
        stop.await();
        return 0;
    }
}
