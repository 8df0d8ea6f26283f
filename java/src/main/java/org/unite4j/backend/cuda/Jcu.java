package org.unite4j.backend.cuda;

import java.lang.reflect.Field;
import jcuda.NativePointerObject;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * Conversions between JCuda handle objects and raw addresses (JCuda keeps its handle field
 * private), so that device pointers and streams owned by other frameworks can be passed as longs.
 */
final class Jcu {
    private static final Field NATIVE;

    static {
        try {
            NATIVE = NativePointerObject.class.getDeclaredField("nativePointer");
            NATIVE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Jcu() {}

    /** A CUdeviceptr holding the raw device address (byte offset 0). */
    static CUdeviceptr devicePtr(long address) {
        CUdeviceptr p = new CUdeviceptr();
        set(p, address);
        return p;
    }

    /** A CUstream for a raw stream handle; 0 gives {@code null} (the legacy default stream). */
    static CUstream stream(long handle) {
        if (handle == 0) return null;
        CUstream s = new CUstream();
        set(s, handle);
        return s;
    }

    /** The raw handle held by a JCuda object (e.g. a CUdeviceptr filled by cuMemAlloc). */
    static long nativeOf(NativePointerObject o) {
        try {
            return NATIVE.getLong(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read a JCuda handle", e);
        }
    }

    private static void set(NativePointerObject o, long v) {
        try {
            NATIVE.setLong(o, v);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set a JCuda handle", e);
        }
    }
}
