package org.unite4j.chem.gfn1;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbBasisSet;

import java.util.Arrays;

/**
 * A GFN1-xTB single point in Java (Grimme, Bannwarth, Shushkov, JCTC 13, 1989 (2017)):
 * <pre>
 *   CN_A    = sum_B 1 / (1 + exp(-16 ((Rcov_A + Rcov_B) / R_AB - 1)))               (R_AB < 40 bohr)
 *   h_Al    = H_Al (1 + k_CN,l CN_A / 100)                                          (level of shell l)
 *   H0_mn   = K_ll' X_AB Pi_ll'(R_AB) (h_Al + h_Bl') / 2 S_mn                       (m on A, n on B != A)
 *   X_AB    = k_pair (1 + k_EN dEN_AB^2 / 100),  Pi = prod (1 + k_poly,l sqrt(R / (R_A + R_B)) / 100)
 *   E       = tr(P H0) + 1/2 sum q_s gamma_ss' q_s' + 1/3 sum_A Gamma_A q_A^3 - T S_el
 *   gamma   = (R^2 + eta_ss'^-2)^(-1/2),  eta_ss' = 2 / (1/eta_s + 1/eta_s')  (eta_s = GAM (1 + LPAR_l/10))
 *   F       = H0 - S (V_m + V_n) / 2,  V_s = sum gamma_ss' q_s' + Gamma_A q_A^2
 * </pre>
 * solved self-consistently with Fermi smearing (per spin channel) and Broyden mixing of the shell
 * charges, to a charge change below {@link Options#chargeTolerance}. The geometry in bohr is the one
 * libxtb is given ({@link Units#BOHR_IN_ANGSTROM}); the method's own radius tables use xtb's bohr.
 *
 * <p>Thread-safe and deterministic: every call works on its own arrays in a fixed order.
 */
public final class Gfn1Calculator {
    /** SCF settings. */
    public record Options(double electronicTemperatureK, int maxIterations, double chargeTolerance,
                          double energyTolerance, double mixing) {
        public Options {
            if (!(electronicTemperatureK > 0 && electronicTemperatureK < 1e5))
                throw new IllegalArgumentException("electronic temperature must be in (0, 1e5) K, got " + electronicTemperatureK);
            if (maxIterations < 1) throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
            if (!(chargeTolerance > 0) || !(energyTolerance > 0))
                throw new IllegalArgumentException("SCF tolerances must be > 0, got " + chargeTolerance + " and " + energyTolerance);
            if (!(mixing > 0 && mixing <= 1)) throw new IllegalArgumentException("mixing must be in (0, 1], got " + mixing);
        }

        /**
         * 300 K like xtb; converged far beyond xtb's default so results are reproducible to 1e-10.
         * The energy test is relative to max(1, |E|) Hartree.
         */
        public static Options defaults() {
            return new Options(300.0, 250, 1e-11, 1e-13, 0.4);
        }
    }

    /** Hard cutoff of the coordination number sum, bohr (xtb's value). */
    static final double CN_CUTOFF = 40.0;
    static final double CN_STEEPNESS = 16.0;

    private final Gfn1Parameters params;
    private final Options options;

    public Gfn1Calculator() {
        this(Gfn1Parameters.load(), Options.defaults());
    }

    public Gfn1Calculator(Gfn1Parameters params, Options options) {
        this.params = params;
        this.options = options;
    }

    public Options options() { return options; }

    /**
     * Runs one single point.
     *
     * @throws IllegalArgumentException for an element the parameter file lacks, atoms closer than
     *                                  0.1 A or an impossible charge/multiplicity (naming it)
     * @throws Gfn1Exception            when the SCF does not converge
     */
    public Gfn1Result singlePoint(Molecule m) {
        return solve(m).result();
    }

    /**
     * The analytic derivatives of this single point's operators and energy with respect to the
     * atomic positions (one response solve per geometry; see {@link Gfn1Derivatives}).
     */
    public Gfn1Derivatives derivatives(Molecule m) {
        return new Gfn1Derivatives(this, solve(m));
    }

