package org.unite4j.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds backends through {@link ServiceLoader} (META-INF/services/org.unite4j.backend.Backend). */
public final class Backends {
    private static volatile List<Backend> all;

    private Backends() {
    }

    /** Every backend on the class path, available or not, in service-file order. */
    public static List<Backend> all() {
        List<Backend> a = all;
        if (a == null) {
            List<Backend> found = new ArrayList<>();
            for (ServiceLoader.Provider<Backend> p : ServiceLoader.load(Backend.class).stream().toList()) {
                try {
                    found.add(p.get());
                } catch (RuntimeException | LinkageError ex) {
                    // A backend whose native part cannot load is simply absent.
                }
            }
            all = a = List.copyOf(found);
        }
        return a;
    }

    /** The available backend with this name, or an IllegalArgumentException listing the choices. */
    public static Backend get(String name) {
        List<String> names = new ArrayList<>();
        for (Backend b : all()) {
            if (b.name().equalsIgnoreCase(name)) {
                if (!b.isAvailable()) {
                    throw new IllegalArgumentException("backend '" + name + "' is installed but not available here");
                }
                return b;
            }
            names.add(b.name());
        }
        throw new IllegalArgumentException("unknown backend '" + name + "' (installed: " + names + ")");
    }

    /** The CPU backend, the reference for every result. */
    public static Backend cpu() {
        return get("cpu");
    }
}
