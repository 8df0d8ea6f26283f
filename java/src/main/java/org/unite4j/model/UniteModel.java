package org.unite4j.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.unite4j.autograd.F;
import org.unite4j.autograd.GradMode;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.backend.cpu.Parallel;
import org.unite4j.backend.Backends;
import org.unite4j.backend.BlockLayout;
import org.unite4j.backend.CsrGraph;
import org.unite4j.backend.DType;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.MolecularGraph;
import org.unite4j.irreps.Irreps;
import org.unite4j.irreps.TensorProductDescriptor;
import org.unite4j.nn.Dense;
import org.unite4j.nn.EvNorm;
import org.unite4j.nn.IrrepLinear;
import org.unite4j.nn.IrrepOps;
import org.unite4j.nn.Mlp;
import org.unite4j.nn.Module;
import org.unite4j.nn.SelfTensorProduct;
import org.unite4j.nn.TensorProduct;

/**
 * The UNiTE network (DESIGN.md section 4) on batches of featurized molecules ({@link GraphBatch}).
 *
 * <pre>
 * embedding:    h_A = Linear(t_AA) + E[Z_A] + MLP(z-scored ||t_AA|| per channel, per element)   (last two into 0e)
 * edges:        e_AB = Linear_t(t_AB) (C x edge_irreps),  x_AB = MLP(z-scored ||t_AB|| per channel, RBF(|r_AB|))
 *               w_AB = Dense_t(x_AB)  (one weight per edge, TP path and channel)
 * block t:      u_A = h_A + Linear(sum_B TP_{w_AB}(e_AB, Linear(h_B)))        (fused CSR convolution)
 *               u_A = u_A + Linear(SelfTP(Linear(u_A)))                      (point-wise interaction)
 *               (xbar, hhat) = EvNorm(u_A);  h_A = h_A + Gate(hhat, MLP(xbar))
 * energy:       E_net = sum_A MLP(h_A^0e)
 * dipole:       mu = sum_A q_A (r_A - r_c) + sum_A Linear(h_A)^{1o},
 *               q_A = q~_A - (sum_{B in mol} q~_B - Q) / n_mol,  q~_A = 0.1 MLP(h_A^0e)   (e, bohr)
 * </pre>
 * Physical energies are {@link Heads#fixedEnergy} + energyScale * E_net; with delta learning the
 * xTB dipole is added to mu as well. Every op is linear in the
 * atoms plus the kept edges. Parameters are named leaves ({@link #parameters()}); the forward pass
 * can take replacements for any of them ({@link #forward(GraphBatch, Map)}), which is how gradient
 * checks run. EvNorm running statistics are buffers ({@link #buffers()}).
 */
public final class UniteModel {
    /** Raw network outputs of a batch: E_net [molecules, 1] and the dipole [molecules, 3] in e*bohr. */
    public record Output(Tensor energy, Tensor dipole) {
    }

    /** Physical predictions: energies in the heads' energy unit, dipoles [molecule][xyz] in its dipole unit (null without a dipole head). */
    public record Prediction(double[] energy, double[][] dipole) {
    }

    private static final int NUM_ELEMENTS = XtbBasisSet.MAX_Z + 1;

    private final UniteConfig config;
    private final Heads heads;
    private final Backend backend;
    private final DType dtype;
    private final Irreps hidden, tpNode, tpEdge, feature;
    private final int scalars, channels;
    private final LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
    /** The layers by name; their parameters are "NAME.LOCAL" in {@link #params}. */
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final List<TensorProductDescriptor> tpDescriptors = new ArrayList<>();
    private final List<TensorProductDescriptor> selfDescriptors = new ArrayList<>();
    private final double[] rbfCenters;
    private final int invChannels;
    private final InputStatistics input;
    /** Rows per task of the host-side preprocessing of a batch (norms, radial basis). */
    private static final int HOST_GRAIN = 2048;
    private final double rbfWidth;
    private boolean training = true;
    private Map<String, Tensor> overrides = Map.of();
    /** Set by {@link #forwardWithForces}: EvNorm's batch statistics as constants (no cross-molecule forces). */
    private boolean constantNormStatistics;

    /** A model on the CPU backend (the config's dtype). */
    public UniteModel(UniteConfig config, Heads heads, long seed) {
        this(config, heads, seed, Backends.cpu());
    }

