package org.unite4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unite4j.backend.DType;
import org.unite4j.backend.cuda.CudaBackend;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.ModelStepFixture;
import org.unite4j.model.TestMolecules;
import org.unite4j.model.UniteModel;
import org.unite4j.train.ModelStore;
import org.unite4j.io.Json;
import picocli.CommandLine;

/** {@code --backend} on the model commands (train, predict, demo, selftest) reaches the model. */
class ModelCommandsBackendTest {
    record Run(int rc, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int rc = cl.execute(args);
            return new Run(rc, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void everyModelCommandHasTheBackendOption() {
        CommandLine cl = Main.commandLine();
        for (String c : List.of("train", "predict", "demo", "selftest"))
            assertNotNull(cl.getSubcommands().get(c).getCommandSpec().findOption("--backend"), c + " has --backend");
    }

    @Test
    void predictRunsTheModelOnTheChosenBackend(@TempDir Path dir) throws Exception {
        UniteModel model = new UniteModel(ModelStepFixture.config(DType.FLOAT64), ModelStepFixture.heads(), 11);
        for (var e : ModelStepFixture.initialWeights().entrySet()) model.setParameter(e.getKey(), e.getValue());
        ModelStore.save(model, dir.resolve("model"));
        Path xyz = dir.resolve("water.xyz");
        Files.writeString(xyz, """
                3
                water
                O   0.000000   0.000000   0.117790
                H   0.000000   0.755453  -0.471161
                H   0.000000  -0.755453  -0.471161
                """);
        MolecularGraph g = MolecularGraph.of(new XtbFeaturizer(XtbMethod.GFN1).featurize(TestMolecules.water()), model.config().tau());
        double expected = model.predict(List.of(g), 1).energy()[0];

        Run cpu = run("predict", "--model", dir.resolve("model").toString(), "--data", xyz.toString(), "--json", "--backend", "cpu");
        assertEquals(0, cpu.rc(), cpu.err());
        assertEquals(expected, energy(cpu.out()), 1e-9 * Math.abs(expected), cpu.out());

        Run auto = run("predict", "--model", dir.resolve("model").toString(), "--data", xyz.toString(), "--json");
        assertEquals(0, auto.rc(), auto.err());
        boolean gpu = CudaBackend.isAvailable();
        assertTrue(auto.err().startsWith("backend: " + (gpu ? "cuda" : "cpu") + " (auto: "), "the choice is printed on stderr: " + auto.err());
        // on CUDA the float64 model computes in float32
        assertEquals(expected, energy(auto.out()), (gpu ? 1e-4 : 1e-9) * Math.abs(expected), auto.out());

        Run cuda = run("predict", "--model", dir.resolve("model").toString(), "--data", xyz.toString(), "--json", "--backend", "cuda");
        if (gpu) {
            assertEquals(0, cuda.rc(), cuda.err());
            assertEquals(expected, energy(cuda.out()), 1e-4 * Math.abs(expected), cuda.out());
        } else {
            assertEquals(2, cuda.rc());
            assertTrue(cuda.err().contains("--backend cuda: CUDA is not usable here"), cuda.err());
            assertEquals("", cuda.out());
        }
    }

    @SuppressWarnings("unchecked")
    private static double energy(String json) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json.strip());
        List<Object> mols = (List<Object>) root.get("molecules");
        return ((Number) ((Map<String, Object>) mols.get(0)).get("energy")).doubleValue();
    }
}
