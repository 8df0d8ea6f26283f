package org.unite4j.train;

import org.unite4j.io.Safetensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.Heads;
import org.unite4j.model.LabeledData;
import org.unite4j.model.UniteConfig;
import org.unite4j.model.UniteModel;
import org.unite4j.util.Progress;

/** An interrupted run resumed from its checkpoint ends with bitwise the weights of an uninterrupted one. */
class TrainerResumeTest {
    @TempDir
    Path tmp;

    static Trainer.LabeledSet train, val;

    @BeforeAll
    static void data() {
        List<Molecule> ms = LabeledData.conformers(6, 0.05, 3);
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1);
        List<MolecularGraph> gs = new ArrayList<>();
        double[] e = new double[ms.size()];
        double[][] d = new double[ms.size()][];
        for (int i = 0; i < ms.size(); i++) {
            gs.add(MolecularGraph.of(x.featurize(ms.get(i)), 12.0));
            e[i] = Double.parseDouble(ms.get(i).info().get("energy_gfn2"));
            String[] t = ms.get(i).info().get("dipole_gfn2").split(" ");
            d[i] = new double[]{Double.parseDouble(t[0]), Double.parseDouble(t[1]), Double.parseDouble(t[2])};
        }
        Trainer.LabeledSet all = new Trainer.LabeledSet(gs, e, d);
        int[] tr = new int[18], va = new int[6];
        int a = 0, b = 0;
        for (int i = 0; i < 24; i++) if (i % 4 == 3) va[b++] = i; else tr[a++] = i;
        train = all.subset(tr);
        val = all.subset(va);
    }

    static UniteModel fresh(DTypeChoice dt) {
        UniteConfig c = UniteConfig.fromJson(Map.of("hidden", "8x0e+4x1o+2x2e", "tp_channels", 4, "blocks", 2, "edge_hidden", 8,
                "mlp_hidden", 8, "dtype", dt.name));
        Heads h = Trainer.fitHeads(train, "energy_gfn2", Units.HARTREE, "dipole_gfn2", Units.E_BOHR, false);
        UniteModel m = new UniteModel(c, h, 17);
        m.fitInputStatistics(train.graphs());
        return m;
    }

    enum DTypeChoice {
        F32("float32");
        final String name;

        DTypeChoice(String n) { name = n; }
    }

    @Test
    void resumedRunMatchesUninterruptedRunBitwise() throws Exception {
        Trainer.Options opt = Trainer.Options.defaults().withEpochs(4).withBatchSize(5).withLr(3e-3).withSeed(5);
        UniteModel a = fresh(DTypeChoice.F32);
        Trainer.Result ra = new Trainer(a, opt, tmp.resolve("a"), Progress.Mode.OFF).fit(train, val, false);
        assertTrue(ra.finished());

        UniteModel b = fresh(DTypeChoice.F32);
        Trainer.Result rb1 = new Trainer(b, opt.withStopAfterEpoch(2), tmp.resolve("b"), Progress.Mode.OFF).fit(train, val, false);
        assertFalse(rb1.finished());
        assertEquals(2, rb1.epochsRun());
        // a new process: a freshly built model continues from the checkpoint
        UniteModel c = fresh(DTypeChoice.F32);
        Trainer.Result rb = new Trainer(c, opt, tmp.resolve("b"), Progress.Mode.OFF).fit(train, val, true);
        assertTrue(rb.finished());
        assertEquals(ra.validationMae(), rb.validationMae());
        assertEquals(ra.trainMae(), rb.trainMae());
        Map<String, Safetensors.Tensor> wa = ModelStore.tensors(a), wc = ModelStore.tensors(c);
        assertEquals(wa.keySet(), wc.keySet());
        for (String k : wa.keySet()) assertEquals(wa.get(k), wc.get(k), "tensor " + k + " differs after resume");
        // and the weights did change during training (the comparison is not vacuous)
        Map<String, Safetensors.Tensor> w0 = ModelStore.tensors(fresh(DTypeChoice.F32));
        assertFalse(w0.get("block1.self_tp").equals(wa.get("block1.self_tp")));
        // changed options are refused on resume
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fresh(DTypeChoice.F32), opt.withLr(1e-3), tmp.resolve("b"), Progress.Mode.OFF).fit(train, val, true));
        assertThrows(IllegalArgumentException.class,
                () -> new Trainer(fresh(DTypeChoice.F32), opt, tmp.resolve("none"), Progress.Mode.OFF).fit(train, val, true));
    }
}