    /**
     * A model whose parameters, inputs and activations live on {@code backend}, in the config's dtype
     * (which the backend must support: the CUDA backend is float32 only). The initial weights depend
     * only on the config and the seed, not on the backend, so a CPU and a CUDA model of the same seed
     * start identical (up to the dtype's rounding).
     */
    public UniteModel(UniteConfig config, Heads heads, long seed, Backend backend) {
        if (backend == null) throw new IllegalArgumentException("backend must not be null");
        this.config = config;
        this.heads = heads;
        this.dtype = config.dataType();
        if (!backend.supports(dtype))
            throw new IllegalArgumentException("the " + backend.name() + " backend does not support dtype " + dtype
                    + " (set \"dtype\": \"float32\" in the model config)");
        this.backend = backend;
        hidden = Irreps.parse(config.hidden());
        tpNode = uniform(config.tpChannels(), config.tpIrreps());
        tpEdge = uniform(config.tpChannels(), config.edgeIrreps());
        feature = GraphBatch.featureIrreps(config.xtbMethod());
        scalars = hidden.get(0).mul();
        channels = BlockLayout.of(hidden).channels();
        Random rng = new Random(seed);
        linear("embed", feature, hidden, true, rng);
        params.put("embed.element", Tensor.randn(rng, 1.0, backend, dtype, NUM_ELEMENTS, scalars).requiresGrad(true));
        invChannels = BlockLayout.of(feature).channels();
        input = new InputStatistics(feature, NUM_ELEMENTS);
        mlp("node_mlp", new int[]{invChannels, config.mlpHidden(), scalars}, rng);
        int inv = invChannels + config.radialBasis();
        mlp("edge_mlp", new int[]{inv, config.edgeHidden(), config.edgeHidden()}, rng);
        for (int t = 0; t < config.blocks(); t++) {
            String p = "block" + t + ".";
            TensorProductDescriptor d = TensorProductDescriptor.allPaths(tpEdge, tpNode, tpNode);
            TensorProduct tp = new TensorProduct(d);
            tpDescriptors.add(d);
            linear(p + "edge", feature, tpEdge, false, rng);
            add(p + "weights", new Dense(config.edgeHidden(), tp.weightWidth(), true, rng, backend, dtype));
            linear(p + "node", hidden, tpNode, false, rng);
            linear(p + "message", tpNode, hidden, false, rng);
            linear(p + "self_in", hidden, tpNode, false, rng);
            SelfTensorProduct st = new SelfTensorProduct(tpNode, tpNode, rng, backend, dtype);
            selfDescriptors.add(st.descriptor());
            params.put(p + "self_tp", st.weight());
            linear(p + "self_out", tpNode, hidden, false, rng);
            add(p + "norm", new EvNorm(hidden, config.parameterFreeNorm(), backend, dtype));
            mlp(p + "gate", new int[]{channels, config.mlpHidden(), channels}, rng);
        }
        mlp("energy", new int[]{scalars, config.mlpHidden(), 1}, rng);
        mlp("charge", new int[]{scalars, config.mlpHidden(), 1}, rng);
        linear("atomic_dipole", hidden, Irreps.parse("1x1o"), false, rng);
        // The readouts start at zero (E_net = 0 and mu = 0: the fixed baseline, or the xTB values with
        // delta learning), the usual choice that avoids a first phase spent shrinking random outputs.
        for (String w : List.of("energy." + (module("energy", Mlp.class).depth() - 1) + ".weight",
                "charge." + (module("charge", Mlp.class).depth() - 1) + ".weight", "atomic_dipole.weight"))
            setParameter(w, new double[params.get(w).size()]);
        rbfCenters = new double[config.radialBasis()];
        for (int k = 0; k < rbfCenters.length; k++)
            rbfCenters[k] = config.radialCutoff() * k / Math.max(1, rbfCenters.length - 1);
        rbfWidth = config.radialCutoff() / Math.max(1, rbfCenters.length - 1);
    }

    private static Irreps uniform(int c, String irreps) {
        StringBuilder sb = new StringBuilder();
        for (Irreps.MulIrrep b : Irreps.parse(irreps)) {
            if (!sb.isEmpty()) sb.append('+');
            sb.append(c).append('x').append(b.ir());
        }
        return Irreps.parse(sb.toString());
    }

