package org.unite4j.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.ExtXyzReader;
import org.unite4j.chem.io.Frame;
import org.unite4j.data.FeatureCache;
import org.unite4j.data.FeatureJacobian;
import org.unite4j.data.MolecularGraph;
import org.unite4j.io.Json;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP server (the JDK's {@code com.sun.net.httpserver}) that predicts with one loaded model:
 * <ul>
 *   <li>{@code POST /predict} with an extxyz body (one or more molecules) or JSON
 *       {@code {"molecules":[{"symbols":["O","H","H"],"positions":[[x,y,z],...],"charge":0,
 *       "multiplicity":1,"name":"..."}],"forces":false}}; {@code ?forces=true} also asks for
 *       forces. The answer is {@code predict --json}'s: {@code {"molecules":[{"index":0,"name":..,
 *       "energy":..,"unit":..,"dipole":[..],"forces":[[..]],"force_unit":..}]}}.</li>
 *   <li>{@code GET /health}: {@code {"status":"ok","energy_unit":..,"method":..,"dipole":bool}}.</li>
 * </ul>
 * Bad input is a 4xx answer {@code {"error":"..."}} naming the molecule (400 bad request, 404
 * unknown path, 405 wrong method, 413 body or molecule too large, 415 unknown content type); a
 * failure inside is a 500 with its message; the server keeps running either way. Requests are
 * handled on {@code threads} threads (featurization in parallel); the model itself is called by
 * one request at a time.
 */
public final class PredictionServer implements AutoCloseable {
    /** Limits of one request. */
    public record Limits(int maxBodyBytes, int maxMolecules, int maxAtoms) {
        public static Limits defaults() {
            return new Limits(16 << 20, 10_000, 500);
        }
    }

    private final UniteModel model;
    private final Limits limits;
    private final HttpServer http;
    private final ExecutorService pool;
    private final Calculator calculator;
    private final FeatureCache featurizer;
    private final ReentrantLock modelLock = new ReentrantLock();

