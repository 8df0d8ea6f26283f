package org.unite4j.train;

import org.unite4j.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.unite4j.autograd.F;
import org.unite4j.autograd.Tensor;
import org.unite4j.backend.Backend;
import org.unite4j.chem.Units;
import org.unite4j.data.GraphBatch;
import org.unite4j.data.FeatureJacobian;
import org.unite4j.data.MolecularGraph;
import org.unite4j.model.Calculator;
import org.unite4j.model.Heads;
import org.unite4j.model.UniteModel;
import org.unite4j.nn.Adam;
import org.unite4j.util.AtomicFiles;
import org.unite4j.io.Json;
import org.unite4j.util.Progress;

/**
 * Trains a {@link UniteModel}: AdamW, linear warm-up + cosine learning rate per optimizer step,
 * global gradient-norm clipping, early stopping on the validation energy MAE, a checkpoint folder
 * written atomically after every epoch, and an exact resume.
 *
 * <p>Loss of a batch: mean_m ((E_net,m - (y_m - E_fixed,m) / s_E)^2)
 * + w_mu mean_{m,k} ((mu_m,k - (y_mu,m,k - mu_xTB,m,k)) / s_mu)^2, with s_E, s_mu the heads' scales
 * (mu_xTB only with delta learning).
 *
 * <p>Reproducibility: parameters start from the model's seed; the batch order of epoch t is a
 * Fisher-Yates shuffle with {@code SplittableRandom(seed, t)}; every kernel is deterministic. The
 * checkpoint ({@code OUT/checkpoint}) holds the weights, EvNorm statistics, Adam moments and step,
 * early-stopping state and history, so a resumed run ends with bitwise the same weights as an
 * uninterrupted one. The best model (lowest validation MAE) is kept in {@code OUT/model}.
 */