    private void linear(String name, Irreps in, Irreps out, boolean bias, Random rng) {
        add(name, new IrrepLinear(in, out, bias, rng, backend, dtype));
    }

    private void mlp(String name, int[] sizes, Random rng) {
        add(name, new Mlp(sizes, rng, backend, dtype));
    }

    /** Registers a layer under name; its parameters become "name.LOCAL", in the module's order. */
    private void add(String name, Module m) {
        modules.put(name, m);
        for (Map.Entry<String, Tensor> e : m.namedParameters().entrySet()) params.put(name + "." + e.getKey(), e.getValue());
    }

    private <T extends Module> T module(String name, Class<T> type) {
        return type.cast(modules.get(name));
    }

    private Tensor p(String name) {
        Tensor t = overrides.get(name);
        return t != null ? t : params.get(name);
    }

    /** The parameters of layer {@code name} as the forward sees them (replacements first). */
    private Module.Params paramsOf(String name) {
        String pre = name + ".";
        return local -> p(pre + local);
    }

    private Tensor applyLinear(String name, Tensor x) {
        return module(name, IrrepLinear.class).forward(x, paramsOf(name));
    }

    private Tensor applyMlp(String name, Tensor x) {
        return module(name, Mlp.class).forward(x, paramsOf(name));
    }

    private Tensor applyDense(String name, Tensor x) {
        return module(name, Dense.class).forward(x, paramsOf(name));
    }

    public Output forward(GraphBatch b) {
        return forward(b, Map.of());
    }

    /** The forward pass with some parameters replaced by the given tensors (same names and shapes). */
    public Output forward(GraphBatch b, Map<String, Tensor> replacements) {
        for (String k : replacements.keySet())
            if (!params.containsKey(k)) throw new IllegalArgumentException("unknown parameter " + k);
        overrides = replacements;
        try {
            return run(b);
        } finally {
            overrides = Map.of();
        }
    }

    /**
     * The network's inputs of a batch, each a leaf: the decomposed diagonal and pair blocks, the
     * standardized invariants of both (per-channel norms) and the radial basis of the edge lengths.
     */
    private record Inputs(Tensor node, Tensor edge, Tensor nodeInv, Tensor edgeInv, Tensor rbf) {
        Tensor[] all() {
            return new Tensor[]{node, edge, nodeInv, edgeInv, rbf};
        }
    }

    private Inputs inputs(GraphBatch b, boolean requireGrad) {
        int n = b.numAtoms, e = b.numEdges;
        if (b.featureDim != feature.dim())
            throw new IllegalArgumentException("batch features have " + b.featureDim + " components, the model expects " + feature.dim());
        // standardized invariants of the diagonal blocks (per element) feed the scalars too
        double[] nn = input.nodeInvariants(b);
        // edge invariants: per-channel norms of t_AB and a Gaussian radial basis of |r_AB|
        double[] rbf = new double[e * rbfCenters.length];
        double[] en = input.norms(b.edgeFeatures, e);
        Parallel.forRange(e, HOST_GRAIN, (lo, hi) -> {
            for (int k = lo; k < hi; k++) {
                for (int j = 0; j < rbfCenters.length; j++) {
                    double x = (b.edgeLength[k] - rbfCenters[j]) / rbfWidth;
                    rbf[k * rbfCenters.length + j] = Math.exp(-x * x);
                }
                input.standardizeEdge(en, k);
            }
        });
        return new Inputs(leaf(b.nodeFeatures, requireGrad, n, feature.dim()), leaf(b.edgeFeatures, requireGrad, e, feature.dim()),
                leaf(nn, requireGrad, n, invChannels), leaf(en, requireGrad, e, invChannels),
                leaf(rbf, requireGrad, e, rbfCenters.length));
    }

    private Tensor leaf(double[] v, boolean requireGrad, int... shape) {
        return Tensor.of(backend, dtype, v, shape).requiresGrad(requireGrad);
    }

    private Output run(GraphBatch b) {
        return run(b, inputs(b, false));
    }

