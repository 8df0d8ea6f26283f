package org.unite4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.data.LabelSpec;
import org.unite4j.model.LabeledData;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.util.Progress;

/**
 * A small real training run: 120 distorted conformers of water, methanol, ammonia and
 * formaldehyde, GFN1 features, GFN2 energy and dipole labels (not delta-learned).
 */
class TrainingRunTest {
    @TempDir
    Path tmp;

    static final UniteConfig SMALL = UniteConfig.fromJson(Map.of("hidden", "16x0e+8x1o+4x2e", "tp_channels", 8, "blocks", 2,
            "edge_hidden", 16, "mlp_hidden", 16));

    @Test
    void smallTrainingBeatsTheElementCountBaselineByAThird() throws Exception {
        Path data = LabeledData.write(tmp.resolve("d.extxyz"), 30, 0.08, 1);
        Trainer.Options opt = Trainer.Options.defaults().withEpochs(30).withBatchSize(16).withLr(5e-3).withSeed(1);
        TrainingRun.Request r = new TrainingRun.Request(data, LabelSpec.parse("energy_gfn2:Eh"), LabelSpec.parse("dipole_gfn2:e*bohr"),
                tmp.resolve("out"), tmp.resolve("cache"), SMALL, opt, false, false, false, null, 0.15, 0.15, 2, Progress.Mode.OFF);
        TrainingRun.Report rep = TrainingRun.run(r, System.out);
        System.out.printf("test MAE %.5f Eh, element-count baseline %.5f Eh, GFN1+counts %.5f Eh; dipole %.4f e*bohr (GFN1 dipole %.4f)%n",
                rep.testMae(), rep.countsBaselineMae(), rep.referenceBaselineMae(), rep.testDipoleMae(), rep.referenceDipoleMae());
        // Conformational energies are invisible to element counts; the model must learn them from the features.
        assertTrue(rep.testMae() < 0.65 * rep.countsBaselineMae(),
                "test MAE " + rep.testMae() + " should be below 0.65 x the element-count baseline " + rep.countsBaselineMae());
        assertTrue(rep.testDipoleMae() < rep.referenceDipoleMae(), "dipole should beat the GFN1 dipole as a GFN2 predictor");
        for (String f : new String[]{"learning_curve.png", "parity_energy.png", "parity_dipole.png", "metrics.json", "split.npz",
                "model/model.json", "model/weights.safetensors", "checkpoint/state.json", "checkpoint/optimizer.safetensors"})
            assertTrue(Files.isRegularFile(tmp.resolve("out").resolve(f)), f);
        // one dipole metric, named for what it is: the mean error-vector norm; the per-component MAE beside it
        @SuppressWarnings("unchecked") Map<String, Object> metrics = (Map<String, Object>) org.unite4j.io.Json.readFile(tmp.resolve("out/metrics.json"));
        assertEquals(rep.testDipoleMae(), ((Number) metrics.get("test_dipole_error_norm_mae")).doubleValue(), 0);
        assertEquals(rep.referenceDipoleMae(), ((Number) metrics.get("baseline_xtb_dipole_test_error_norm_mae")).doubleValue(), 0);
        assertEquals(rep.testDipoleComponentMae(), ((Number) metrics.get("test_dipole_component_mae")).doubleValue(), 0);
        assertTrue(((String) metrics.get("dipole_error_norm_mae_definition")).contains("|mu_pred - mu_ref|"), metrics.toString());
        assertFalse(metrics.containsKey("test_dipole_mae"), "no ambiguous key");
        // (|ex| + |ey| + |ez|) / 3 <= |e| <= |ex| + |ey| + |ez|, molecule by molecule
        assertTrue(rep.testDipoleComponentMae() <= rep.testDipoleMae() && rep.testDipoleMae() <= 3 * rep.testDipoleComponentMae(),
                rep.testDipoleComponentMae() + " vs " + rep.testDipoleMae());
        // the second run finds every molecule in the feature cache
        Path data2 = tmp.resolve("d2.extxyz");
        Files.copy(data, data2);
        var cache = new org.unite4j.data.FeatureCache(tmp.resolve("cache"), SMALL.xtbMethod(), SMALL.accuracy(), SMALL.tau());
        var outs = cache.featurize(org.unite4j.data.Dataset.load(data2).molecules(), 1, null, null);
        assertEquals(outs.size(), cache.hits());
        UniteModel m = ModelStore.load(rep.modelDir());
        UniteModel.Prediction p = m.predict(outs.stream().map(o -> o.graph()).toList(), 16);
        assertFalse(Double.isNaN(p.energy()[0]));
    }
}