    /** Everything the derivatives need of a converged SCF. Arrays in atomic units, row-major. */
    record State(Molecule molecule, double[] xyz, Gfn1Basis basis, double[] cn, double[] level, double[] s,
                 double[] h0, double[] gamma, double[] gamma3, double[] refOcc, int[] shellOfAo, double[] q,
                 double[] v, double[] eps, double[] c, double[] occAlpha, double[] occBeta, double kt, Gfn1Result result) {
    }

    State solve(Molecule m) {
        validate(m);
        int nat = m.size();
        double[] xyz = new double[3 * nat];
        for (int i = 0; i < 3 * nat; i++) xyz[i] = m.positions()[i] / Units.BOHR_IN_ANGSTROM;
        Gfn1Basis basis = new Gfn1Basis(m, params);
        int nao = basis.numAo(), nsh = basis.numShells();

        double[] cn = coordinationNumbers(m, xyz);
        double[] level = shellLevels(m, basis, cn);
        double[] s = new double[nao * nao];
        double[] h0 = new double[nao * nao];
        buildOverlapAndH0(m, xyz, basis, level, s, h0);

        double[] gamma = coulombMatrix(m, xyz, basis);
        double[] gamma3 = new double[nat];
        for (int a = 0; a < nat; a++) gamma3[a] = 0.1 * params.element(m.atomicNumber(a)).hardnessDerivative();
        double[] refOcc = referenceOccupations(m, basis);

        int unpaired = m.multiplicity() - 1;
        double electrons = -m.charge();
        for (double r : refOcc) electrons += r;
        double nAlpha = (electrons - unpaired) / 2 + unpaired, nBeta = (electrons - unpaired) / 2;
        double kt = options.electronicTemperatureK() * ElementData.KB_HARTREE_PER_K;

        Eigen eigen = new Eigen(s, nao, describe(m));
        int[] shellOfAo = new int[nao];
        for (Gfn1Basis.Shell sh : basis.shells)
            for (int k = 0; k < sh.size(); k++) shellOfAo[sh.aoOffset() + k] = sh.index();

        double[] q = new double[nsh];
        Broyden mixer = new Broyden(options.mixing());
        double lastEnergy = Double.NaN;
        for (int iter = 1; iter <= options.maxIterations(); iter++) {
            double[] v = potential(basis, gamma, gamma3, q, nat);
            double[] f = fock(h0, s, v, shellOfAo, nao);
            Eigen.Solution sol = eigen.solve(f);
            double[] occA = new double[nao], occB = new double[nao];
            double ts = fermi(sol.eps(), nAlpha, kt, occA, m) + fermi(sol.eps(), nBeta, kt, occB, m);
            double[] occ = new double[nao];
            for (int k = 0; k < nao; k++) occ[k] = occA[k] + occB[k];
            double[] p = congruence(sol.c(), occ, nao);
            double[] qOut = shellCharges(p, s, refOcc, shellOfAo, nao, nsh);
            double e1 = trace(p, h0, nao), e2 = secondOrder(gamma, qOut), e3 = thirdOrder(basis, gamma3, qOut, nat);
            double energy = e1 + e2 + e3 + ts;
            double dq = 0;
            for (int i = 0; i < nsh; i++) dq = Math.max(dq, Math.abs(qOut[i] - q[i]));
            if (dq < options.chargeTolerance()
                    && Math.abs(energy - lastEnergy) < options.energyTolerance() * Math.max(1, Math.abs(energy))) {
                double[] fe = new double[nao];
                for (int k = 0; k < nao; k++) fe[k] = occ[k] * sol.eps()[k];
                double[] w = congruence(sol.c(), fe, nao);
                double[] qat = atomCharges(basis, qOut, nat);
                Gfn1Result result = new Gfn1Result(m, basis.layout, f, p, s, w, h0, sol.eps(), occ, qOut, qat, cn,
                        e1, e2, e3, ts, energy, iter);
                return new State(m, xyz, basis, cn, level, s, h0, gamma, gamma3, refOcc, shellOfAo, q, v, sol.eps(),
                        sol.c(), occA, occB, kt, result);
            }
            lastEnergy = energy;
            q = mixer.next(q, qOut);
        }
        throw new Gfn1Exception("GFN1-xTB SCF of " + describe(m) + " did not converge in " + options.maxIterations()
                + " iterations");
    }

