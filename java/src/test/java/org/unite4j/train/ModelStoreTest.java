package org.unite4j.train;

import org.unite4j.io.Safetensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.Heads;
import org.unite4j.model.TestMolecules;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;

class ModelStoreTest {
    @TempDir
    Path tmp;

    static List<MolecularGraph> graphs = new ArrayList<>();

    @BeforeAll
    static void featurize() {
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1);
        for (var m : List.of(TestMolecules.water(), TestMolecules.methanol(), TestMolecules.formaldehyde()))
            graphs.add(MolecularGraph.of(x.featurize(m), 12.0));
    }

    static UniteModel trainedLooking(String dtype) {
        UniteConfig c = UniteConfig.fromJson(Map.of("hidden", "8x0e+4x1o+4x2e", "tp_channels", 4, "blocks", 2, "edge_hidden", 8,
                "mlp_hidden", 8, "dtype", dtype));
        Heads h = new Heads("energy", "kcal/mol", "mu", "D", true, new int[]{1, 6, 8}, new double[]{-0.3, -2.5, -4.25}, 0.1, 3.0, 0.5);
        UniteModel m = new UniteModel(c, h, 9);
        Random r = new Random(4);
        for (var e : m.parameters().entrySet()) {
            double[] v = e.getValue().toDoubles();
            for (int i = 0; i < v.length; i++) v[i] += 0.2 * r.nextGaussian();
            m.setParameter(e.getKey(), v);
        }
        m.setTraining(true);
        m.forward(org.unite4j.data.GraphBatch.of(graphs, XtbMethod.GFN1)); // moves the EvNorm running statistics away from 0/1
        m.fitInputStatistics(graphs);
        return m;
    }

    @Test
    void roundTripGivesBitwiseIdenticalPredictions() throws IOException {
        for (String dt : new String[]{"float32", "float64"}) {
            UniteModel m = trainedLooking(dt);
            Path dir = tmp.resolve("model-" + dt);
            ModelStore.save(m, dir);
            UniteModel back = ModelStore.load(dir);
            assertEquals(m.config(), back.config());
            UniteModel.Prediction a = m.predict(graphs, 2), b = back.predict(graphs, 2);
            for (int i = 0; i < graphs.size(); i++) {
                assertEquals(Double.doubleToLongBits(a.energy()[i]), Double.doubleToLongBits(b.energy()[i]), dt + " energy " + i);
                for (int k = 0; k < 3; k++)
                    assertEquals(Double.doubleToLongBits(a.dipole()[i][k]), Double.doubleToLongBits(b.dipole()[i][k]), dt + " dipole " + i);
            }
            // the weights file is plain safetensors: every parameter and buffer by name
            Safetensors.Contents c = Safetensors.read(dir.resolve(ModelStore.WEIGHTS_FILE));
            assertTrue(c.tensors().containsKey("block0.self_tp"));
            assertTrue(c.tensors().containsKey("block1.norm.running_var"));
            assertArrayEquals(m.buffers().get("block1.norm.running_mean"), c.get("block1.norm.running_mean").toDoubles());
            // a fixed metadata order: the same model gives the same bytes in every JVM run
            assertEquals(java.util.List.of("format", "version"), java.util.List.copyOf(c.metadata().keySet()));
        }
    }

    @Test
    void corruptedFilesGiveClearErrors() throws IOException {
        UniteModel m = trainedLooking("float32");
        Path dir = tmp.resolve("model");
        ModelStore.save(m, dir);
        Path w = dir.resolve(ModelStore.WEIGHTS_FILE);
        byte[] good = Files.readAllBytes(w);
        // one flipped bit in the tensor data
        byte[] bad = good.clone();
        bad[bad.length - 10] ^= 0x10;
        Files.write(w, bad);
        IOException e = assertThrows(IOException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains(w.toString()) && e.getMessage().contains("corrupted"), e.getMessage());
        // truncated file
        Files.write(w, java.util.Arrays.copyOf(good, good.length / 2));
        e = assertThrows(IOException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains("corrupted"), e.getMessage());
        Files.write(w, good);
        // damaged description
        Path cfg = dir.resolve(ModelStore.CONFIG_FILE);
        String text = Files.readString(cfg);
        Files.writeString(cfg, text.substring(0, text.length() / 2));
        e = assertThrows(IOException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains(cfg.toString()), e.getMessage());
        // a newer format version
        Files.writeString(cfg, text.replace("\"version\": 1,", "\"version\": 99,"));
        e = assertThrows(IOException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        // no model folder at all
        e = assertThrows(IOException.class, () -> ModelStore.load(tmp.resolve("nothing")));
        assertTrue(e.getMessage().contains("nothing"), e.getMessage());
    }
}
