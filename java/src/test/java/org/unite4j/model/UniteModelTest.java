package org.unite4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.autograd.F;
import org.unite4j.autograd.GradCheck;
import org.unite4j.autograd.Tensor;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;

/** Model-level checks on in-memory features (float64). */
class UniteModelTest {
    static List<MolecularGraph> graphs = new ArrayList<>();

    static UniteConfig small() {
        return UniteConfig.fromJson(Map.of("hidden", "8x0e+4x1o+4x2e", "tp_channels", 4, "blocks", 2, "edge_hidden", 8,
                "mlp_hidden", 8, "dtype", "float64"));
    }

    static Heads heads() {
        return new Heads("e", "kcal/mol", "mu", "D", false, new int[]{1, 6, 7, 8}, new double[]{-1, -2, -3, -4}, 0.5, 2.0, 1.0);
    }

    @BeforeAll
    static void featurize() {
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1);
        for (var m : List.of(TestMolecules.water(), TestMolecules.methanol(), TestMolecules.ammonia()))
            graphs.add(MolecularGraph.of(x.featurize(m), 12.0));
    }

    /** Adds N(0, 0.3^2) noise to every parameter (a trained-looking model: no zero readouts). */
    static void perturb(UniteModel model) {
        for (var e : model.parameters().entrySet()) {
            double[] v = e.getValue().toDoubles();
            Random r = new Random(e.getKey().hashCode());
            for (int i = 0; i < v.length; i++) v[i] += 0.3 * r.nextGaussian();
            model.setParameter(e.getKey(), v);
        }
    }

    @Test
    void outputsAreTheSameBitsOnOneOrSeveralThreads() {
        // the host-side preprocessing of a batch (norms, radial basis) and the kernels split rows
        // over the CPU threads; every row is computed alone, so the thread count must not matter
        UniteModel model = new UniteModel(small(), heads(), 7);
        perturb(model);
        model.setTraining(false);
        GraphBatch b = GraphBatch.of(graphs, XtbMethod.GFN1);
        int before = org.unite4j.backend.cpu.Parallel.threads();
        double[][] runs = new double[2][];
        try {
            for (int t = 0; t < 2; t++) {
                org.unite4j.backend.cpu.Parallel.setThreads(t == 0 ? 1 : 3);
                org.unite4j.backend.cpu.Parallel.setIgnoreGrain(t == 1);
                UniteModel.Output o = model.forward(b);
                double[] e = o.energy().toDoubles(), d = o.dipole().toDoubles();
                runs[t] = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(e), java.util.Arrays.stream(d)).toArray();
            }
        } finally {
            org.unite4j.backend.cpu.Parallel.setIgnoreGrain(false);
            org.unite4j.backend.cpu.Parallel.setThreads(before);
        }
        for (double v : runs[0]) assertTrue(Double.isFinite(v), "output " + v);
        for (int i = 0; i < graphs.size(); i++) assertTrue(runs[0][i] != 0, "energy " + i); // (planar molecules have a zero dipole component)
        assertArrayEquals(runs[0], runs[1], 0.0, "energies and dipoles on 1 and 3 threads");
    }

    @Test
    void gradientCheckOfSomeParameters() {
        UniteModel model = new UniteModel(small(), heads(), 3);
        perturb(model); // the readouts start at zero, which would make their inputs' gradients vacuous
        GraphBatch b = GraphBatch.of(graphs, XtbMethod.GFN1);
        model.setTraining(true);
        List<String> names = List.of("embed.weight", "node_mlp.0.weight", "edge_mlp.0.weight", "block0.weights.weight",
                "block1.self_tp", "block0.norm.beta", "block1.gate.0.weight", "energy.1.weight", "charge.0.weight",
                "atomic_dipole.weight", "block0.message.weight", "block1.edge.weight");
        Tensor[] in = names.stream().map(n -> model.parameters().get(n)).toArray(Tensor[]::new);
        GradCheck.Result r = GradCheck.check(t -> {
            Map<String, Tensor> rep = new LinkedHashMap<>();
            for (int i = 0; i < t.length; i++) rep.put(names.get(i), t[i]);
            UniteModel.Output o = model.forward(b, rep);
            return F.concat(1, o.energy(), o.dipole());
        }, in, 11, 1e-5, 6);
        System.out.println("grad check rel errors " + java.util.Arrays.toString(r.relErr()));
        for (double x : r.relErr()) assertTrue(x > 0 || x == 0, "NaN");
        assertTrue(r.maxRelErr() < 1e-5, "max relative gradient error " + r.maxRelErr());
    }

    @Test
    void predictionsDoNotDependOnTheBatch() {
        UniteModel model = new UniteModel(small(), heads(), 5);
        perturb(model);
        UniteModel.Prediction all = model.predict(graphs, 8);
        for (int i = 0; i < graphs.size(); i++) {
            UniteModel.Prediction one = model.predict(graphs.subList(i, i + 1), 8);
            assertEquals(all.energy()[i], one.energy()[0], 1e-10 * Math.abs(one.energy()[0]), "energy of molecule " + i);
            for (int k = 0; k < 3; k++) assertEquals(all.dipole()[i][k], one.dipole()[0][k], 1e-10, "dipole of molecule " + i);
        }
        System.out.println("energies " + java.util.Arrays.toString(all.energy()));
    }

    @Test
    void moleculesWithoutEdgesWork() {
        // a lone atom has no pairs besides its diagonal block; a batch of only such molecules has no edges at all
        MolecularGraph ne = MolecularGraph.of(new XtbFeaturizer(XtbMethod.GFN1).featurize(
                new org.unite4j.chem.Molecule(new int[]{8}, new double[]{0, 0, 0}, 0, 3, "O atom", null)), 12.0);
        assertEquals(0, ne.numEdges());
        UniteModel model = new UniteModel(small(), new Heads("e", "Eh", null, null, false, new int[]{1, 6, 7, 8},
                new double[]{-0.5, -37, -54, -75}, 0, 0.01, 1.0), 2);
        perturb(model);
        UniteModel.Prediction alone = model.predict(List.of(ne), 4);
        UniteModel.Prediction mixed = model.predict(List.of(graphs.get(0), ne), 4);
        assertTrue(Double.isFinite(alone.energy()[0]));
        assertEquals(alone.energy()[0], mixed.energy()[1], 1e-12);
        org.junit.jupiter.api.Assertions.assertNull(alone.dipole(), "a model without a dipole head predicts no dipole");
    }
}
