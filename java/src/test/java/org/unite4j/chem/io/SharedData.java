package org.unite4j.chem.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data: the system property unite.shared.dir, else a "shared" folder above the working directory. */
final class SharedData {
    private SharedData() {
    }

    static Path data() {
        String prop = System.getProperty("unite.shared.dir");
        if (prop != null && Files.isDirectory(Path.of(prop, "data"))) return Path.of(prop, "data").normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isDirectory(p.resolve("shared/data"))) return p.resolve("shared/data");
        assumeTrue(false, "shared data folder not found (unite.shared.dir=" + prop + "); skipping");
        return null;
    }

    static Path file(String rel) {
        Path p = data().resolve(rel);
        assumeTrue(Files.isRegularFile(p), "shared data file " + p + " missing; skipping");
        return p;
    }
}