    private Output run(GraphBatch b, Inputs in) {
        int n = b.numAtoms, dim = hidden.dim();
        CsrGraph graph = new CsrGraph(n, b.rowPtr, b.sender);
        Tensor node = in.node(), edge = in.edge();
        // embedding
        Tensor emb = F.indexSelect(p("embed.element"), b.atomicNumbers);
        Tensor nodeInv = applyMlp("node_mlp", in.nodeInv());
        Tensor h = F.add(applyLinear("embed", node), F.concat(1, F.add(emb, nodeInv), Tensor.zeros(backend, dtype, n, dim - scalars)));
        Tensor inv = F.concat(1, in.edgeInv(), in.rbf());
        Tensor x = F.silu(applyMlp("edge_mlp", inv));
        for (int t = 0; t < config.blocks(); t++) {
            String pre = "block" + t + ".";
            Tensor ee = applyLinear(pre + "edge", edge);
            Tensor w = applyDense(pre + "weights", x);
            Tensor m = F.tensorProduct(tpDescriptors.get(t), graph, ee, applyLinear(pre + "node", h), w);
            Tensor u = F.add(h, applyLinear(pre + "message", m));
            Tensor s = SelfTensorProduct.apply(selfDescriptors.get(t), SelfTensorProduct.identityGraph(n), applyLinear(pre + "self_in", u),
                    p(pre + "self_tp"));
            u = F.add(u, applyLinear(pre + "self_out", s));
            EvNorm.Output no = evNorm(t, u);
            h = F.add(h, IrrepOps.gate(hidden, no.hhat(), applyMlp(pre + "gate", no.xbar())));
        }
        Tensor sc = F.slice(h, 1, 0, scalars);
        Tensor energy = F.segmentSum(applyMlp("energy", sc), b.molPtr);
        // dipole: corrected charges times centered positions, plus atomic dipoles
        Tensor q = F.scale(applyMlp("charge", sc), 0.1);
        Tensor qsum = F.segmentSum(q, b.molPtr);
        double[] inv1 = new double[b.numMolecules];
        for (int mol = 0; mol < b.numMolecules; mol++) inv1[mol] = 1.0 / (b.molPtr[mol + 1] - b.molPtr[mol]);
        Tensor corr = F.mul(F.sub(qsum, Tensor.of(backend, dtype, b.charges, b.numMolecules, 1)),
                Tensor.of(backend, dtype, inv1, b.numMolecules, 1));
        Tensor qc = F.sub(q, F.indexSelect(corr, b.atomMolecule));
        Tensor r = Tensor.of(backend, dtype, b.centeredBohr, n, 3);
        Tensor v = applyLinear("atomic_dipole", h); // (y, z, x)
        Tensor perm = Tensor.of(backend, dtype, new double[]{0, 1, 0, 0, 0, 1, 1, 0, 0}, 3, 3);
        Tensor dip = F.segmentSum(F.add(F.mul(qc, r), F.matmul(v, perm)), b.molPtr);
        return new Output(energy, dip);
    }


    /**
     * Sets the input standardization from training molecules (see {@link InputStatistics#fit}).
     */
    public void fitInputStatistics(List<MolecularGraph> mols) {
        input.fit(mols, config.xtbMethod());
    }

    private EvNorm.Output evNorm(int t, Tensor u) {
        String name = "block" + t + ".norm";
        EvNorm ev = module(name, EvNorm.class);
        // a batch of one atom has no batch statistics: it trains with the running ones
        return ev.isTraining() && u.dim(0) < 2 ? ev.withRunningStats(u, paramsOf(name)) : ev.forward(u, paramsOf(name), constantNormStatistics);
    }

    /**
     * Physical predictions (inference mode, no gradients), in batches of {@code batchSize}
     * molecules; {@link Prediction#dipole()} is null for a model without a dipole head (its
     * untrained readout would be meaningless).
     */
    public Prediction predict(List<MolecularGraph> mols, int batchSize) {
        boolean was = training;
        setTraining(false);
        double[] en = new double[mols.size()];
        double[][] dp = new double[mols.size()][];
        try (var ignored = GradMode.noGrad()) {
            for (int s = 0; s < mols.size(); s += batchSize) {
                List<MolecularGraph> sub = mols.subList(s, Math.min(mols.size(), s + batchSize));
                GraphBatch b = GraphBatch.of(sub, config.xtbMethod());
                Output o = forward(b);
                double[] e = o.energy().toDoubles(), d = o.dipole().toDoubles();
                for (int i = 0; i < sub.size(); i++) {
                    MolecularGraph g = sub.get(i);
                    en[s + i] = heads.energy(g.atomicNumbers(), g.referenceEnergy(), e[i]);
                    dp[s + i] = heads.dipole(g.referenceDipole(), d[3 * i], d[3 * i + 1], d[3 * i + 2]);
                }
            }
        } finally {
            setTraining(was);
        }
        return new Prediction(en, heads.hasDipole() ? dp : null);
    }

