package org.unite4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.data.MolecularGraph;

/**
 * The CPU half of the backend comparison of one training step ({@link ModelStepFixture}): CPU
 * float32 against the CPU float64 reference, and CPU bitwise reruns. The GPU half is
 * org.unite4j.backend.cuda.ModelTrainingStepGpuTest.
 */
class ModelTrainingStepTest {
    @Test
    void float32StepMatchesFloat64() throws Exception {
        List<MolecularGraph> mols = ModelStepFixture.molecules();
        assertEquals(4, mols.size());
        Map<String, double[]> w = ModelStepFixture.initialWeights();
        ModelStepFixture.StepResult ref = ModelStepFixture.cpuReference(w, mols);
        ModelStepFixture.StepResult f32 = ModelStepFixture.step(Backends.cpu(), DType.FLOAT32, w, mols);
        System.out.println("cpu float32 vs float64 step: " + ModelStepFixture.summary(f32, ref));
        ModelStepFixture.assertStepsAgree(f32, ref, 1e-4, "cpu float32 vs cpu float64");
        ModelStepFixture.assertBitwise(f32, ModelStepFixture.step(Backends.cpu(), DType.FLOAT32, w, mols), "cpu float32 rerun");
    }

    @Test
    void comparisonDetectsAWrongStep() throws Exception {
        List<MolecularGraph> mols = ModelStepFixture.molecules();
        Map<String, double[]> w = ModelStepFixture.initialWeights();
        ModelStepFixture.StepResult ref = ModelStepFixture.cpuReference(w, mols);
        // one weight moved by 1e-3 relative: the step's outputs must no longer "agree"
        Map<String, double[]> moved = new java.util.LinkedHashMap<>(w);
        double[] v = moved.get("block1.self_tp").clone();
        v[0] *= 1.001;
        moved.put("block1.self_tp", v);
        ModelStepFixture.StepResult off = ModelStepFixture.cpuReference(moved, mols);
        assertThrows(AssertionError.class, () -> ModelStepFixture.assertStepsAgree(off, ref, 1e-4, "perturbed"));
    }

    @Test
    void backendMustSupportTheDtype() {
        // the CPU backend, claiming float32 only (as the CUDA backend does)
        Backend cpu = Backends.cpu();
        Backend f32only = (Backend) java.lang.reflect.Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "supports" -> args[0] == DType.FLOAT32;
                    case "name" -> "f32only";
                    default -> method.invoke(cpu, args);
                });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UniteModel(ModelStepFixture.config(DType.FLOAT64), ModelStepFixture.heads(), 1, f32only));
        assertEquals(true, e.getMessage().contains("float32"), e.getMessage());
        assertEquals(DType.FLOAT32, UniteModel.configFor(ModelStepFixture.config(DType.FLOAT64), f32only).dataType());
        UniteModel m = new UniteModel(UniteModel.configFor(ModelStepFixture.config(DType.FLOAT64), Backends.cpu()),
                ModelStepFixture.heads(), 1, Backends.cpu());
        assertEquals(DType.FLOAT64, m.dtype());
        assertEquals(Backends.cpu(), m.backend());
        for (var t : m.parameters().values()) assertEquals(Backends.cpu(), t.backend());
    }
}