public final class Trainer {
    /**
     * Options. {@code stopAfterEpoch} > 0 ends this run after that many epochs in total, as if it
     * had been killed then (for resume tests); 0 runs to the end.
     */
    public record Options(int epochs, int batchSize, double lr, double lrMinFactor, double warmupFraction, double weightDecay,
                          double clipNorm, int patience, long seed, double dipoleWeight, int stopAfterEpoch, double forceWeight) {
        public Options {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clip norm must be > 0");
            if (!(forceWeight >= 0)) throw new IllegalArgumentException("force weight must be >= 0, got " + forceWeight);
        }

        /** Options without a force weight (energy and dipole training; force weight {@value #DEFAULT_FORCE_WEIGHT}). */
        public Options(int epochs, int batchSize, double lr, double lrMinFactor, double warmupFraction, double weightDecay,
                       double clipNorm, int patience, long seed, double dipoleWeight, int stopAfterEpoch) {
            this(epochs, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, stopAfterEpoch,
                    DEFAULT_FORCE_WEIGHT);
        }

        /** Weight of the force term of the loss (per component, in units of the energy scale per Angstrom). */
        public static final double DEFAULT_FORCE_WEIGHT = 10.0;

        public Options withForceWeight(double w) { return new Options(epochs, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, stopAfterEpoch, w); }

        public static Options defaults() {
            return new Options(100, 16, 2e-3, 0.02, 0.05, 1e-5, 10.0, 30, 0, 1.0, 0);
        }

        public Options withEpochs(int e) { return new Options(e, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, stopAfterEpoch, forceWeight); }

        public Options withBatchSize(int b) { return new Options(epochs, b, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, stopAfterEpoch, forceWeight); }

        public Options withLr(double l) { return new Options(epochs, batchSize, l, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, stopAfterEpoch, forceWeight); }

        public Options withSeed(long s) { return new Options(epochs, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, s, dipoleWeight, stopAfterEpoch, forceWeight); }

        public Options withPatience(int p) { return new Options(epochs, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, p, seed, dipoleWeight, stopAfterEpoch, forceWeight); }

        public Options withStopAfterEpoch(int s) { return new Options(epochs, batchSize, lr, lrMinFactor, warmupFraction, weightDecay, clipNorm, patience, seed, dipoleWeight, s, forceWeight); }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", epochs);
            m.put("batch_size", batchSize);
            m.put("lr", lr);
            m.put("lr_min_factor", lrMinFactor);
            m.put("warmup_fraction", warmupFraction);
            m.put("weight_decay", weightDecay);
            m.put("clip_norm", clipNorm);
            m.put("patience", patience);
            m.put("seed", seed);
            m.put("dipole_weight", dipoleWeight);
            m.put("force_weight", forceWeight);
            return m;
        }
    }

    /**
     * Molecules with labels: energies in the heads' energy unit, dipoles [molecule][xyz] in the
     * heads' dipole unit (null without dipole labels), forces [molecule][atom*3] in the energy unit
     * per Angstrom with the molecules' featurizer Jacobians (both null without force labels).
     */
    public record LabeledSet(List<MolecularGraph> graphs, double[] energy, double[][] dipole, double[][] forces,
                             List<FeatureJacobian.Jacobian> jacobians) {
        public LabeledSet {
            if (graphs.size() != energy.length || (dipole != null && dipole.length != energy.length))
                throw new IllegalArgumentException("labeled set: one label per molecule needed");
            if ((forces == null) != (jacobians == null))
                throw new IllegalArgumentException("labeled set: forces need the molecules' Jacobians");
            if (forces != null) {
                if (forces.length != energy.length || jacobians.size() != energy.length)
                    throw new IllegalArgumentException("labeled set: one force array and one Jacobian per molecule needed");
                for (int i = 0; i < forces.length; i++)
                    if (forces[i].length != 3 * graphs.get(i).numAtoms())
                        throw new IllegalArgumentException("labeled set: molecule " + i + " has " + graphs.get(i).numAtoms() + " atoms but "
                                + forces[i].length + " force components");
            }
        }

        /** Energies (and dipoles), no forces. */
        public LabeledSet(List<MolecularGraph> graphs, double[] energy, double[][] dipole) {
            this(graphs, energy, dipole, null, null);
        }

        public boolean hasForces() { return forces != null; }

        public int size() { return graphs.size(); }

        public LabeledSet subset(int[] idx) {
            List<MolecularGraph> g = new ArrayList<>();
            double[] e = new double[idx.length];
            double[][] d = dipole == null ? null : new double[idx.length][];
            double[][] f = forces == null ? null : new double[idx.length][];
            List<FeatureJacobian.Jacobian> j = forces == null ? null : new ArrayList<>();
            for (int i = 0; i < idx.length; i++) {
                g.add(graphs.get(idx[i]));
                e[i] = energy[idx[i]];
                if (d != null) d[i] = dipole[idx[i]];
                if (f != null) {
                    f[i] = forces[idx[i]];
                    j.add(jacobians.get(idx[i]));
                }
            }
            return new LabeledSet(g, e, d, f, j);
        }
    }

    /**
     * Per-epoch history and the outcome; {@code bestValidationMae} is the energy MAE of the best
     * epoch (chosen with forces by energy MAE + force weight x force MAE). The validation dipole
     * MAE is the mean over molecules of |mu_pred - mu_ref| (the norm of the error vector, as
     * {@link TrainingRun#DIPOLE_MAE_DEFINITION}); the force MAE is per component.
     */
    public record Result(List<Double> trainMae, List<Double> validationMae, List<Double> validationDipoleMae,
                         List<Double> validationForceMae, int bestEpoch, double bestValidationMae, int epochsRun, boolean finished) {
    }

    /**
     * Heads fitted on the training set: element-count baseline (on top of the xTB energy when
     * {@code delta}), s_E = std(y - E_fixed) / sqrt(mean atoms), s_mu = RMS of the dipole
     * components (e*bohr; with delta of the difference to the xTB dipole).
     */
    public static Heads fitHeads(LabeledSet train, String energyKey, Units.Unit energyUnit, String dipoleKey, Units.Unit dipoleUnit,
                                 boolean delta) {
        int n = train.size();
        int[][] z = new int[n][];
        double[] ref = new double[n];
        double toUnit = Units.HARTREE.factorTo(energyUnit);
        double atoms = 0;
        for (int i = 0; i < n; i++) {
            z[i] = train.graphs().get(i).atomicNumbers();
            ref[i] = train.graphs().get(i).referenceEnergy() * toUnit;
            atoms += z[i].length;
        }
        Baselines.ElementCountModel b = delta ? Baselines.fitReferencePlusCounts(z, ref, train.energy())
                : Baselines.fitElementCounts(z, train.energy());
        double[] r = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            r[i] = train.energy()[i] - b.predict(z[i], ref[i]);
            mean += r[i] / n;
        }
        double var = 0;
        for (double x : r) var += (x - mean) * (x - mean) / n;
        double se = Math.max(Math.sqrt(var) / Math.sqrt(atoms / n), 1e-6);
        double sd = 1;
        if (dipoleKey != null && train.dipole() != null) {
            double f = dipoleUnit.factorTo(Units.E_BOHR), s = 0;
            for (int i = 0; i < n; i++) {
                double[] rd = delta ? train.graphs().get(i).referenceDipole() : new double[3];
                for (int q = 0; q < 3; q++) {
                    double x = train.dipole()[i][q] * f - rd[q];
                    s += x * x;
                }
            }
            sd = Math.max(Math.sqrt(s / (3.0 * n)), 1e-3);
        }
        return new Heads(energyKey, energyUnit.symbol(), dipoleKey, dipoleKey == null ? null : dipoleUnit.symbol(), delta,
                b.elements(), b.coefficients(), b.intercept(), se, sd);
    }

    private final UniteModel model;
    private final Options opt;
    private final Path out;
    private final Progress.Mode progressMode;

    /** @param out output folder: checkpoint/ and model/ are written there */
    public Trainer(UniteModel model, Options options, Path out, Progress.Mode progressMode) {
        this.model = model;
        this.opt = options;
        this.out = out;
        this.progressMode = progressMode;
    }

    public Path checkpointDir() { return out.resolve("checkpoint"); }

    public Path modelDir() { return out.resolve("model"); }

    /** Trains (or, with {@code resume}, continues from OUT/checkpoint) and returns the history. */
    public Result fit(LabeledSet train, LabeledSet validation, boolean resume) throws IOException {
        if (train.size() == 0) throw new IllegalArgumentException("no training molecules");
        if (validation.size() == 0) throw new IllegalArgumentException("no validation molecules (early stopping needs some)");
        Heads heads = model.heads();
        boolean dip = heads.hasDipole() && train.dipole() != null;
        List<String> names = new ArrayList<>(model.parameters().keySet());
        List<Tensor> params = new ArrayList<>(model.parameters().values());
        Adam adam = Adam.adamW(params, opt.lr(), opt.weightDecay());
        int stepsPerEpoch = (train.size() + opt.batchSize() - 1) / opt.batchSize();
        long total = (long) stepsPerEpoch * opt.epochs();
        long warm = Math.min(total - 1, Math.round(opt.warmupFraction() * total));
        Schedules.Schedule sched = Schedules.warmupCosine(opt.lr(), opt.lr() * opt.lrMinFactor(), warm, total);
        EarlyStopping es = new EarlyStopping(opt.patience(), 0.0);
        List<Double> trainMae = new ArrayList<>(), valMae = new ArrayList<>(), valDip = new ArrayList<>(), valForce = new ArrayList<>();
        boolean frc = train.hasForces();
        if (frc && !validation.hasForces()) throw new IllegalArgumentException("force training needs validation molecules with forces");
        int start = 0;
        long step = 0;
        if (resume) {
            if (!AtomicFiles.recoverDirectory(checkpointDir()))
                throw new IllegalArgumentException("--resume: no checkpoint in " + checkpointDir());
            Map<String, Object> st = loadCheckpoint(names, params, adam);
            Object fp = st.get("fingerprint");
            if (fp != null && !fp.equals(fingerprint(train, validation)))
                throw new IllegalArgumentException("--resume: the training data, split or model config differ from those of the "
                        + "checkpoint in " + checkpointDir() + " (start a fresh run in another folder)");
            if (!opt.toJson().equals(normalize(Json.getObject(st, "options", "checkpoint state"))))
                throw new IllegalArgumentException("--resume: the training options differ from the checkpoint's " + st.get("options"));
            start = (int) Json.getLong(st, "epoch", "checkpoint state") + 1;
            step = Json.getLong(st, "step", "checkpoint state");
            es = EarlyStopping.fromState(Json.getObject(st, "early_stopping", "checkpoint state"));
            for (Object o : Json.getList(st, "train_mae", "checkpoint state")) trainMae.add(((Number) o).doubleValue());
            for (Object o : Json.getList(st, "validation_mae", "checkpoint state")) valMae.add(((Number) o).doubleValue());
            for (Object o : Json.getList(st, "validation_dipole_mae", "checkpoint state")) valDip.add(o == null ? Double.NaN : ((Number) o).doubleValue());
            if (st.containsKey("validation_force_mae"))
                for (Object o : Json.getList(st, "validation_force_mae", "checkpoint state")) valForce.add(o == null ? Double.NaN : ((Number) o).doubleValue());
            while (valForce.size() < valMae.size()) valForce.add(Double.NaN); // a checkpoint from before force training
        }
        Backend be = params.get(0).backend();
        double refF = heads.delta() ? Units.HARTREE.factorTo(heads.energyUnitValue()) : 0.0;
        double dipF = heads.dipoleUnitValue().factorTo(Units.E_BOHR);
        boolean finished = true;
        for (int epoch = start; epoch < opt.epochs(); epoch++) {
            if (es.shouldStop()) break;
            int[] order = shuffle(train.size(), new SplittableRandom(opt.seed() * 0x9E3779B97F4A7C15L + epoch));
            model.setTraining(true);
            double absSum = 0, lossSum = 0, forceAbs = 0;
            long forceCount = 0;
            try (Progress bar = new Progress("epoch " + (epoch + 1) + "/" + opt.epochs(), stepsPerEpoch, System.err, progressMode,
                    Progress.PLAIN_INTERVAL_MS, System::nanoTime)) {
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int from = s * opt.batchSize(), to = Math.min(train.size(), from + opt.batchSize());
                    List<MolecularGraph> mols = new ArrayList<>();
                    int nb = to - from;
                    double[] yn = new double[nb], fixed = new double[nb], yd = new double[3 * nb];
                    List<FeatureJacobian.Jacobian> jac = frc ? new ArrayList<>() : null;
                    List<Double> yf = frc ? new ArrayList<>() : null;
                    for (int i = 0; i < nb; i++) {
                        int k = order[from + i];
                        MolecularGraph g = train.graphs().get(k);
                        mols.add(g);
                        fixed[i] = heads.fixedEnergy(g.atomicNumbers(), g.referenceEnergy());
                        yn[i] = (train.energy()[k] - fixed[i]) / heads.energyScale();
                        if (dip) {
                            double[] ref = heads.delta() ? g.referenceDipole() : new double[3];
                            for (int q = 0; q < 3; q++) yd[3 * i + q] = (train.dipole()[k][q] * dipF - ref[q]) / heads.dipoleScale();
                        }
                        if (frc) {
                            // the network's share of the force: F = s f_net - dE_xTB/dR (delta learning)
                            FeatureJacobian.Jacobian j = train.jacobians().get(k);
                            double[] rg = j.referenceGradient();
                            jac.add(j);
                            for (int q = 0; q < rg.length; q++) yf.add((train.forces()[k][q] + refF * rg[q]) / heads.energyScale());
                        }
                    }
                    GraphBatch b = GraphBatch.of(mols, model.config().xtbMethod());
                    UniteModel.ForceOutput fo = frc ? model.forwardWithForces(b, jac) : null;
                    UniteModel.Output o = frc ? fo.output() : model.forward(b);
                    Tensor diffE = F.sub(o.energy(), Tensor.of(be, model.dtype(), yn, nb, 1));
                    Tensor loss = F.mean(F.square(diffE));
                    if (dip) {
                        Tensor dd = F.sub(F.scale(o.dipole(), 1.0 / heads.dipoleScale()), Tensor.of(be, model.dtype(), yd, nb, 3));
                        loss = F.add(loss, F.scale(F.mean(F.square(dd)), opt.dipoleWeight()));
                    }
                    Tensor diffF = null;
                    if (frc) {
                        double[] t = yf.stream().mapToDouble(Double::doubleValue).toArray();
                        diffF = F.sub(fo.forces(), Tensor.of(be, model.dtype(), t, t.length / 3, 3));
                        loss = F.add(loss, F.scale(F.mean(F.square(diffF)), opt.forceWeight()));
                    }
                    adam.zeroGrad();
                    loss.backward();
                    clip(params);
                    adam.setLearningRate(Math.max(sched.lr(step), 1e-12));
                    adam.step();
                    step++;
                    double l = loss.item();
                    if (!Double.isFinite(l))
                        throw new IllegalArgumentException("training diverged: loss " + l + " at epoch " + (epoch + 1) + ", step " + (s + 1)
                                + " (try a smaller --lr than " + opt.lr() + (frc ? " or --force-weight than " + opt.forceWeight() : "") + ")");
                    lossSum += l;
                    for (double x : diffE.toDoubles()) absSum += Math.abs(x) * heads.energyScale();
                    if (frc) {
                        for (double x : diffF.toDoubles()) forceAbs += Math.abs(x) * heads.energyScale();
                        forceCount += diffF.size();
                    }
                    bar.step();
                    bar.setSuffix(String.format(java.util.Locale.ROOT, "loss %.4g", lossSum / (s + 1)));
                }
                double tm = absSum / train.size();
                UniteModel.Prediction p = model.predict(validation.graphs(), Math.max(opt.batchSize(), 32));
                double vm = Metrics.mae(p.energy(), validation.energy());
                double vd = Double.NaN;
                if (dip && validation.dipole() != null) {
                    Metrics.Vector mv = new Metrics.Vector(3);
                    for (int i = 0; i < validation.size(); i++) mv.add(p.dipole()[i], validation.dipole()[i]);
                    vd = mv.mae(); // mean |mu_pred - mu_ref| per molecule, as the test-set dipole MAE
                }
                double vf = Double.NaN;
                if (frc) {
                    List<double[][]> pf = new Calculator(model, g -> { throw new IllegalStateException("no Jacobian"); }, 1)
                            .forces(validation.graphs(), validation.jacobians());
                    // per component, as force errors are reported (rMD17, NequIP, MACE)
                    Metrics.Scalar mf = new Metrics.Scalar();
                    for (int i = 0; i < validation.size(); i++)
                        for (int a = 0; a < pf.get(i).length; a++)
                            for (int q = 0; q < 3; q++) mf.add(pf.get(i)[a][q], validation.forces()[i][3 * a + q]);
                    vf = mf.mae();
                }
                trainMae.add(tm);
                valMae.add(vm);
                valDip.add(vd);
                valForce.add(vf);
                bar.setSuffix(String.format(java.util.Locale.ROOT, "loss %.4g  train MAE %.4g  val MAE %.4g %s%s%s", lossSum / stepsPerEpoch,
                        tm, vm, heads.energyUnit(), Double.isNaN(vd) ? "" : String.format(java.util.Locale.ROOT, "  val dipole MAE |dmu| %.4g %s", vd, heads.dipoleUnit()),
                        !frc ? "" : String.format(java.util.Locale.ROOT, "  train force MAE %.4g  val force MAE %.4g %s/A", forceAbs / forceCount, vf,
                                heads.energyUnit())));
                // with forces the best epoch is the one of least energy MAE + force weight x force MAE (x 1 A)
                if (es.update(epoch, frc ? vm + opt.forceWeight() * vf : vm)) ModelStore.save(model, modelDir());
            }
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("epoch", epoch);
            st.put("step", step);
            st.put("options", opt.toJson());
            st.put("fingerprint", fingerprint(train, validation));
            st.put("early_stopping", es.state());
            st.put("train_mae", new ArrayList<Object>(trainMae));
            st.put("validation_mae", new ArrayList<Object>(valMae));
            List<Object> vdl = new ArrayList<>();
            for (double d : valDip) vdl.add(Double.isNaN(d) ? null : d);
            st.put("validation_dipole_mae", vdl); // checkpoint state (name kept for resume): the error-norm MAE
            List<Object> vfl = new ArrayList<>();
            for (double d : valForce) vfl.add(Double.isNaN(d) ? null : d);
            st.put("validation_force_mae", vfl);
            saveCheckpoint(st, names, adam);
            if (opt.stopAfterEpoch() > 0 && epoch + 1 >= opt.stopAfterEpoch() && epoch + 1 < opt.epochs()) {
                finished = false;
                break;
            }
        }
        if (!Files.isDirectory(modelDir())) ModelStore.save(model, modelDir());
        double bestMae = es.bestEpoch() >= 0 && es.bestEpoch() < valMae.size() ? valMae.get(es.bestEpoch()) : es.bestValue();
        return new Result(trainMae, valMae, valDip, valForce, es.bestEpoch(), bestMae, trainMae.size(), finished);
    }

    /**
     * SHA-256 (hex) of what a run trains on: the model config and, in order, every training and
     * validation molecule's atoms, positions and labels, so that --resume refuses other data, another
     * split or another architecture.
     */
    private String fingerprint(LabeledSet train, LabeledSet validation) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(Json.write(model.config().toJson()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(8);
            for (LabeledSet set : List.of(train, validation)) {
                md.update((byte) '|');
                for (int i = 0; i < set.size(); i++) {
                    MolecularGraph g = set.graphs().get(i);
                    for (int z : g.atomicNumbers()) md.update((byte) z);
                    for (double x : g.positions()) md.update(bb.clear().putDouble(x).array());
                    md.update(bb.clear().putDouble(set.energy()[i]).array());
                    if (set.dipole() != null) for (double x : set.dipole()[i]) md.update(bb.clear().putDouble(x).array());
                    if (set.forces() != null) for (double x : set.forces()[i]) md.update(bb.clear().putDouble(x).array());
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> normalize(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> ref = Options.defaults().toJson();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue(), r = ref.get(e.getKey());
            if (v instanceof Number n && r instanceof Integer) v = n.intValue();
            else if (v instanceof Number n && r instanceof Long) v = n.longValue();
            else if (v instanceof Number n && r instanceof Double) v = n.doubleValue();
            out.put(e.getKey(), v);
        }
        for (Map.Entry<String, Object> e : ref.entrySet()) out.putIfAbsent(e.getKey(), e.getValue()); // keys older checkpoints lack
        return out;
    }

    private void clip(List<Tensor> params) {
        double sq = 0;
        List<double[]> gs = new ArrayList<>();
        for (Tensor p : params) {
            double[] g = p.grad() == null ? null : p.grad().toDoubles();
            gs.add(g);
            if (g != null) for (double x : g) sq += x * x;
        }
        double norm = Math.sqrt(sq);
        if (!Double.isFinite(norm))
            throw new IllegalArgumentException("training diverged: gradient norm " + norm + " (try a smaller --lr than " + opt.lr() + ")");
        if (norm <= opt.clipNorm()) return;
        double f = opt.clipNorm() / norm;
        for (int i = 0; i < params.size(); i++) {
            double[] g = gs.get(i);
            if (g == null) continue;
            for (int j = 0; j < g.length; j++) g[j] *= f;
            Tensor gt = params.get(i).grad();
            Backend be = gt.backend();
            be.copyBlocks(be.fromDoubles(g, gt.dtype()), 0, 0, gt.storage(), 0, 0, 1, g.length);
        }
    }

    private static int[] shuffle(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private void saveCheckpoint(Map<String, Object> state, List<String> names, Adam adam) throws IOException {
        List<double[]> m1 = adam.firstMoments(), m2 = adam.secondMoments();
        int steps = adam.steps();
        AtomicFiles.writeDirectory(checkpointDir(), d -> {
            ModelStore.writeInto(model, d);
            Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                int[] shape = model.parameters().get(names.get(i)).shape();
                t.put("m." + names.get(i), ModelStore.toSafe(m1.get(i), model.dtype(), shape));
                t.put("v." + names.get(i), ModelStore.toSafe(m2.get(i), model.dtype(), shape));
            }
            Files.write(d.resolve("optimizer.safetensors"), Safetensors.toBytes(t, Map.of("adam_steps", Integer.toString(steps))));
            Files.writeString(d.resolve("state.json"), Json.writePretty(state) + "\n");
        });
    }

    private Map<String, Object> loadCheckpoint(List<String> names, List<Tensor> params, Adam adam) throws IOException {
        Path d = checkpointDir();
        UniteModel saved = ModelStore.load(d);
        if (!saved.config().equals(model.config()))
            throw new IllegalArgumentException("--resume: the checkpoint's model config differs from this run's: " + saved.config().toJson());
        ModelStore.loadWeights(model, Safetensors.read(d.resolve(ModelStore.WEIGHTS_FILE)), d.resolve(ModelStore.WEIGHTS_FILE).toString());
        Safetensors.Contents o = Safetensors.read(d.resolve("optimizer.safetensors"));
        List<double[]> m1 = new ArrayList<>(), m2 = new ArrayList<>();
        for (String n : names) {
            m1.add(o.get("m." + n).toDoubles());
            m2.add(o.get("v." + n).toDoubles());
        }
        adam.restore(Integer.parseInt(o.metadata().get("adam_steps")), m1, m2);
        Object st = Json.readFile(d.resolve("state.json"));
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) st;
        return m;
    }
}
