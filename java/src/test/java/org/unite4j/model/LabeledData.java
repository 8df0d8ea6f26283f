package org.unite4j.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.unite4j.chem.Molecule;
import org.unite4j.chem.io.ExtXyzWriter;
import org.unite4j.chem.xtb.XtbFeatures;
import org.unite4j.chem.xtb.XtbFeaturizer;
import org.unite4j.chem.xtb.XtbMethod;

/** Distorted conformers of small molecules labelled with GFN2-xTB energies (Eh) and dipoles (e*bohr). */
public final class LabeledData {
    private LabeledData() {
    }

    public static List<Molecule> conformers(int perMolecule, double amp, long seed) {
        Random rng = new Random(seed);
        XtbFeaturizer gfn2 = new XtbFeaturizer(XtbMethod.GFN2);
        List<Molecule> out = new ArrayList<>();
        for (Molecule base : List.of(TestMolecules.water(), TestMolecules.methanol(), TestMolecules.ammonia(), TestMolecules.formaldehyde()))
            for (int c = 0; c < perMolecule; c++) {
                Molecule m = TestMolecules.distorted(base, amp, rng);
                XtbFeatures f = gfn2.featurize(m);
                Map<String, String> info = new LinkedHashMap<>();
                info.put("energy_gfn2", Double.toString(f.energy()));
                info.put("dipole_gfn2", f.dipole()[0] + " " + f.dipole()[1] + " " + f.dipole()[2]);
                out.add(new Molecule(m.atomicNumbers(), m.positions(), 0, 1, base.name(), info));
            }
        return out;
    }

    public static Path write(Path file, int perMolecule, double amp, long seed) throws IOException {
        ExtXyzWriter.writeMolecules(file, conformers(perMolecule, amp, seed));
        return file;
    }
}