    static String describe(Molecule m) {
        return m.formula() + (m.name().isEmpty() ? "" : " (" + m.name() + ")");
    }

    private void validate(Molecule m) {
        for (int i = 0; i < m.size(); i++) {
            int z = m.atomicNumber(i);
            if (z < 1 || z > ElementData.MAX_Z)
                throw new IllegalArgumentException(describe(m) + ", atom " + i + ": element " + (z >= 1 && z <= Elements.MAX_Z
                        ? Elements.symbol(z) + " " : "") + "(Z = " + z + ") is not supported by GFN1-xTB (H to Rn)");
            params.element(z);
        }
        double min = 0.1;
        for (int i = 0; i < m.size(); i++)
            for (int j = 0; j < i; j++) {
                double d2 = 0;
                for (int k = 0; k < 3; k++) { double d = m.x(i, k) - m.x(j, k); d2 += d * d; }
                if (!(d2 >= min * min))
                    throw new IllegalArgumentException("atoms " + j + " and " + i + " of " + describe(m)
                            + " are " + String.format("%.3g", Math.sqrt(d2)) + " A apart (minimum 0.1 A)");
            }
        int electrons = XtbBasisSet.valenceElectrons(m);
        int unpaired = m.multiplicity() - 1;
        if (electrons < 0 || unpaired < 0 || unpaired > electrons || (electrons - unpaired) % 2 != 0)
            throw new IllegalArgumentException(describe(m) + ": charge " + m.charge() + " and multiplicity "
                    + m.multiplicity() + " are impossible with " + electrons + " valence electrons");
        int nao = XtbBasisSet.basis(m, org.unite4j.chem.xtb.XtbMethod.GFN1).numAo();
        if ((electrons - unpaired) / 2 + unpaired > nao)
            throw new IllegalArgumentException(describe(m) + ": multiplicity " + m.multiplicity() + " needs "
                    + ((electrons - unpaired) / 2 + unpaired) + " orbitals of one spin, the GFN1 basis has " + nao);
    }

