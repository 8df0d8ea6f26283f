package org.unite4j.train;

import org.unite4j.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.DType;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.util.AtomicFiles;
import org.unite4j.io.Json;

/**
 * A trained model on disk: a folder with {@code model.json} (format name and version, the
 * architecture {@link UniteConfig}, the {@link Heads}, and the SHA-256 of the weights file) and
 * {@code weights.safetensors} (every parameter under its name in the model's dtype, the EvNorm
 * running statistics in F64), readable from PyTorch/numpy with the safetensors library. The folder
 * is written as a whole, atomically ({@link AtomicFiles#writeDirectory}). Loading checks format,
 * version, checksum, names and shapes, so a damaged or foreign file is a clear IOException.
 */
public final class ModelStore {
    public static final String FORMAT = "unite4j-model";
    public static final int VERSION = 1;
    public static final String CONFIG_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.safetensors";

    private ModelStore() {
    }

    /** Writes the model folder atomically (replacing an existing one). */
    public static void save(UniteModel model, Path dir) throws IOException {
        AtomicFiles.writeDirectory(dir, d -> writeInto(model, d));
    }

    /** Writes model.json and weights.safetensors into an existing folder (e.g. inside a checkpoint). */
    public static void writeInto(UniteModel model, Path dir) throws IOException {
        // insertion order, so that the same model always gives the same bytes and SHA-256
        // (Map.of's iteration order varies from one JVM run to the next)
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", Integer.toString(VERSION));
        byte[] weights = Safetensors.toBytes(tensors(model), meta);
        Files.write(dir.resolve(WEIGHTS_FILE), weights);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("format", FORMAT);
        cfg.put("version", VERSION);
        cfg.put("config", model.config().toJson());
        cfg.put("heads", model.heads().toJson());
        cfg.put("weights_sha256", sha256(weights));
        Files.writeString(dir.resolve(CONFIG_FILE), Json.writePretty(cfg) + "\n");
    }

    /** The parameters and buffers as safetensors entries. */
    public static Map<String, Safetensors.Tensor> tensors(UniteModel model) {
        Map<String, Safetensors.Tensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) m.put(e.getKey(), toSafe(e.getValue().toDoubles(), model.dtype(), e.getValue().shape()));
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) m.put(e.getKey(), Safetensors.Tensor.f64(e.getValue().clone(), e.getValue().length));
        return m;
    }

    static Safetensors.Tensor toSafe(double[] v, DType dtype, int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        if (dtype == DType.FLOAT64) return Safetensors.Tensor.f64(v, s);
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
        return Safetensors.Tensor.f32(f, s);
    }

    /** Loads a model folder written by {@link #save}, on the CPU backend. */
    public static UniteModel load(Path dir) throws IOException {
        return load(dir, org.unite4j.backend.Backends.cpu());
    }

    /**
     * Loads a model folder written by {@link #save} onto {@code backend}; a float64 model loaded on a
     * float32-only backend (CUDA) computes in float32 ({@link UniteModel#configFor}).
     */
    public static UniteModel load(Path dir, org.unite4j.backend.Backend backend) throws IOException {
        Path cfgFile = dir.resolve(CONFIG_FILE), wFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isDirectory(dir)) throw new NoSuchFileException(dir + ": no model folder here");
        if (!Files.isRegularFile(cfgFile)) throw new NoSuchFileException(cfgFile + ": missing (is " + dir + " a unite4j model folder?)");
        if (!Files.isRegularFile(wFile)) throw new NoSuchFileException(wFile + ": missing");
        Map<String, Object> cfg;
        try {
            Object o = Json.readFile(cfgFile);
            if (!(o instanceof Map<?, ?>)) throw new IOException(cfgFile + ": not a JSON object");
            @SuppressWarnings("unchecked") Map<String, Object> c = (Map<String, Object>) o;
            cfg = c;
        } catch (IllegalArgumentException e) {
            throw new IOException(cfgFile + ": corrupted model description: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(cfg.get("format"))) throw new IOException(cfgFile + ": not a unite4j model (format " + cfg.get("format") + ")");
        if (!(cfg.get("version") instanceof Number v) || v.intValue() > VERSION)
            throw new IOException(cfgFile + ": model format version " + cfg.get("version") + " is not supported (this unite4j reads <= " + VERSION + ")");
        byte[] weights = Files.readAllBytes(wFile);
        if (!sha256(weights).equals(cfg.get("weights_sha256")))
            throw new IOException(wFile + ": corrupted (SHA-256 does not match the one recorded in " + CONFIG_FILE + ")");
        UniteModel model;
        try {
            UniteConfig config = UniteModel.configFor(UniteConfig.fromJson(Json.getObject(cfg, "config", cfgFile.toString())), backend);
            model = new UniteModel(config, Heads.fromJson(Json.getObject(cfg, "heads", cfgFile.toString())), 0, backend);
        } catch (IllegalArgumentException e) {
            throw new IOException(cfgFile + ": " + e.getMessage(), e);
        }
        loadWeights(model, Safetensors.fromBytes(weights, wFile.toString()), wFile.toString());
        return model;
    }

    /** Copies parameters and buffers from safetensors contents into the model (all names must match). */
    public static void loadWeights(UniteModel model, Safetensors.Contents c, String source) throws IOException {
        int expected = model.parameters().size() + model.buffers().size();
        for (String name : model.parameters().keySet()) {
            Safetensors.Tensor t = c.tensors().get(name);
            if (t == null) throw new IOException(source + ": missing parameter " + name);
            try {
                model.setParameter(name, t.toDoubles());
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": " + e.getMessage(), e);
            }
        }
        for (Map.Entry<String, double[]> e : model.buffers().entrySet()) {
            Safetensors.Tensor t = c.tensors().get(e.getKey());
            if (t == null || t.numel() != e.getValue().length) throw new IOException(source + ": missing or wrong-sized buffer " + e.getKey());
            System.arraycopy(t.toDoubles(), 0, e.getValue(), 0, e.getValue().length);
        }
        if (c.tensors().size() != expected)
            throw new IOException(source + ": has " + c.tensors().size() + " tensors, the model expects " + expected);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
