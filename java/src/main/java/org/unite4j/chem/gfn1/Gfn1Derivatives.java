package org.unite4j.chem.gfn1;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.unite4j.chem.Molecule;

/**
 * Analytic derivatives of a converged GFN1-xTB single point with respect to the atomic positions:
 * for each coordinate q = 3 atom + xyz the derivatives of F, P, S, W and of the shell charges, and
 * the gradient of the electronic energy. Atomic units (per bohr).
 *
 * <p>Explicit terms: dS (Obara-Saika with l + 1), dH0 (through dS, the distance polynomial and the
 * CN-dependent levels), d gamma. The SCF response is linear in the shell charges: with C^T S C = 1,
 * F' = C^T dF C and S' = C^T dS C, the density and energy-weighted density respond as
 * <pre>
 *   C^-1 dP C^-T = F' o D[f] - S' o D[e f] - diag(dmu_s f'_s),   C^-1 dW C^-T = F' o D[e f] - S' o D[e^2 f] - diag(dmu_s f'_s e)
 * </pre>
 * where D[g]_ij = (g_j - g_i) / (e_j - e_i) is the divided difference of g over the orbital
 * energies (its limit g' for degenerate orbitals, so degeneracy needs no special case: the Fermi
 * occupations are smooth) and dmu_s keeps each spin channel's electron count. The charge change
 * dq = -sum_s (dP S + P dS) then enters dF through dV = d gamma q + M dq (M = gamma + 2 Gamma q_A on
 * each atom), so dq = (1 - chi M)^-1 dq_0 with chi the charge response to shell potentials, built
 * once per geometry from nsh unit potentials. Every column then costs a few nao^3 products.
 *
 * <p>The energy gradient is dE/dR = tr(P dH0) - tr(W dS) - 1/2 sum P_mn dS_mn (V_m + V_n)
 * + 1/2 q^T d gamma q (the free energy is variational in P).
 */
public final class Gfn1Derivatives {
    /** One coordinate's derivatives, dense nao x nao row-major, per bohr. */
    public record Column(int coordinate, double[] dF, double[] dP, double[] dS, double[] dW, double[] dShellCharges) {
    }

    private static final double DEGENERATE = 1e-7;

    private final Gfn1Calculator calc;
    private final Gfn1Calculator.State st;
    private final int nat, nao, nsh;
    private final double[] slope, pairEta;
    private final DMatrixRMaj c;
    /** Divided differences summed over spin: D[f], D[e f], D[e^2 f]. */
    private final double[] d1, d2, d3;
    /** f' per spin channel. */
    private final double[] fpA, fpB;
    private final double[] responseInverse;
    /** C^-1 = C^T S. */
    private final DMatrixRMaj cinv;
    /** M = dV/dq, nsh x nsh. */
    private final double[] chargeHessian;
    /** K_ll' X_AB of every shell pair on different atoms, nsh x nsh. */
    private final double[] km;

