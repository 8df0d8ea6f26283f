package org.unite4j.chem.xtb;

import org.unite4j.chem.Elements;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.FrameReader;
import org.unite4j.chem.io.MoleculeReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test molecules (GFN1-xTB optimized geometries, Angstrom) and small geometry helpers. */
public final class XtbTestMolecules {
    private XtbTestMolecules() {
    }

    public static Molecule parse(String name, String xyzBody) {
        List<Integer> z = new ArrayList<>();
        List<Double> r = new ArrayList<>();
        for (String line : xyzBody.strip().split("\n")) {
            String[] t = line.strip().split("\\s+");
            z.add(Elements.number(t[0]));
            for (int k = 1; k <= 3; k++) r.add(Double.parseDouble(t[k]));
        }
        return new Molecule(z.stream().mapToInt(Integer::intValue).toArray(),
                r.stream().mapToDouble(Double::doubleValue).toArray(), 0, 1, name, null);
    }

    public static Molecule water() {
        return parse("water", """
                O   0.000000   0.000000   0.117790
                H   0.000000   0.755453  -0.471161
                H   0.000000  -0.755453  -0.471161
                """);
    }

    /** H, C, N, O, F, S, Cl, Br in one molecule (BrC(Cl)(F)C(=O)NHSH). */
    public static Molecule mixed() {
        return parse("BrClFC-C(=O)-NH-SH", """
                C           -0.07841079096660       -0.01667492180261       -0.05215527741291
                Br           1.86099807059938       -0.14792749885633        0.16463026003183
                Cl          -0.60177963788556        1.62916442084618       -0.28968177354850
                F           -0.63832511771472       -0.48719868391365        1.08431533311890
                C           -0.48971071551216       -0.90843231405961       -1.23130022575074
                O           -0.21549388437940       -0.61864131364896       -2.37744786675943
                N           -1.13089886924618       -2.01679755778305       -0.85434174896206
                S           -1.72035068056474       -3.16370608016921       -2.01831285934230
                H           -1.38445802490940       -2.19657297218139        0.10293547933468
                H           -1.22157034942061       -2.47321307843138       -3.03864132070938
                """);
    }

    /** Fe(CO)5: a transition metal, whose shells come d first (3d, 4s, 4p). */
    public static Molecule ironPentacarbonyl() {
        return parse("Fe(CO)5", """
                Fe          -0.00001590382042       -0.00000000012220        0.00000013277970
                C           -0.00001242269614        0.00000000009825        1.77266733323431
                O           -0.00000288674604        0.00000000044755        2.91074118363191
                C           -0.00001238379564        0.00000000009991       -1.77266709523667
                O           -0.00000286397741        0.00000000045170       -2.91074094892124
                C            1.79202462119364       -0.00000000011034       -0.00000005064435
                O            2.93295776017608       -0.00000000020813       -0.00000018483733
                C           -0.89601768560066        1.55196572443067       -0.00000004098660
                O           -1.46645027456589        2.54006264251732       -0.00000014401960
                C           -0.89601768555600       -1.55196572462048       -0.00000004098642
                O           -1.46645027461153       -2.54006264298425       -0.00000014401373
                """);
    }

    /** P, Si, I, Li (and H). */
    public static Molecule phosphorusSiliconIodineLithium() {
        return parse("PH2-SiH2I + LiH", """
                P            0.38613307892763        0.13758853795967        0.03347884643576
                H            1.60517677611693        0.12840478373375       -0.64354862683331
                H            0.01349282186399        1.35669349438604       -0.53195092137178
                Si          -0.71030221572585       -1.14567850399010       -1.42275200123067
                H           -0.25898009010697       -2.51365998378412       -1.19359913106643
                H           -2.11729790123227       -1.09835196876168       -1.04089008673778
                I           -0.48035171671710       -0.58829638511699       -3.78195061703771
                Li           1.13316023903174        0.97216542363708        2.07752322931834
                H            1.91896900784159        2.03113460193655        2.70368930852373
                """);
    }

    /** A random proper rotation (uniform quaternion). */
    public static double[][] randomRotation(Random rnd) {
        double[] q = new double[4];
        double n = 0;
        for (int i = 0; i < 4; i++) { q[i] = rnd.nextGaussian(); n += q[i] * q[i]; }
        n = Math.sqrt(n);
        double w = q[0] / n, x = q[1] / n, y = q[2] / n, z = q[3] / n;
        return new double[][]{
                {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
                {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
                {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)}};
    }

    /** The first {@code max} molecules of a file (through the project's reader). */
    public static List<Molecule> readExtxyz(Path file, int max) throws IOException {
        List<Molecule> out = new ArrayList<>();
        try (FrameReader r = MoleculeReader.open(file)) {
            while (r.hasNext() && out.size() < max) out.add(r.next().molecule());
        }
        return out;
    }

    public static Path sharedData(String rel) {
        return Path.of(System.getProperty("unite.shared.dir", "../../shared")).resolve("data").resolve(rel);
    }
}
