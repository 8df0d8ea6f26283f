package org.unite4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.unite4j.backend.cuda.GpuTestSupport.requireGpu;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.Backends;
import org.unite4j.backend.DType;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.ModelStepFixture;
import org.unite4j.model.UniteModel;

/**
 * One whole training step of a small UNiTE model (forward, loss, backward, AdamW) on the CUDA
 * backend in float32 against the CPU (float64 reference and float32), from identical weights on
 * four precomputed GFN1 molecules ({@link ModelStepFixture}): energies, dipoles, loss, every
 * gradient, every updated weight and the EvNorm running statistics agree to 1e-4 (relative to each
 * tensor's largest entry), and a second CUDA run is bitwise identical. Skipped without a GPU.
 */
class ModelTrainingStepGpuTest {
    @Test
    void trainingStepMatchesCpuAndIsBitwiseReproducible() throws Exception {
        // runs everywhere: the molecules resource is on the class path (inside the bundle's test jar)
        List<MolecularGraph> mols = ModelStepFixture.molecules();
        assertEquals(4, mols.size());
        requireGpu();
        Backend cuda = Backends.get("cuda");
        Map<String, double[]> w = ModelStepFixture.initialWeights();
        UniteModel onGpu = new UniteModel(ModelStepFixture.config(DType.FLOAT32), ModelStepFixture.heads(), 11, cuda);
        for (Tensor t : onGpu.parameters().values()) assertSame(cuda, t.backend(), "parameters live on the cuda backend");

        ModelStepFixture.StepResult ref = ModelStepFixture.cpuReference(w, mols);
        ModelStepFixture.StepResult cpu32 = ModelStepFixture.step(Backends.cpu(), DType.FLOAT32, w, mols);
        ModelStepFixture.StepResult gpu = ModelStepFixture.step(cuda, DType.FLOAT32, w, mols);
        System.out.println("[cuda] model step vs cpu float64: " + ModelStepFixture.summary(gpu, ref));
        System.out.println("[cuda] model step vs cpu float32: " + ModelStepFixture.summary(gpu, cpu32));
        ModelStepFixture.assertStepsAgree(gpu, ref, 1e-4, "cuda float32 vs cpu float64");
        ModelStepFixture.assertStepsAgree(gpu, cpu32, 1e-4, "cuda float32 vs cpu float32");
        ModelStepFixture.assertBitwise(gpu, ModelStepFixture.step(cuda, DType.FLOAT32, w, mols), "cuda rerun");
        System.out.println("[cuda] model step: second run bitwise identical");
    }
}
