package org.unite4j.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher must refuse a JDK older than 25 and say what to install, instead of failing later
 * in the build. Runs `unite --version` with JAVA_HOME and PATH pointing only at an old JDK and an
 * empty search path (so no build starts).
 */
class LauncherJdkTest {
    @Test
    void oldJdkOnlyGivesExitCode3AndInstallAdvice(@TempDir Path empty) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("unite")) || !Files.exists(root.resolve("pom.xml"))) root = root.getParent();
        Path jdk17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "no bash");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("unite").toString(), "--version");
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("HOME", empty.toString());
        env.put("UNITE_JDK_SEARCH", empty + "/*");
        // PATH: only the tools the launcher's JDK search uses (never /usr/bin, whose java may be anything)
        Path tools = Files.createDirectories(empty.resolve("tools"));
        for (String t : new String[]{"sed", "head", "readlink", "dirname", "cat"}) {
            Path real = Path.of("/usr/bin", t);
            assumeTrue(Files.isExecutable(real), "no " + real);
            Files.createSymbolicLink(tools.resolve(t), real);
        }
        String path = tools.toString();
        if (Files.isExecutable(jdk17.resolve("bin/java"))) {
            env.put("JAVA_HOME", jdk17.toString());
            path = jdk17.resolve("bin") + ":" + path;
        }
        env.put("PATH", path);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher hung");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("no JDK 25 or newer was found"), out);
        assertTrue(out.contains("temurin-25-jdk") && out.contains("JAVA_HOME"), out);
    }
}
