package org.unite4j.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.gfn1.Gfn1Parameters;
import org.unite4j.chem.xtb.XtbEnvironment;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.model.TestMolecules;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analytic featurizer Jacobian equals the numerical one (central differences of 6N libxtb
 * single points) on libxtb's own features: the columns to 1e-6 of their largest entry, the xTB
 * gradient to 1e-6 Eh/A. Methanethiol is built with its C-S bond along y, the case where libxtb's
 * own analytic gradient is wrong.
 */
class AnalyticFeatureJacobianTest {
    @BeforeAll
    static void need() {
        Assumptions.assumeTrue(XtbEnvironment.isAvailable(), () -> "libxtb not available: " + XtbEnvironment.availabilityProblem().orElse(""));
        Assumptions.assumeTrue(Files.exists(Gfn1Parameters.defaultPath()), "no GFN1 parameter file");
    }

    @Test
    void equalsTheNumericalJacobian() {
        XtbFeaturizer x = new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250);
        for (Molecule m : new Molecule[]{TestMolecules.methanethiol(), TestMolecules.formamide()}) {
            MolecularGraph g = MolecularGraph.of(x.featurize(m), 12.0);
            FeatureJacobian.Jacobian a = new AnalyticFeatureJacobian().of(g), n = new NumericalFeatureJacobian().of(g);
            assertEquals(n.numCoordinates(), a.numCoordinates());
            assertEquals(n.numValues(), a.numValues());
            double d = 0, scale = 0;
            for (int q = 0; q < a.numCoordinates(); q++) {
                double[] ca = a.column(q), cn = n.column(q);
                for (int j = 0; j < ca.length; j++) {
                    d = Math.max(d, Math.abs(ca[j] - cn[j]));
                    scale = Math.max(scale, Math.abs(cn[j]));
                }
            }
            double dg = 0;
            double[] ga = a.referenceGradient(), gn = n.referenceGradient();
            for (int q = 0; q < ga.length; q++) dg = Math.max(dg, Math.abs(ga[q] - gn[q]));
            System.out.printf("%s: max |J_analytic - J_numerical| = %.2e of max |J| = %.2e; xTB gradient %.2e Eh/A%n",
                    m.name(), d, scale, dg);
            assertTrue(scale > 0.1, "a vacuous Jacobian");
            assertTrue(d < 1e-6 * scale, m.name() + ": Jacobians differ by " + d + " of " + scale);
            assertTrue(dg < 1e-6, m.name() + ": xTB gradients differ by " + dg + " Eh/A");
        }
    }

    @Test
    void kindChoosesAnalyticForGfn1AndRefusesItForGfn2() {
        assertInstanceOf(AnalyticFeatureJacobian.class, FeatureJacobian.forMethod(FeatureJacobian.Kind.AUTO, XtbMethod.GFN1, 1, null));
        assertInstanceOf(NumericalFeatureJacobian.class, FeatureJacobian.forMethod(FeatureJacobian.Kind.AUTO, XtbMethod.GFN2, 1, null));
        assertInstanceOf(NumericalFeatureJacobian.class, FeatureJacobian.forMethod(FeatureJacobian.Kind.NUMERICAL, XtbMethod.GFN1, 1, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureJacobian.forMethod(FeatureJacobian.Kind.ANALYTIC, XtbMethod.GFN2, 1, null));
        assertTrue(e.getMessage().contains("GFN1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureJacobian.Kind.parse("exact"));
    }

    @Test
    void singleAdjointPassEqualsTheFullJacobiansProduct() {
        MolecularGraph g = MolecularGraph.of(new XtbFeaturizer(XtbMethod.GFN1, 1e-4, 300, 250).featurize(TestMolecules.methanethiol()), 12.0);
        AnalyticFeatureJacobian a = new AnalyticFeatureJacobian(1);
        FeatureJacobian.Jacobian j = a.of(g);
        double[] v = new double[j.numValues()];
        java.util.Random rnd = new java.util.Random(8);
        for (int k = 0; k < v.length; k++) v[k] = rnd.nextGaussian();
        double[] full = j.vjp(v);
        FeatureJacobian.Product p = a.vjp(g, v);
        double d = 0, scale = 0;
        for (int q = 0; q < full.length; q++) {
            d = Math.max(d, Math.abs(full[q] - p.featureGradient()[q]));
            scale = Math.max(scale, Math.abs(full[q]));
        }
        assertTrue(scale > 0.1, "vacuous");
        assertTrue(d < 1e-10 * scale, "adjoint pass differs from J^T v by " + d + " of " + scale);
        assertArrayEquals(j.referenceGradient(), p.referenceGradient(), 1e-12);
    }
}
