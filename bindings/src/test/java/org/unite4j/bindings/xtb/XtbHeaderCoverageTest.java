package org.unite4j.bindings.xtb;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every function and constant declared in the installed {@code /usr/include/xtb.h} has a binding
 * in {@link xtb_h} with the header's number of parameters, and (where libxtb is installed) every
 * symbol resolves in the library.
 */
class XtbHeaderCoverageTest {
    static final Path HEADER = Path.of(System.getProperty("unite.xtb.header", "/usr/include/xtb.h"));

    /** name -> number of parameters, parsed from the header independently of the generator. */
    static Map<String, Integer> headerFunctions(String src) {
        String noComments = src.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
        Matcher m = Pattern.compile("(?s)XTB_API_CALL\\s+(xtb_\\w+)\\s*\\((.*?)\\)").matcher(noComments);
        Map<String, Integer> out = new LinkedHashMap<>();
        while (m.find()) {
            String params = m.group(2).strip();
            out.put(m.group(1), params.isEmpty() || params.equals("void") ? 0 : params.split(",").length);
        }
        return out;
    }

    @Test
    void everyHeaderFunctionHasABindingWithTheRightArity() throws Exception {
        Assumptions.assumeTrue(Files.exists(HEADER), "xtb.h not installed (apt-get install libxtb-dev)");
        Map<String, Integer> fns = headerFunctions(Files.readString(HEADER));
        assertTrue(fns.size() >= 30, "parsed only " + fns.size() + " functions from " + HEADER);
        List<String> missing = new ArrayList<>();
        for (var e : fns.entrySet()) {
            Method invoker = null;
            for (Method m : xtb_h.class.getMethods())
                if (m.getName().equals(e.getKey()) && Modifier.isStatic(m.getModifiers())) invoker = m;
            if (invoker == null) { missing.add(e.getKey()); continue; }
            assertEquals(e.getValue(), invoker.getParameterCount(), e.getKey() + " arity");
            FunctionDescriptor d = (FunctionDescriptor) xtb_h.class.getMethod(e.getKey() + "$descriptor").invoke(null);
            assertEquals(e.getValue(), d.argumentLayouts().size(), e.getKey() + " descriptor arity");
        }
        assertEquals(List.of(), missing, "functions of xtb.h without a binding");
    }

    @Test
    void headerConstantsAreBound() throws Exception {
        Assumptions.assumeTrue(Files.exists(HEADER), "xtb.h not installed");
        Matcher m = Pattern.compile("(?m)^\\s*#define\\s+(XTB_\\w+)\\s+(-?\\d+)\\s*$").matcher(Files.readString(HEADER));
        int n = 0;
        while (m.find()) {
            assertEquals(Integer.parseInt(m.group(2)), xtb_h.class.getMethod(m.group(1)).invoke(null), m.group(1));
            n++;
        }
        assertTrue(n >= 4, "expected the verbosity and version constants");
    }

    @Test
    void everySymbolResolvesAndTheApiVersionMatches() throws Exception {
        Assumptions.assumeTrue(Files.exists(HEADER), "xtb.h not installed");
        try {
            xtb_h.xtb_getAPIVersion$address();
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            Assumptions.abort("libxtb not loadable: " + e);
        }
        for (String f : headerFunctions(Files.readString(HEADER)).keySet()) {
            MemorySegment addr = (MemorySegment) xtb_h.class.getMethod(f + "$address").invoke(null);
            assertNotEquals(0L, addr.address(), f);
        }
        assertEquals(xtb_h.XTB_API_VERSION(), xtb_h.xtb_getAPIVersion());
    }
}
