package org.unite4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's API tour must be exactly the ApiTour program that ApiTourTest compiles and runs. */
class ReadmeApiTourTest {
    @Test
    void readmeBlockEqualsTheTestedProgram() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md")) || !Files.exists(root.resolve("tests"))) root = root.getParent();
        String readme = Files.readString(root.resolve("README.md"));
        int begin = readme.indexOf("<!-- api-tour:begin -->");
        int end = readme.indexOf("<!-- api-tour:end -->");
        assertTrue(begin >= 0 && end > begin, "README.md lacks the api-tour markers");
        String block = readme.substring(begin, end);
        int open = block.indexOf("```java\n") + "```java\n".length();
        int close = block.lastIndexOf("```");
        String program = Files.readString(root.resolve("tests/src/test/java/org/unite4j/examples/ApiTour.java"));
        assertEquals(program, block.substring(open, close),
                "README.md's API tour differs from ApiTour.java: copy the file into the README block");
    }
}
