package org.unite4j.data;

import java.util.List;
import org.unite4j.chem.Units;
import org.unite4j.chem.xtb.XtbBasisSet;
import org.unite4j.chem.xtb.XtbMethod;
import org.unite4j.irreps.Irreps;
import org.unite4j.tensor.IrrepDecomposition;

/**
 * Several featurized molecules joined into one disjoint graph, with segment pointers from atoms
 * to molecules, and their operator blocks decomposed into irreps (DESIGN.md section 4, step 1):
 * t_{AB; s1 s2; L}[M] = sum_{m1 m2} C^{L M}_{l1 m1 l2 m2} T_{A s1 m1, B s2 m2} for every operator.
 *
 * <p>Feature layout (ir_mul): the four operators' decompositions are merged block by block, so
 * irrep block i of {@link #featureIrreps} has 4 * mul_i channels and the value of operator o,
 * channel u, component M sits at {@code offset(i) + M * 4 mul_i + o * mul_i + u}. Node features are
 * the diagonal blocks t_AA; edges are the kept off-diagonal pairs (A receives from B), sorted by
 * receiver (CSR), numbered globally. Positions are in bohr, centered per molecule on the centroid
 * r_c (so sum_A q_A (r_A - r_c) is the charge dipole). Work is linear in the kept pairs.
 */
public final class GraphBatch {
    public final int numMolecules;
    public final int numAtoms;
    public final int numEdges;
    /** Atoms of molecule m: molPtr[m] .. molPtr[m+1]-1. */
    public final int[] molPtr;
    /** Molecule of every atom. */
    public final int[] atomMolecule;
    public final int[] atomicNumbers;
    /** r_A - r_c in bohr, [atom][3]. */
    public final double[] centeredBohr;
    /** Total charge of every molecule. */
    public final double[] charges;
    /** The featurizing method's energies, Hartree. */
    public final double[] referenceEnergy;
    /** Edges of receiver a: rowPtr[a] .. rowPtr[a+1]-1; sender of edge k: sender[k]. */
    public final int[] rowPtr;
    public final int[] sender;
    /** |r_A - r_B| in Angstrom per edge. */
    public final double[] edgeLength;
    /** [atoms][featureDim] diagonal decompositions. */
    public final double[] nodeFeatures;
    /** [edges][featureDim] pair decompositions. */
    public final double[] edgeFeatures;
    public final int featureDim;
    private final List<MolecularGraph> mols;
    private final IrrepDecomposition dec;

    private GraphBatch(List<MolecularGraph> mols, IrrepDecomposition dec) {
        this.mols = List.copyOf(mols);
        this.dec = dec;
        numMolecules = mols.size();
        int n = 0, e = 0;
        for (MolecularGraph g : mols) {
            n += g.numAtoms();
            e += g.numEdges();
        }
        numAtoms = n;
        numEdges = e;
        featureDim = MolecularGraph.OPERATORS.size() * dec.dim(); // decomposeMerged writes one copy per operator
        molPtr = new int[numMolecules + 1];
        atomMolecule = new int[n];
        atomicNumbers = new int[n];
        centeredBohr = new double[3 * n];
        charges = new double[numMolecules];
        referenceEnergy = new double[numMolecules];
        rowPtr = new int[n + 1];
        sender = new int[e];
        edgeLength = new double[e];
        nodeFeatures = new double[n * featureDim];
        edgeFeatures = new double[e * featureDim];
        int a0 = 0, k = 0;
        for (int m = 0; m < numMolecules; m++) {
            MolecularGraph g = mols.get(m);
            molPtr[m + 1] = molPtr[m] + g.numAtoms();
            charges[m] = g.charge();
            referenceEnergy[m] = g.referenceEnergy();
            double[] c = new double[3];
            for (int a = 0; a < g.numAtoms(); a++) for (int q = 0; q < 3; q++) c[q] += g.position(a, q) / g.numAtoms();
            for (int a = 0; a < g.numAtoms(); a++) {
                int ga = a0 + a;
                atomMolecule[ga] = m;
                atomicNumbers[ga] = g.atomicNumber(a);
                for (int q = 0; q < 3; q++)
                    centeredBohr[3 * ga + q] = (g.position(a, q) - c[q]) * Units.ANGSTROM_IN_BOHR;
                for (int p = g.rowStart(a); p < g.rowEnd(a); p++) {
                    int b = g.partner(p);
                    double[] out;
                    int base;
                    if (b == a) {
                        out = nodeFeatures;
                        base = ga * featureDim;
                    } else {
                        out = edgeFeatures;
                        base = k * featureDim;
                        sender[k] = a0 + b;
                        double d2 = 0;
                        for (int q = 0; q < 3; q++) {
                            double d = g.position(a, q) - g.position(b, q);
                            d2 += d * d;
                        }
                        edgeLength[k] = Math.sqrt(d2);
                        k++;
                    }
                    dec.decomposeMerged(g.basis(), new int[]{a, b}, g.blocks(p), out, base);
                }
                rowPtr[ga + 1] = k;
            }
            a0 += g.numAtoms();
        }
    }