    double[] coordinationNumbers(Molecule m, double[] xyz) {
        int n = m.size();
        double[] cn = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) {
                double r = distance(xyz, i, j);
                if (r > CN_CUTOFF) continue;
                double rc = ElementData.covalentRadiusD3Bohr(m.atomicNumber(i)) + ElementData.covalentRadiusD3Bohr(m.atomicNumber(j));
                double c = countingFunction(r, rc);
                cn[i] += c;
                cn[j] += c;
            }
        return cn;
    }

    /** 1 / (1 + exp(-16 (rc / r - 1))). */
    static double countingFunction(double r, double rc) {
        return 1.0 / (1.0 + Math.exp(-CN_STEEPNESS * (rc / r - 1.0)));
    }

    /** d/dr of {@link #countingFunction}: -c (1 - c) 16 rc / r^2. */
    static double countingDerivative(double r, double rc) {
        double c = countingFunction(r, rc);
        return -c * (1 - c) * CN_STEEPNESS * rc / (r * r);
    }

    /** Shell levels h_Al in Hartree at the given coordination numbers. */
    private double[] shellLevels(Molecule m, Gfn1Basis basis, double[] cn) {
        double[] base = baseLevels(m, basis), slope = levelSlopes(m, basis);
        double[] out = new double[basis.numShells()];
        for (Gfn1Basis.Shell sh : basis.shells) out[sh.index()] = base[sh.index()] + slope[sh.index()] * cn[sh.atom()];
        return out;
    }

    /** H_Al in Hartree (the level at CN = 0). */
    double[] baseLevels(Molecule m, Gfn1Basis basis) {
        double[] out = new double[basis.numShells()];
        for (Gfn1Basis.Shell sh : basis.shells)
            out[sh.index()] = params.element(m.atomicNumber(sh.atom())).levelEv()[sh.index() - basis.shellStart[sh.atom()]]
                    / ElementData.XTB_HARTREE_EV;
        return out;
    }

    /** d h_Al / d CN_A = H_Al k_CN,l / 100. */
    double[] levelSlopes(Molecule m, Gfn1Basis basis) {
        double[][] kcn = {{0, 0, 0},
                {params.global("cns"), params.global("cnp"), params.global("cnd1")},
                {params.global("cns"), params.global("cnp"), params.global("cnd2")}};
        double[] base = baseLevels(m, basis);
        double[] out = new double[basis.numShells()];
        for (Gfn1Basis.Shell sh : basis.shells)
            out[sh.index()] = base[sh.index()] * 0.01 * kcn[ElementData.cnKind(m.atomicNumber(sh.atom()))][sh.l()];
        return out;
    }

    double shellScaling(int la, int lb) {
        if (la + lb == 1) return params.global("ksp");
        double[] k = {params.global("ks"), params.global("kp"), params.global("kd")};
        return 0.5 * (k[la] + k[lb]);
    }

    /** Element-pair scaling of H0: the file's $pairpar, else the d-block rows' average, else 1. */
    double pairScaling(int za, int zb) {
        double v = params.pairScaling(za, zb);
        if (!Double.isNaN(v)) return v;
        int ra = dBlockRow(za), rb = dBlockRow(zb);
        if (ra > 0 && rb > 0) {
            double[] kp = {0, 1.1, 1.2, 1.2};
            return 0.5 * (kp[ra] + kp[rb]);
        }
        return 1.0;
    }

    private static int dBlockRow(int z) {
        if (z > 20 && z < 30) return 1;
        if (z > 38 && z < 48) return 2;
        if (z > 56 && z < 80) return 3;
        return 0;
    }

    /** K_ll' X_AB of two shells on different atoms (valence scaling, or the kdiff rules for hydrogen's 2s). */
    double hamiltonianScale(Gfn1Basis.Shell si, int za, Gfn1Basis.Shell sj, int zb) {
        double kdiff = params.global("kdiff");
        if (si.valence() && sj.valence()) {
            double den = ElementData.paulingEn(za) - ElementData.paulingEn(zb);
            return shellScaling(si.l(), sj.l()) * pairScaling(za, zb) * (1 + 0.01 * params.global("enscale") * den * den);
        }
        if (!si.valence() && !sj.valence()) return kdiff;
        if (!si.valence()) return 0.5 * (shellScaling(sj.l(), sj.l()) + kdiff);
        return 0.5 * (shellScaling(si.l(), si.l()) + kdiff);
    }

    /** k_poly,l / 100 of element z. */
    double polynomial(int z, int l) {
        return 0.01 * params.element(z).shellPolynomial()[l];
    }

    /** R_A + R_B of the distance polynomial, bohr. */
    static double radiusSum(int za, int zb) {
        return ElementData.atomicRadiusBohr(za) + ElementData.atomicRadiusBohr(zb);
    }

    private void buildOverlapAndH0(Molecule m, double[] xyz, Gfn1Basis basis, double[] level, double[] s, double[] h0) {
        int nao = basis.numAo();
        double[] block = new double[25];
        for (Gfn1Basis.Shell sh : basis.shells)
            for (int k = 0; k < sh.size(); k++) {
                int mu = sh.aoOffset() + k;
                s[mu * nao + mu] = 1.0;
                h0[mu * nao + mu] = level[sh.index()];
            }
        for (int a = 0; a < m.size(); a++) {
            int za = m.atomicNumber(a);
            double[] ra = {xyz[3 * a], xyz[3 * a + 1], xyz[3 * a + 2]};
            for (int b = 0; b < a; b++) {
                int zb = m.atomicNumber(b);
                double[] rb = {xyz[3 * b], xyz[3 * b + 1], xyz[3 * b + 2]};
                double rr = Math.sqrt(distance(xyz, a, b) / radiusSum(za, zb));
                for (int i = basis.shellStart[a]; i < basis.shellStart[a + 1]; i++) {
                    Gfn1Basis.Shell si = basis.shells[i];
                    double polyI = 1 + polynomial(za, si.l()) * rr;
                    for (int j = basis.shellStart[b]; j < basis.shellStart[b + 1]; j++) {
                        Gfn1Basis.Shell sj = basis.shells[j];
                        double polyJ = 1 + polynomial(zb, sj.l()) * rr;
                        double hav = 0.5 * hamiltonianScale(si, za, sj, zb) * (level[i] + level[j]) * polyI * polyJ;
                        Overlap.block(si.cgto(), ra, sj.cgto(), rb, block);
                        int ni = si.size(), nj = sj.size();
                        for (int u = 0; u < ni; u++)
                            for (int w = 0; w < nj; w++) {
                                int mu = si.aoOffset() + u, nu = sj.aoOffset() + w;
                                double sv = block[u * nj + w];
                                s[mu * nao + nu] = sv;
                                s[nu * nao + mu] = sv;
                                h0[mu * nao + nu] = hav * sv;
                                h0[nu * nao + mu] = hav * sv;
                            }
                    }
                }
            }
        }
    }

    /** The exponent g of the Coulomb kernel (R^g + eta^-g)^(-1/g) ($globpar alphaj). */
    double coulombExponent() {
        return params.global("alphaj");
    }

    /** eta_ss' = 2 / (1/eta_s + 1/eta_s') with eta_s = GAM (1 + LPAR_l / 10), nsh x nsh. */
    double[] pairHardness(Molecule m, Gfn1Basis basis) {
        int nsh = basis.numShells();
        double[] eta = new double[nsh];
        for (Gfn1Basis.Shell sh : basis.shells) {
            Gfn1Parameters.Element e = params.element(m.atomicNumber(sh.atom()));
            eta[sh.index()] = e.hardness() * (1 + 0.1 * e.shellHardnessScale()[sh.l()]);
        }
        double[] out = new double[nsh * nsh];
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) out[i * nsh + j] = 2.0 / (1.0 / eta[i] + 1.0 / eta[j]);
        return out;
    }

    /** gamma over shells (Klopman-Ohno kernel with exponent alphaj and harmonic-mean hardness). */
    double[] coulombMatrix(Molecule m, double[] xyz, Gfn1Basis basis) {
        int nsh = basis.numShells();
        double g = coulombExponent();
        double[] eta = pairHardness(m, basis);
        double[] gamma = new double[nsh * nsh];
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j <= i; j++) {
                Gfn1Basis.Shell si = basis.shells[i], sj = basis.shells[j];
                double e = eta[i * nsh + j];
                double v;
                if (si.atom() == sj.atom()) v = e;
                else {
                    double r = distance(xyz, si.atom(), sj.atom());
                    v = g == 2.0 ? 1.0 / Math.sqrt(r * r + 1.0 / (e * e)) : Math.pow(Math.pow(r, g) + Math.pow(e, -g), -1.0 / g);
                }
                gamma[i * nsh + j] = v;
                gamma[j * nsh + i] = v;
            }
        return gamma;
    }

    /**
     * Reference (neutral-atom) occupation of each shell: s takes up to 2 valence electrons, then the
     * d shell of a transition metal or lanthanide (whose shell list starts with d), else the p
     * shell, the rest; hydrogen's second s shell takes none.
     */
    static double[] referenceOccupations(Molecule m, Gfn1Basis basis) {
        double[] out = new double[basis.numShells()];
        for (int a = 0; a < m.size(); a++) {
            int z = m.atomicNumber(a);
            int nval = XtbBasisSet.valenceElectrons(z);
            int first = basis.shellStart[a], last = basis.shellStart[a + 1];
            boolean dValence = basis.shells[first].l() == 2;
            int sShell = -1, pShell = -1, dShell = -1;
            for (int i = first; i < last; i++) {
                Gfn1Basis.Shell sh = basis.shells[i];
                if (!sh.valence()) continue;
                if (sh.l() == 0) sShell = i;
                else if (sh.l() == 1) pShell = i;
                else dShell = i;
            }
            double sOcc = Math.min(2, nval);
            out[sShell] = sOcc;
            double rest = nval - sOcc;
            if (rest > 0) {
                if (dValence) out[dShell] = rest;
                else out[pShell] = rest;
            }
        }
        return out;
    }

    static double[] potential(Gfn1Basis basis, double[] gamma, double[] gamma3, double[] q, int nat) {
        int nsh = q.length;
        double[] qat = atomCharges(basis, q, nat);
        double[] v = new double[nsh];
        for (int i = 0; i < nsh; i++) {
            double sum = 0;
            for (int j = 0; j < nsh; j++) sum += gamma[i * nsh + j] * q[j];
            int a = basis.shells[i].atom();
            v[i] = sum + gamma3[a] * qat[a] * qat[a];
        }
        return v;
    }

    private static double[] fock(double[] h0, double[] s, double[] v, int[] shellOfAo, int nao) {
        double[] f = new double[nao * nao];
        for (int mu = 0; mu < nao; mu++) {
            double vm = v[shellOfAo[mu]];
            for (int nu = 0; nu < nao; nu++)
                f[mu * nao + nu] = h0[mu * nao + nu] - 0.5 * s[mu * nao + nu] * (vm + v[shellOfAo[nu]]);
        }
        return f;
    }

    /**
     * Adds the Fermi occupations (0..1) of one spin channel with n electrons to occ and returns its
     * -T S term, kT sum [f ln f + (1 - f) ln(1 - f)].
     */
    static double fermi(double[] eps, double n, double kt, double[] occ, Molecule m) {
        int nmo = eps.length;
        if (n <= 0) return 0;
        if (n > nmo) throw new IllegalArgumentException(describe(m) + ": " + n + " electrons of one spin do not fit into " + nmo + " orbitals");
        int homo = (int) Math.ceil(n) - 1;
        double mu = homo + 1 < nmo ? 0.5 * (eps[homo] + eps[homo + 1]) : eps[homo] + 10 * kt;
        double[] f = new double[nmo];
        for (int cycle = 0; cycle < 200; cycle++) {
            double total = 0, dtotal = 0;
            for (int i = 0; i < nmo; i++) {
                double x = (eps[i] - mu) / kt;
                double fi = x > 0 ? Math.exp(-x) / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x));
                f[i] = fi;
                total += fi;
                dtotal += fi * (1 - fi) / kt;
            }
            double diff = n - total;
            if (Math.abs(diff) < 1e-14 * Math.max(1, n)) break;
            if (dtotal < 1e-300) break;
            // Newton, kept inside the spectrum widened by 50 kT (where the count is monotone and bounded)
            mu = Math.min(eps[nmo - 1] + 50 * kt, Math.max(eps[0] - 50 * kt, mu + diff / dtotal));
        }
        double count = 0;
        for (double fi : f) count += fi;
        if (!(Math.abs(count - n) < 1e-9))
            throw new Gfn1Exception("GFN1-xTB Fermi level of " + describe(m) + " not found: " + count + " electrons of one spin "
                    + "instead of " + n);
        double ts = 0;
        for (int i = 0; i < nmo; i++) {
            double fi = f[i];
            occ[i] += fi;
            if (fi > 0 && fi < 1) ts += fi * Math.log(fi) + (1 - fi) * Math.log(1 - fi);
        }
        return kt * ts;
    }

    /** A diag(d) A^T for row-major A (columns are orbitals). */
    static double[] congruence(double[] c, double[] d, int n) {
        double[] out = new double[n * n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) row[k] = c[i * n + k] * d[k];
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += row[k] * c[j * n + k];
                out[i * n + j] = sum;
                out[j * n + i] = sum;
            }
        }
        return out;
    }

    private static double[] shellCharges(double[] p, double[] s, double[] refOcc, int[] shellOfAo, int nao, int nsh) {
        double[] q = refOcc.clone();
        for (int mu = 0; mu < nao; mu++) {
            double pop = 0;
            for (int nu = 0; nu < nao; nu++) pop += p[mu * nao + nu] * s[nu * nao + mu];
            q[shellOfAo[mu]] -= pop;
        }
        return q;
    }

    static double[] atomCharges(Gfn1Basis basis, double[] q, int nat) {
        double[] qat = new double[nat];
        for (Gfn1Basis.Shell sh : basis.shells) qat[sh.atom()] += q[sh.index()];
        return qat;
    }

    private static double trace(double[] p, double[] h, int n) {
        double t = 0;
        for (int i = 0; i < n * n; i++) t += p[i] * h[i];
        return t;
    }

    private static double secondOrder(double[] gamma, double[] q) {
        int n = q.length;
        double e = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) row += gamma[i * n + j] * q[j];
            e += q[i] * row;
        }
        return 0.5 * e;
    }

    private static double thirdOrder(Gfn1Basis basis, double[] gamma3, double[] q, int nat) {
        double[] qat = atomCharges(basis, q, nat);
        double e = 0;
        for (int a = 0; a < nat; a++) e += gamma3[a] * qat[a] * qat[a] * qat[a] / 3.0;
        return e;
    }

    static double distance(double[] xyz, int i, int j) {
        double dx = xyz[3 * i] - xyz[3 * j], dy = xyz[3 * i + 1] - xyz[3 * j + 1], dz = xyz[3 * i + 2] - xyz[3 * j + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** F C = S C eps through the Cholesky factor of S (computed once per geometry). */
    static final class Eigen {
        record Solution(double[] eps, double[] c) {
        }

        private final int n;
        private final DMatrixRMaj linv;
        private final String what;

        Eigen(double[] s, int n, String what) {
            this.n = n;
            this.what = what;
            DMatrixRMaj sm = new DMatrixRMaj(n, n, true, s);
            CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
            if (!chol.decompose(sm))
                throw new Gfn1Exception("the GFN1-xTB overlap matrix of " + what + " is not positive definite (atoms too close?)");
            DMatrixRMaj l = chol.getT(null);
            linv = new DMatrixRMaj(n, n);
            CommonOps_DDRM.invert(l, linv);
        }

        Solution solve(double[] f) {
            DMatrixRMaj fm = new DMatrixRMaj(n, n, true, f);
            DMatrixRMaj tmp = new DMatrixRMaj(n, n), a = new DMatrixRMaj(n, n);
            CommonOps_DDRM.mult(linv, fm, tmp);
            CommonOps_DDRM.multTransB(tmp, linv, a);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < i; j++) {
                    double v = 0.5 * (a.get(i, j) + a.get(j, i));
                    a.set(i, j, v);
                    a.set(j, i, v);
                }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
            if (!eig.decompose(a)) throw new Gfn1Exception("the symmetric eigensolver failed for " + what);
            Integer[] order = new Integer[n];
            double[] ev = new double[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                ev[i] = eig.getEigenvalue(i).getReal();
            }
            Arrays.sort(order, (x, y) -> Double.compare(ev[x], ev[y]));
            double[] eps = new double[n];
            DMatrixRMaj v = new DMatrixRMaj(n, n);
            for (int k = 0; k < n; k++) {
                eps[k] = ev[order[k]];
                DMatrixRMaj vec = eig.getEigenVector(order[k]);
                for (int i = 0; i < n; i++) v.set(i, k, vec.get(i));
            }
            DMatrixRMaj c = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransA(linv, v, c);
            return new Solution(eps, c.getData().clone());
        }
    }
}