    /**
     * A molecule's energy (the heads' unit) and its gradients: with respect to its block values
     * ({@link MolecularGraph#blockValues()}, per unit of the features) and with respect to the
     * positions where they enter explicitly (the edge lengths), per Angstrom. The xTB reference
     * energy's own gradient (delta learning) is not included: see {@link Calculator}.
     */
    public record EnergyGradient(double energy, double[] blocks, double[] positions) {
    }

    /**
     * Energies and their input gradients ({@link EnergyGradient}) of molecules, in inference mode,
     * in batches of {@code batchSize}: one forward and one backward sweep per batch. The chain
     * through the host-side preprocessing is written with differentiable ops (the smooth norms:
     * d n / dx = x / sqrt(||x||^2 + eps^2); standardization; d RBF / d|r|).
     */
    public List<EnergyGradient> energyGradients(List<MolecularGraph> mols, int batchSize) {
        boolean was = training;
        setTraining(false);
        List<EnergyGradient> out = new ArrayList<>(mols.size());
        try (var ignored = GradMode.enableGrad()) {
            for (int s = 0; s < mols.size(); s += batchSize) {
                List<MolecularGraph> sub = mols.subList(s, Math.min(mols.size(), s + batchSize));
                GraphBatch b = GraphBatch.of(sub, config.xtbMethod());
                Inputs in = inputs(b, true);
                Tensor energy = run(b, in).energy();
                Tensor[] g = Tensor.grad(energy, in.all(), Tensor.full(backend, dtype, heads.energyScale(), energy.shape()),
                        false, false);
                Tensor[] chained = chainInputs(b, g);
                double[][] blocks = b.blockGradients(chained[0].toDoubles(), chained[1].toDoubles());
                double[][] pos = b.positionGradients(chained[2].toDoubles());
                double[] e = energy.toDoubles();
                for (int i = 0; i < sub.size(); i++) {
                    MolecularGraph m = sub.get(i);
                    out.add(new EnergyGradient(heads.energy(m.atomicNumbers(), m.referenceEnergy(), e[i]), blocks[i], pos[i]));
                }
            }
        } finally {
            setTraining(was);
        }
        return out;
    }

    /**
     * Network outputs and the network's forces f = -dE_net/dR [atoms, 3] (per Angstrom, in units
     * of E_net: physical forces are energyScale f, minus the xTB gradient with delta learning);
     * in training mode EvNorm normalizes with the batch statistics taken as constants, so each
     * molecule's forces depend on it alone, as at inference,
     * recorded so that a loss on f differentiates to the parameters (second derivatives: the
     * gradient sweep is itself recorded, then contracted with the Jacobians by {@link ForceOperator}).
     */
    public record ForceOutput(Output output, Tensor forces) {
    }

    /**
     * {@link ForceOutput} of a batch; {@code jacobians} are the molecules' dT/dR in batch order.
     * Records the graph even inside {@code GradMode.noGrad()} (the forces need the gradient sweep).
     */
    public ForceOutput forwardWithForces(GraphBatch b, List<org.unite4j.data.FeatureJacobian.Jacobian> jacobians) {
        return forwardWithForces(b, jacobians, Map.of());
    }

    /** As {@link #forwardWithForces(GraphBatch, List)} with some parameters replaced (see {@link #forward(GraphBatch, Map)}). */
    public ForceOutput forwardWithForces(GraphBatch b, List<org.unite4j.data.FeatureJacobian.Jacobian> jacobians,
                                         Map<String, Tensor> replacements) {
        for (String k : replacements.keySet())
            if (!params.containsKey(k)) throw new IllegalArgumentException("unknown parameter " + k);
        ForceOperator op = new ForceOperator(b, jacobians);
        overrides = replacements;
        constantNormStatistics = true;
        try (var ignored = GradMode.enableGrad()) {
            Inputs in = inputs(b, true);
            Output o = run(b, in);
            Tensor[] g = Tensor.grad(o.energy(), in.all(), Tensor.full(backend, dtype, 1.0, o.energy().shape()), true, true);
            Tensor[] c = chainInputs(b, g);
            Tensor x = F.concat(0, F.reshape(c[0], c[0].size()), F.reshape(c[1], c[1].size()), F.reshape(c[2], c[2].size()));
            return new ForceOutput(o, F.reshape(F.neg(F.linearMap(op, x)), b.numAtoms, 3));
        } finally {
            overrides = Map.of();
            constantNormStatistics = false;
        }
    }

