package org.unite4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unite demo} end to end on a tiny setting (the full demo is timed by hand: see the README). */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void tinyDemoRunsAndWritesPlots() {
        TrainPredictCliTest.Run r = TrainPredictCliTest.unite("demo", "--out", tmp.toString(), "--conformers", "3", "--epochs", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("GFN2 energy MAE") && r.out().contains("GFN1 + element counts") && r.out().contains("GFN2 dipole MAE"), r.out());
        for (String f : new String[]{"demo.extxyz", "learning_curve.png", "parity_energy.png", "parity_dipole.png", "model/model.json"})
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
    }
}