    Gfn1Derivatives(Gfn1Calculator calc, Gfn1Calculator.State st) {
        this.calc = calc;
        this.st = st;
        Molecule m = st.molecule();
        nat = m.size();
        nao = st.basis().numAo();
        nsh = st.basis().numShells();
        slope = calc.levelSlopes(m, st.basis());
        pairEta = calc.pairHardness(m, st.basis());
        c = new DMatrixRMaj(nao, nao, true, st.c());
        double kt = st.kt();
        double[] eps = st.eps();
        fpA = new double[nao];
        fpB = new double[nao];
        for (int i = 0; i < nao; i++) {
            fpA[i] = -st.occAlpha()[i] * (1 - st.occAlpha()[i]) / kt;
            fpB[i] = -st.occBeta()[i] * (1 - st.occBeta()[i]) / kt;
        }
        d1 = new double[nao * nao];
        d2 = new double[nao * nao];
        d3 = new double[nao * nao];
        for (int i = 0; i < nao; i++)
            for (int j = 0; j < nao; j++) {
                double ei = eps[i], ej = eps[j];
                double fi = st.occAlpha()[i] + st.occBeta()[i], fj = st.occAlpha()[j] + st.occBeta()[j];
                double gi = fpA[i] + fpB[i], gj = fpA[j] + fpB[j];
                // D[f] (its limit f' for degenerate orbitals, averaged over the two ends); then, without
                // cancellation, D[e f] = f_j + e_i D[f] and D[e^2 f] = (e_i + e_j) f_j + e_i^2 D[f]
                double dd = Math.abs(ej - ei) < DEGENERATE ? 0.5 * (gi + gj) : (fj - fi) / (ej - ei);
                d1[i * nao + j] = dd;
                d2[i * nao + j] = fj + ei * dd;
                d3[i * nao + j] = (ei + ej) * fj + ei * ei * dd;
            }
        cinv = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.multTransA(c, new DMatrixRMaj(nao, nao, true, st.s()), cinv);
        chargeHessian = chargeHessian();
        km = new double[nsh * nsh];
        Gfn1Basis.Shell[] shells = st.basis().shells;
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) {
                int a = shells[i].atom(), b = shells[j].atom();
                if (a != b) km[i * nsh + j] = calc.hamiltonianScale(shells[i], m.atomicNumber(a), shells[j], m.atomicNumber(b));
            }
        responseInverse = buildResponseInverse();
    }

    /** The single point these are derivatives of; its arrays are shared with the derivatives: do not modify them. */
    public Gfn1Result result() { return st.result(); }

    public int numCoordinates() { return 3 * nat; }

    /** (1 - chi M)^-1, nsh x nsh, with chi_st = dq_s for a unit potential on shell t. */
    private double[] buildResponseInverse() {
        double[] chi = new double[nsh * nsh];
        for (int t = 0; t < nsh; t++) {
            double[] dv = new double[nsh];
            dv[t] = 1;
            DMatrixRMaj pp = moResponse(potentialMo(dv), null, false)[0];
            double[] dq = chargesOfMo(pp);
            for (int s = 0; s < nsh; s++) chi[s * nsh + t] = dq[s];
        }
        double[] mm = chargeHessian;
        DMatrixRMaj a = new DMatrixRMaj(nsh, nsh);
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) {
                double v = 0;
                for (int k = 0; k < nsh; k++) v += chi[i * nsh + k] * mm[k * nsh + j];
                a.set(i, j, (i == j ? 1 : 0) - v);
            }
        DMatrixRMaj inv = new DMatrixRMaj(nsh, nsh);
        if (!CommonOps_DDRM.invert(a, inv))
            throw new Gfn1Exception("the SCF charge response of " + st.molecule().formula() + " is singular");
        return inv.getData();
    }

    /**
     * C^T (-1/2 S o (dV_m + dV_n)) C = -1/2 (X + X^T) with X = C^-1 diag(dV) C (S C = C^-T), one
     * product instead of two.
     */
    private DMatrixRMaj potentialMo(double[] dv) {
        int[] sh = st.shellOfAo();
        DMatrixRMaj dc = c.copy();
        for (int mu = 0; mu < nao; mu++) {
            double f = dv[sh[mu]];
            for (int i = 0; i < nao; i++) dc.data[mu * nao + i] *= f;
        }
        DMatrixRMaj x = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.mult(cinv, dc, x);
        double[] d = x.data;
        for (int i = 0; i < nao; i++)
            for (int j = 0; j <= i; j++) {
                double v = -0.5 * (d[i * nao + j] + d[j * nao + i]);
                d[i * nao + j] = v;
                d[j * nao + i] = v;
            }
        return x;
    }

    /** dq_s = -sum_{mu in s} (C P' C^T S)_mu,mu = -sum_{mu in s} (C P' C^-1)_mu,mu for an MO-basis dP'. */
    private double[] chargesOfMo(DMatrixRMaj pp) {
        DMatrixRMaj b = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.mult(pp, cinv, b);
        double[] dq = new double[nsh];
        int[] sh = st.shellOfAo();
        for (int mu = 0; mu < nao; mu++) {
            double v = 0;
            for (int i = 0; i < nao; i++) v += c.data[mu * nao + i] * b.data[i * nao + mu];
            dq[sh[mu]] -= v;
        }
        return dq;
    }

    /** M = dV/dq: gamma + 2 Gamma_A q_A on the shells of atom A. */
    private double[] chargeHessian() {
        double[] mm = st.gamma().clone();
        double[] qat = Gfn1Calculator.atomCharges(st.basis(), st.q(), nat);
        Gfn1Basis.Shell[] shells = st.basis().shells;
        for (int s = 0; s < nsh; s++)
            for (int t = 0; t < nsh; t++) {
                int a = shells[s].atom();
                if (shells[t].atom() == a) mm[s * nsh + t] += 2 * st.gamma3()[a] * qat[a];
            }
        return mm;
    }

    /** -1/2 S_mn (dV_m + dV_n). */
    private double[] potentialTerm(double[] dv) {
        double[] out = new double[nao * nao];
        int[] sh = st.shellOfAo();
        double[] s = st.s();
        for (int mu = 0; mu < nao; mu++)
            for (int nu = 0; nu < nao; nu++) out[mu * nao + nu] = -0.5 * s[mu * nao + nu] * (dv[sh[mu]] + dv[sh[nu]]);
        return out;
    }

    /** {P', W'} (W' only when asked) in the MO basis for MO-basis F' and S' (S' null: zero). */
    private DMatrixRMaj[] moResponse(DMatrixRMaj fp, DMatrixRMaj sp, boolean withW) {
        double[] eps = st.eps();
        double[] fd = fp.getData(), sd = sp == null ? null : sp.getData();
        double numA = 0, numB = 0, denA = 0, denB = 0;
        for (int i = 0; i < nao; i++) {
            double de = fd[i * nao + i] - (sd == null ? 0 : eps[i] * sd[i * nao + i]);
            numA += fpA[i] * de;
            numB += fpB[i] * de;
            denA += fpA[i];
            denB += fpB[i];
        }
        double muA = denA != 0 ? numA / denA : 0, muB = denB != 0 ? numB / denB : 0;
        DMatrixRMaj pp = new DMatrixRMaj(nao, nao);
        double[] pd = pp.getData();
        for (int k = 0; k < nao * nao; k++) pd[k] = fd[k] * d1[k] - (sd == null ? 0 : sd[k] * d2[k]);
        for (int i = 0; i < nao; i++) pd[i * nao + i] -= muA * fpA[i] + muB * fpB[i];
        if (!withW) return new DMatrixRMaj[]{pp};
        DMatrixRMaj wp = new DMatrixRMaj(nao, nao);
        double[] wd = wp.getData();
        for (int k = 0; k < nao * nao; k++) wd[k] = fd[k] * d2[k] - (sd == null ? 0 : sd[k] * d3[k]);
        for (int i = 0; i < nao; i++) wd[i * nao + i] -= (muA * fpA[i] + muB * fpB[i]) * eps[i];
        return new DMatrixRMaj[]{pp, wp};
    }

    private DMatrixRMaj toMo(double[] x) {
        DMatrixRMaj xm = new DMatrixRMaj(nao, nao, true, x), tmp = new DMatrixRMaj(nao, nao), out = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.multTransA(c, xm, tmp);
        CommonOps_DDRM.mult(tmp, c, out);
        return out;
    }

    private double[] toAo(DMatrixRMaj x) {
        DMatrixRMaj tmp = new DMatrixRMaj(nao, nao), out = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.mult(c, x, tmp);
        CommonOps_DDRM.multTransB(tmp, c, out);
        double[] d = out.getData();
        for (int i = 0; i < nao; i++)
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (d[i * nao + j] + d[j * nao + i]);
                d[i * nao + j] = v;
                d[j * nao + i] = v;
            }
        return d;
    }

    /** The explicit derivatives of one coordinate: dS, dH0, d gamma. */
    private record Explicit(double[] ds, double[] dh0, double[] dgamma) {
    }

    private Explicit explicit(int q) {
        int atom = q / 3, k = q % 3;
        Molecule m = st.molecule();
        double[] xyz = st.xyz();
        Gfn1Basis basis = st.basis();
        double[] ds = new double[nao * nao], dh0 = new double[nao * nao], dgamma = new double[nsh * nsh];
        // coordination numbers
        double[] dcn = new double[nat];
        for (int d = 0; d < nat; d++) {
            if (d == atom) continue;
            double r = Gfn1Calculator.distance(xyz, atom, d);
            if (r > Gfn1Calculator.CN_CUTOFF) continue;
            double rc = ElementData.covalentRadiusD3Bohr(m.atomicNumber(atom)) + ElementData.covalentRadiusD3Bohr(m.atomicNumber(d));
            double u = Gfn1Calculator.countingDerivative(r, rc) * (xyz[3 * atom + k] - xyz[3 * d + k]) / r;
            dcn[atom] += u;
            dcn[d] += u;
        }
        double[] dlevel = new double[nsh];
        for (Gfn1Basis.Shell sh : basis.shells) dlevel[sh.index()] = slope[sh.index()] * dcn[sh.atom()];
        for (Gfn1Basis.Shell sh : basis.shells)
            for (int u = 0; u < sh.size(); u++) {
                int mu = sh.aoOffset() + u;
                dh0[mu * nao + mu] = dlevel[sh.index()];
            }
        double[] level = st.level(), s = st.s();
        double[][] grad = {new double[25], new double[25], new double[25]};
        for (int a = 0; a < nat; a++) {
            int za = m.atomicNumber(a);
            double[] ra = {xyz[3 * a], xyz[3 * a + 1], xyz[3 * a + 2]};
            for (int b = 0; b < a; b++) {
                boolean moves = a == atom || b == atom;
                int zb = m.atomicNumber(b);
                double[] rb = {xyz[3 * b], xyz[3 * b + 1], xyz[3 * b + 2]};
                double r = Gfn1Calculator.distance(xyz, a, b);
                // dr/dR_q for this pair
                double drdq = !moves ? 0 : (a == atom ? 1 : -1) * (ra[k] - rb[k]) / r;
                double rsum = Gfn1Calculator.radiusSum(za, zb);
                double rr = Math.sqrt(r / rsum), drr = rr / (2 * r) * drdq;
                boolean levelsMove = dcn[a] != 0 || dcn[b] != 0;
                if (!moves && !levelsMove) continue;
                for (int i = basis.shellStart[a]; i < basis.shellStart[a + 1]; i++) {
                    Gfn1Basis.Shell si = basis.shells[i];
                    double ki = calc.polynomial(za, si.l());
                    for (int j = basis.shellStart[b]; j < basis.shellStart[b + 1]; j++) {
                        Gfn1Basis.Shell sj = basis.shells[j];
                        double kj = calc.polynomial(zb, sj.l());
                        double pi = (1 + ki * rr) * (1 + kj * rr);
                        double dpi = (ki * (1 + kj * rr) + kj * (1 + ki * rr)) * drr;
                        double km = this.km[i * nsh + j];
                        double hav = 0.5 * km * (level[i] + level[j]) * pi;
                        double dhav = 0.5 * km * ((dlevel[i] + dlevel[j]) * pi + (level[i] + level[j]) * dpi);
                        int ni = si.size(), nj = sj.size();
                        if (moves) Overlap.gradientBlock(si.cgto(), ra, sj.cgto(), rb, grad);
                        double sign = a == atom ? 1 : -1;
                        for (int u = 0; u < ni; u++)
                            for (int w = 0; w < nj; w++) {
                                int mu = si.aoOffset() + u, nu = sj.aoOffset() + w;
                                double dsv = moves ? sign * grad[k][u * nj + w] : 0;
                                double h = dhav * s[mu * nao + nu] + hav * dsv;
                                ds[mu * nao + nu] = dsv;
                                ds[nu * nao + mu] = dsv;
                                dh0[mu * nao + nu] = h;
                                dh0[nu * nao + mu] = h;
                            }
                    }
                }
            }
        }
        double g = calc.coulombExponent();
        Gfn1Basis.Shell[] shells = basis.shells;
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) {
                int a = shells[i].atom(), b = shells[j].atom();
                if (a == b || (a != atom && b != atom)) continue;
                double r = Gfn1Calculator.distance(xyz, a, b);
                double drdq = (a == atom ? 1 : -1) * (xyz[3 * a + k] - xyz[3 * b + k]) / r;
                double gam = st.gamma()[i * nsh + j];
                dgamma[i * nsh + j] = -Math.pow(r, g - 1) * Math.pow(gam, g + 1) * drdq;
            }
        return new Explicit(ds, dh0, dgamma);
    }

    /** The derivatives of F, P, S, W and the shell charges along coordinate q (per bohr). Thread-safe. */
    public Column column(int q) {
        if (q < 0 || q >= 3 * nat) throw new IllegalArgumentException("coordinate " + q + " outside 0.." + (3 * nat - 1));
        Explicit ex = explicit(q);
        double[] dvExplicit = new double[nsh];
        double[] qq = st.q();
        for (int i = 0; i < nsh; i++) {
            double v = 0;
            for (int j = 0; j < nsh; j++) v += ex.dgamma()[i * nsh + j] * qq[j];
            dvExplicit[i] = v;
        }
        // the response at fixed charges, then the charge change it causes, relaxed through (1 - chi M)^-1
        double[] f0 = fockDerivative(ex, dvExplicit);
        DMatrixRMaj f0Mo = toMo(f0), sMo = toMo(ex.ds());
        double[] dq0 = chargesOfMo(moResponse(f0Mo, sMo, false)[0]);
        double[] pds = mullikenOfDs(ex.ds());
        for (int i = 0; i < nsh; i++) dq0[i] -= pds[i];
        double[] dq = new double[nsh];
        for (int i = 0; i < nsh; i++) {
            double v = 0;
            for (int j = 0; j < nsh; j++) v += responseInverse[i * nsh + j] * dq0[j];
            dq[i] = v;
        }
        double[] dvRelax = new double[nsh];
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) dvRelax[i] += chargeHessian[i * nsh + j] * dq[j];
        DMatrixRMaj fMo = f0Mo.copy();
        CommonOps_DDRM.addEquals(fMo, potentialMo(dvRelax));
        double[] df = f0;
        double[] relax = potentialTerm(dvRelax);
        for (int k = 0; k < df.length; k++) df[k] += relax[k];
        DMatrixRMaj[] pw = moResponse(fMo, sMo, true);
        return new Column(q, df, toAo(pw[0]), ex.ds(), toAo(pw[1]), dq);
    }

    /** sum_{mu in s} (P dS)_mu,mu per shell. */
    private double[] mullikenOfDs(double[] ds) {
        double[] out = new double[nsh];
        double[] p = st.result().density();
        int[] sh = st.shellOfAo();
        for (int mu = 0; mu < nao; mu++) {
            double v = 0;
            for (int nu = 0; nu < nao; nu++) v += p[mu * nao + nu] * ds[nu * nao + mu];
            out[sh[mu]] += v;
        }
        return out;
    }

    /** dH0 - 1/2 dS (V_m + V_n) - 1/2 S (dV_m + dV_n). */
    private double[] fockDerivative(Explicit ex, double[] dv) {
        double[] out = potentialTerm(dv);
        double[] v = st.v(), ds = ex.ds(), dh0 = ex.dh0();
        int[] sh = st.shellOfAo();
        for (int mu = 0; mu < nao; mu++)
            for (int nu = 0; nu < nao; nu++)
                out[mu * nao + nu] += dh0[mu * nao + nu] - 0.5 * ds[mu * nao + nu] * (v[sh[mu]] + v[sh[nu]]);
        return out;
    }

    /**
     * The vector-Jacobian product: sum over F, P, S, W of <G_X, dX/dR_q> for every coordinate q,
     * from one adjoint pass through the response (each linear step of {@link #column} transposed)
     * and then, per coordinate, only the explicit derivatives' contraction with the adjoint
     * matrices. Per bohr. The G's are dense nao x nao (only their symmetric parts matter).
     */
    public double[] vjp(double[] gF, double[] gP, double[] gS, double[] gW) {
        double[] sF = symmetric(gF), sP = symmetric(gP), sS = symmetric(gS), sW = symmetric(gW);
        double[] eps = st.eps();
        // final response: P' = R_P(F', S'), W' = R_W(F', S'); dP = C P' C^T, dW = C W' C^T
        DMatrixRMaj pBar = toMo(sP), wBar = toMo(sW);
        DMatrixRMaj fBar = new DMatrixRMaj(nao, nao), sBar = new DMatrixRMaj(nao, nao);
        responseAdjoint(pBar, wBar, fBar, sBar);
        // F' = F'_0 + Pi(dv_relax) and dF = f0 + T(dv_relax): the relaxation potential's adjoint
        double[] xBar = toAo(fBar);
        for (int k = 0; k < xBar.length; k++) xBar[k] += sF[k];
        double[] vRelaxBar = potentialAdjoint(xBar);
        double[] qBar = new double[nsh], q0Bar = new double[nsh];
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) qBar[i] += chargeHessian[j * nsh + i] * vRelaxBar[j];
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) q0Bar[i] += responseInverse[j * nsh + i] * qBar[j];
        // dq0 = -sum_{mu in s} (C P'_0 C^-1)_mu,mu - sum_{mu in s} (P dS)_mu,mu
        int[] sh = st.shellOfAo();
        double[] p = st.result().density(), s = st.s();
        DMatrixRMaj dsc = new DMatrixRMaj(nao, nao); // diag(q0Bar) S C
        DMatrixRMaj sc = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.mult(new DMatrixRMaj(nao, nao, true, s), c, sc);
        for (int mu = 0; mu < nao; mu++) {
            double d = q0Bar[sh[mu]];
            for (int i = 0; i < nao; i++) dsc.data[mu * nao + i] = d * sc.data[mu * nao + i];
        }
        DMatrixRMaj p0Bar = new DMatrixRMaj(nao, nao);
        CommonOps_DDRM.multTransA(c, dsc, p0Bar);
        symmetrizeScaled(p0Bar, -1);
        double[] dsBar = new double[nao * nao];
        for (int mu = 0; mu < nao; mu++) {
            double d = q0Bar[sh[mu]];
            for (int nu = 0; nu < nao; nu++) dsBar[nu * nao + mu] -= d * p[mu * nao + nu];
        }
        // P'_0 = R_P(F'_0, S')
        DMatrixRMaj f0Bar = fBar; // F'_0 receives F-bar of the final response and of P'_0
        responseAdjoint(p0Bar, null, f0Bar, sBar);
        double[] f0BarAo = toAo(f0Bar);
        for (int k = 0; k < f0BarAo.length; k++) f0BarAo[k] += sF[k];
        double[] sBarAo = toAo(sBar);
        // f0 = dH0 - 1/2 dS o (V + V) - 1/2 S o (dV_exp + dV_exp); dV_exp = d gamma q
        double[] v = st.v();
        double[] h0Bar = f0BarAo;
        for (int mu = 0; mu < nao; mu++)
            for (int nu = 0; nu < nao; nu++) {
                int k = mu * nao + nu;
                dsBar[k] += sBarAo[k] + sS[k] - 0.5 * f0BarAo[k] * (v[sh[mu]] + v[sh[nu]]);
            }
        double[] vExpBar = potentialAdjoint(f0BarAo);
        double[] gammaBar = new double[nsh * nsh];
        double[] qq = st.q();
        for (int i = 0; i < nsh; i++)
            for (int j = 0; j < nsh; j++) gammaBar[i * nsh + j] = vExpBar[i] * qq[j];
        double[] dsSym = symmetric(dsBar);
        double[] out = new double[3 * nat];
        for (int q = 0; q < 3 * nat; q++) {
            Explicit ex = explicit(q);
            double e = 0;
            for (int k = 0; k < nao * nao; k++) e += h0Bar[k] * ex.dh0()[k] + dsSym[k] * ex.ds()[k];
            for (int k = 0; k < nsh * nsh; k++) e += gammaBar[k] * ex.dgamma()[k];
            out[q] = e;
        }
        return out;
    }

    /**
     * Adds the adjoint of (F', S') -> (P', W') = (F' o D[f] - S' o D[ef] - diag(dmu f'),
     * F' o D[ef] - S' o D[e^2 f] - diag(dmu f' e)) to fBar and sBar, for output adjoints pBar and
     * wBar (wBar may be null).
     */
    private void responseAdjoint(DMatrixRMaj pBar, DMatrixRMaj wBar, DMatrixRMaj fBar, DMatrixRMaj sBar) {
        double[] eps = st.eps();
        double[] pb = pBar.data, wb = wBar == null ? null : wBar.data, fb = fBar.data, sb = sBar.data;
        for (int k = 0; k < nao * nao; k++) {
            fb[k] += pb[k] * d1[k] + (wb == null ? 0 : wb[k] * d2[k]);
            sb[k] -= pb[k] * d2[k] + (wb == null ? 0 : wb[k] * d3[k]);
        }
        double lamA = 0, lamB = 0, denA = 0, denB = 0;
        for (int i = 0; i < nao; i++) {
            double t = pb[i * nao + i] + (wb == null ? 0 : wb[i * nao + i] * eps[i]);
            lamA -= t * fpA[i];
            lamB -= t * fpB[i];
            denA += fpA[i];
            denB += fpB[i];
        }
        for (int i = 0; i < nao; i++) {
            double g = (denA != 0 ? lamA * fpA[i] / denA : 0) + (denB != 0 ? lamB * fpB[i] / denB : 0);
            fb[i * nao + i] += g;
            sb[i * nao + i] -= g * eps[i];
        }
    }

    /** The adjoint of T(v) = -1/2 S o (v_m + v_n) for a symmetric AO matrix xBar: -sum_{mu in t} sum_nu xBar S. */
    private double[] potentialAdjoint(double[] xBar) {
        double[] out = new double[nsh];
        double[] s = st.s();
        int[] sh = st.shellOfAo();
        for (int mu = 0; mu < nao; mu++) {
            double r = 0;
            for (int nu = 0; nu < nao; nu++) r += xBar[mu * nao + nu] * s[mu * nao + nu];
            out[sh[mu]] -= r;
        }
        return out;
    }

    private double[] symmetric(double[] g) {
        double[] out = new double[nao * nao];
        for (int i = 0; i < nao; i++)
            for (int j = 0; j < nao; j++) out[i * nao + j] = 0.5 * (g[i * nao + j] + g[j * nao + i]);
        return out;
    }

    private void symmetrizeScaled(DMatrixRMaj x, double scale) {
        double[] d = x.data;
        for (int i = 0; i < nao; i++)
            for (int j = 0; j <= i; j++) {
                double v = 0.5 * scale * (d[i * nao + j] + d[j * nao + i]);
                d[i * nao + j] = v;
                d[j * nao + i] = v;
            }
    }

    /** d E_el / d R, Hartree per bohr, [3 N]. */
    public double[] energyGradient() {
        double[] out = new double[3 * nat];
        double[] p = st.result().density(), w = st.result().energyWeighted(), v = st.v(), qq = st.q();
        int[] sh = st.shellOfAo();
        for (int q = 0; q < 3 * nat; q++) {
            Explicit ex = explicit(q);
            double e = 0;
            for (int mu = 0; mu < nao; mu++)
                for (int nu = 0; nu < nao; nu++) {
                    int k = mu * nao + nu;
                    e += p[k] * ex.dh0()[k] - w[k] * ex.ds()[k] - 0.5 * p[k] * ex.ds()[k] * (v[sh[mu]] + v[sh[nu]]);
                }
            double eg = 0;
            for (int i = 0; i < nsh; i++)
                for (int j = 0; j < nsh; j++) eg += qq[i] * ex.dgamma()[i * nsh + j] * qq[j];
            out[q] = e + 0.5 * eg;
        }
        return out;
    }
}