    /**
     * Per molecule, dL/d(block values) in {@link MolecularGraph#blockValues()}'s layout from the
     * gradients of the node and edge feature rows ([atoms][featureDim], [edges][featureDim]), by the
     * adjoint of the decomposition.
     */
    public double[][] blockGradients(double[] gNode, double[] gEdge) {
        if (gNode.length != nodeFeatures.length || gEdge.length != edgeFeatures.length)
            throw new IllegalArgumentException("blockGradients: gradients of " + gNode.length + " node and " + gEdge.length
                    + " edge values for a batch of " + nodeFeatures.length + " and " + edgeFeatures.length);
        int ops = MolecularGraph.OPERATORS.size();
        double[][] out = new double[numMolecules][];
        int a0 = 0, k = 0;
        for (int m = 0; m < numMolecules; m++) {
            MolecularGraph g = mols.get(m);
            double[] gb = new double[g.numBlockValues()];
            for (int a = 0; a < g.numAtoms(); a++)
                for (int p = g.rowStart(a); p < g.rowEnd(a); p++) {
                    int b = g.partner(p);
                    double[][] x = b == a ? dec.decomposeMergedAdjoint(g.basis(), new int[]{a, b}, gNode, (a0 + a) * featureDim, ops)
                            : dec.decomposeMergedAdjoint(g.basis(), new int[]{a, b}, gEdge, k++ * featureDim, ops);
                    int pos = g.blockOffset(p);
                    for (double[] blk : x) {
                        System.arraycopy(blk, 0, gb, pos, blk.length);
                        pos += blk.length;
                    }
                }
            out[m] = gb;
            a0 += g.numAtoms();
        }
        return out;
    }

    /**
     * Per molecule, dL/dR (per Angstrom, [atom][3] flat) from dL/d(edge length): edge k from B to
     * A adds g_k (r_A - r_B) / |r_A - r_B| to A and its negative to B.
     */
    public double[][] positionGradients(double[] gEdgeLength) {
        if (gEdgeLength.length != numEdges)
            throw new IllegalArgumentException("positionGradients: " + gEdgeLength.length + " values for " + numEdges + " edges");
        double[][] out = new double[numMolecules][];
        int a0 = 0;
        for (int m = 0; m < numMolecules; m++) {
            MolecularGraph g = mols.get(m);
            double[] gr = new double[3 * g.numAtoms()];
            for (int a = 0; a < g.numAtoms(); a++)
                for (int k = rowPtr[a0 + a]; k < rowPtr[a0 + a + 1]; k++) {
                    int b = sender[k] - a0;
                    for (int q = 0; q < 3; q++) {
                        double d = gEdgeLength[k] * (g.position(a, q) - g.position(b, q)) / edgeLength[k];
                        gr[3 * a + q] += d;
                        gr[3 * b + q] -= d;
                    }
                }
            out[m] = gr;
            a0 += g.numAtoms();
        }
        return out;
    }

    /**
     * The change of every edge length for a displacement of all atoms (Angstrom, [atom][3] over
     * the batch): the transpose of {@link #positionGradients}.
     */
    public double[] edgeLengthChanges(double[] dR) {
        if (dR.length != 3 * numAtoms)
            throw new IllegalArgumentException("edgeLengthChanges: " + dR.length + " values for " + numAtoms + " atoms");
        double[] out = new double[numEdges];
        int a0 = 0;
        for (int m = 0; m < numMolecules; m++) {
            MolecularGraph g = mols.get(m);
            for (int a = 0; a < g.numAtoms(); a++)
                for (int k = rowPtr[a0 + a]; k < rowPtr[a0 + a + 1]; k++) {
                    int b = sender[k] - a0;
                    double s = 0;
                    for (int q = 0; q < 3; q++)
                        s += (g.position(a, q) - g.position(b, q)) / edgeLength[k] * (dR[3 * (a0 + a) + q] - dR[3 * (a0 + b) + q]);
                    out[k] = s;
                }
            a0 += g.numAtoms();
        }
        return out;
    }

    /** The molecules of this batch, in order. */
    public List<MolecularGraph> molecules() { return mols; }

    /** Batches molecules featurized with {@code method}; all must use it. */
    public static GraphBatch of(List<MolecularGraph> mols, XtbMethod method) {
        for (MolecularGraph g : mols)
            if (g.method() != method)
                throw new IllegalArgumentException("molecule featurized with " + g.method() + ", the model uses " + method);
        return new GraphBatch(mols, decomposition(method));
    }

    private static final java.util.Map<XtbMethod, IrrepDecomposition> DEC = new java.util.concurrent.ConcurrentHashMap<>();

    /** The pair decomposition of a method's padded shell slots (shared, immutable). */
    public static IrrepDecomposition decomposition(XtbMethod method) {
        return DEC.computeIfAbsent(method, mt -> new IrrepDecomposition(XtbBasisSet.slots(mt), 2));
    }

    /** The irreps of one merged node or edge feature row: every block of the decomposition with 4x the channels. */
    public static Irreps featureIrreps(XtbMethod method) {
        Irreps ir = decomposition(method).irreps();
        StringBuilder sb = new StringBuilder();
        for (Irreps.MulIrrep b : ir) {
            if (!sb.isEmpty()) sb.append('+');
            sb.append(MolecularGraph.OPERATORS.size() * b.mul()).append('x').append(b.ir());
        }
        return Irreps.parse(sb.toString());
    }
}