    /**
     * Binds to {@code host:port} (port 0: any free port, see {@link #port()}) and starts serving.
     *
     * @param threads requests handled at once
     */
    public PredictionServer(UniteModel model, String host, int port, int threads, Limits limits) throws IOException {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        this.model = model;
        this.limits = limits;
        this.featurizer = new FeatureCache(null, model.config().xtbMethod(), model.config().accuracy(), model.config().tau());
        this.calculator = new Calculator(model, FeatureJacobian.forMethod(FeatureJacobian.Kind.AUTO, model.config().xtbMethod(),
                1, null), 1);
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (another server on that port? choose one with --port)");
        }
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(null, r, "unite-serve", 1L << 30); // libxtb wants a large stack
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
    }

    /** The port the server listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Stops accepting requests, lets running ones finish (up to 2 s) and frees the threads. */
    @Override
    public void close() {
        http.stop(2);
        pool.shutdownNow();
    }

    /** A request error answered with its HTTP status. */
    static final class RequestException extends RuntimeException {
        final int status;

        RequestException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        int status;
        Object body;
        try {
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/health" -> {
                    requireMethod(ex, "GET");
                    body = health();
                }
                case "/predict" -> {
                    requireMethod(ex, "POST");
                    body = predict(ex);
                }
                default -> throw new RequestException(404, "no such endpoint '" + path + "' (POST /predict, GET /health)");
            }
            status = 200;
        } catch (RequestException e) {
            status = e.status;
            body = Map.of("error", e.getMessage());
        } catch (IllegalArgumentException e) {
            status = 400;
            body = Map.of("error", String.valueOf(e.getMessage()));
        } catch (RuntimeException | Error e) {
            status = 500;
            body = Map.of("error", "internal error: " + e);
        }
        byte[] out = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equalsIgnoreCase(method))
            throw new RequestException(405, ex.getRequestURI().getPath() + " takes " + method + ", not " + ex.getRequestMethod());
    }

    private Map<String, Object> health() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("energy_unit", model.heads().energyUnit());
        m.put("method", model.config().xtbMethod().toString());
        m.put("dipole", model.heads().hasDipole());
        return m;
    }

    private Map<String, Object> predict(HttpExchange ex) throws IOException {
        byte[] raw = readBody(ex.getRequestBody());
        String text = new String(raw, StandardCharsets.UTF_8);
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        boolean forces = "true".equalsIgnoreCase(query(ex, "forces"));
        List<Molecule> molecules;
        if (type != null && type.toLowerCase().startsWith("application/json") || (type == null && text.stripLeading().startsWith("{"))) {
            Object o = Json.parse(text, "request body");
            if (!(o instanceof Map<?, ?> root)) throw new IllegalArgumentException("request body: expected a JSON object");
            if (root.get("forces") instanceof Boolean b) forces |= b;
            molecules = fromJson(root);
        } else if (type == null || type.startsWith("text/") || type.startsWith("chemical/") || type.startsWith("application/octet-stream")) {
            List<Frame> frames = ExtXyzReader.parse(text, "request body");
            molecules = new ArrayList<>();
            for (Frame f : frames) molecules.add(f.molecule());
        } else {
            throw new RequestException(415, "unsupported Content-Type '" + type + "' (application/json, or extxyz as text/plain)");
        }
        if (molecules.isEmpty()) throw new IllegalArgumentException("request body: no molecules");
        if (molecules.size() > limits.maxMolecules())
            throw new RequestException(413, molecules.size() + " molecules in one request, the limit is " + limits.maxMolecules());
        for (int i = 0; i < molecules.size(); i++) {
            Molecule m = molecules.get(i);
            if (m.size() > limits.maxAtoms())
                throw new RequestException(413, "molecule " + i + " has " + m.size() + " atoms, the limit is " + limits.maxAtoms());
            String why = model.heads().unknownElement(m.atomicNumbers());
            if (why != null) throw new IllegalArgumentException("molecule " + i + " (" + m.formula() + "): " + why);
        }
        List<FeatureCache.Outcome> outs = featurizer.featurize(molecules, 1, null, null);
        List<MolecularGraph> graphs = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            if (!outs.get(i).ok()) throw new IllegalArgumentException("molecule " + i + ": " + outs.get(i).error().getMessage());
            graphs.add(outs.get(i).graph());
        }
        List<Calculator.Result> res;
        modelLock.lock();
        try {
            res = calculator.calculate(graphs, forces, null);
        } finally {
            modelLock.unlock();
        }
        Heads h = model.heads();
        List<Object> mols = new ArrayList<>();
        for (int i = 0; i < res.size(); i++) mols.add(PredictionJson.molecule(i, molecules.get(i), res.get(i), h));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("molecules", mols);
        return root;
    }

    private byte[] readBody(InputStream in) throws IOException {
        byte[] buf = in.readNBytes(limits.maxBodyBytes() + 1);
        if (buf.length > limits.maxBodyBytes())
            throw new RequestException(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
        return buf;
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return null;
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(key)) return eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Molecules of a JSON request; errors name the molecule and the field. */
    static List<Molecule> fromJson(Map<?, ?> root) {
        if (!(root.get("molecules") instanceof List<?> list))
            throw new IllegalArgumentException("request body: expected \"molecules\": [ ... ]");
        List<Molecule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "molecule " + i;
            if (!(list.get(i) instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + ": expected an object");
            if (!(m.get("symbols") instanceof List<?> symbols) || symbols.isEmpty())
                throw new IllegalArgumentException(where + ": expected \"symbols\": [\"O\", \"H\", ...]");
            if (!(m.get("positions") instanceof List<?> positions))
                throw new IllegalArgumentException(where + ": expected \"positions\": [[x, y, z], ...] in Angstrom");
            if (positions.size() != symbols.size())
                throw new IllegalArgumentException(where + ": " + symbols.size() + " symbols but " + positions.size() + " positions");
            int[] z = new int[symbols.size()];
            double[] r = new double[3 * z.length];
            for (int a = 0; a < z.length; a++) {
                try {
                    z[a] = Elements.number(String.valueOf(symbols.get(a)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ", atom " + a + ": " + e.getMessage());
                }
                if (!(positions.get(a) instanceof List<?> xyz) || xyz.size() != 3)
                    throw new IllegalArgumentException(where + ", atom " + a + ": a position is [x, y, z]");
                for (int k = 0; k < 3; k++) {
                    if (!(xyz.get(k) instanceof Number num))
                        throw new IllegalArgumentException(where + ", atom " + a + ": coordinate " + "xyz".charAt(k) + " is not a number");
                    r[3 * a + k] = num.doubleValue();
                }
            }
            int charge = integer(m, "charge", 0, where), mult = integer(m, "multiplicity", 1, where);
            String name = m.get("name") == null ? "" : String.valueOf(m.get("name"));
            try {
                out.add(new Molecule(z, r, charge, mult, name, null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static int integer(Map<?, ?> m, String key, int dflt, String where) {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        throw new IllegalArgumentException(where + ": \"" + key + "\" must be an integer, got " + v);
    }
}