    /**
     * dL/d(node features), dL/d(edge features), dL/d(edge lengths) from the gradients of the five
     * {@link Inputs}: the invariants' parts go back through the standardization and the norms, the
     * radial basis's through d exp(-x^2) / d|r| = -2 x / width exp(-x^2), x = (|r| - c) / width.
     */
    private Tensor[] chainInputs(GraphBatch b, Tensor[] g) {
        BlockLayout layout = BlockLayout.of(feature);
        int n = b.numAtoms, e = b.numEdges, nr = rbfCenters.length;
        Tensor node = F.add(g[0], F.irrepScale(layout, leaf(input.directions(b.nodeFeatures, n), false, n, feature.dim()),
                F.mul(g[2], leaf(input.nodeInverseStd(b), false, n, invChannels))));
        Tensor edge = F.add(g[1], F.irrepScale(layout, leaf(input.directions(b.edgeFeatures, e), false, e, feature.dim()),
                F.mul(g[3], leaf(input.edgeInverseStd(), false, 1, invChannels))));
        double[] d = new double[e * nr];
        for (int k = 0; k < e; k++)
            for (int j = 0; j < nr; j++) {
                double x = (b.edgeLength[k] - rbfCenters[j]) / rbfWidth;
                d[k * nr + j] = -2 * x / rbfWidth * Math.exp(-x * x);
            }
        Tensor len = F.sum(F.mul(g[4], leaf(d, false, e, nr)), false, 1);
        return new Tensor[]{node, edge, len};
    }

    /** Training mode uses batch statistics in EvNorm (and updates the running ones); inference uses the running ones. */
    public void setTraining(boolean training) {
        this.training = training;
        for (Module m : modules.values())
            if (m instanceof EvNorm ev) ev.setTraining(training);
    }

    public boolean isTraining() { return training; }

    /** Named trainable parameters, in a fixed order. */
    public Map<String, Tensor> parameters() { return Collections.unmodifiableMap(params); }

    /** The EvNorm running statistics: "blockT.norm.running_mean" / "...running_var" -> live arrays. */
    public Map<String, double[]> buffers() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> b : input.buffers().entrySet()) m.put("input." + b.getKey(), b.getValue());
        for (Map.Entry<String, Module> e : modules.entrySet())
            if (e.getValue() instanceof EvNorm ev)
                for (Map.Entry<String, double[]> b : ev.buffers().entrySet()) m.put(e.getKey() + "." + b.getKey(), b.getValue());
        return m;
    }

    /** Overwrites a parameter's values (checked shape), e.g. when loading. */
    public void setParameter(String name, double[] values) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalArgumentException("model has no parameter " + name);
        if (values.length != t.size())
            throw new IllegalArgumentException("parameter " + name + ": " + values.length + " values, expected " + t.size());
        backend.copyBlocks(backend.fromDoubles(values, dtype), 0, 0, t.storage(), 0, 0, 1, values.length);
    }

    public int numParameters() {
        int n = 0;
        for (Tensor t : params.values()) n += t.size();
        return n;
    }

    public UniteConfig config() { return config; }

    public Heads heads() { return heads; }

    public DType dtype() { return dtype; }

    /**
     * {@code config} in a dtype {@code backend} supports: unchanged when it does, else in float32
     * (the CUDA backend computes in float32 only).
     */
    public static UniteConfig configFor(UniteConfig config, Backend backend) {
        if (backend.supports(config.dataType())) return config;
        if (!backend.supports(DType.FLOAT32))
            throw new IllegalArgumentException("the " + backend.name() + " backend supports neither " + config.dataType() + " nor float32");
        return config.withDtype(DType.FLOAT32);
    }

    /** The backend holding the parameters and running the forward and backward passes. */
    public Backend backend() { return backend; }
}
