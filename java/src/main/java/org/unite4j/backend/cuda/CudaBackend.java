package org.unite4j.backend.cuda;

import static jcuda.driver.JCudaDriver.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;

/**
 * The CUDA device the library runs on: JCuda driver API, the device's primary context, the
 * unite4j kernel module (the sm_90 cubin on compute capability 9.0, else the compute_80 PTX,
 * JIT-compiled by the driver) and a caching {@link DeviceMemoryPool}.
 *
 * <p>{@link #isAvailable()} never throws: without a driver, a device or the built kernels it is
 * false and {@link #unavailableReason()} says why ("kernels not built", "no CUDA driver", ...).
 * Device 0 is used unless the system property {@code unite.cuda.device} names another; the
 * property {@code unite.cuda.ptx=true} forces the PTX path even where the cubin fits.
 */
public final class CudaBackend implements KernelLauncher {
    public static final String RESOURCE_DIR = "/org/unite4j/cuda/";
    public static final String PTX_RESOURCE = RESOURCE_DIR + "unite4j_kernels.ptx";
    public static final String CUBIN_RESOURCE = RESOURCE_DIR + "unite4j_kernels.sm_90.cubin";

    private static volatile CudaBackend instance;
    private static volatile String reason;
    private static boolean probed;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final DeviceMemoryPool pool = new DeviceMemoryPool(this);
    private final int ordinal, ccMajor, ccMinor, smCount, driverVersion;
    private final long totalMemory;
    private final String name, moduleKind;

    private CudaBackend(int ordinal) {
        this.ordinal = ordinal;
        CudaException.check(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        CudaException.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        CudaException.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
        byte[] nm = new byte[256];
        CudaException.check(cuDeviceGetName(nm, nm.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < nm.length && nm[len] != 0) len++;
        name = new String(nm, 0, len, StandardCharsets.US_ASCII);
        ccMajor = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        ccMinor = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        smCount = attr(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        long[] tot = new long[1];
        CudaException.check(cuDeviceTotalMem(tot, device), "cuDeviceTotalMem");
        totalMemory = tot[0];
        int[] dv = new int[1];
        CudaException.check(cuDriverGetVersion(dv), "cuDriverGetVersion");
        driverVersion = dv[0];

        byte[] cubin = ccMajor == 9 && ccMinor == 0 && !Boolean.getBoolean("unite.cuda.ptx") ? resource(CUBIN_RESOURCE) : null;
        if (cubin != null) {
            CudaException.check(cuModuleLoadData(module, cubin), "cuModuleLoadData(" + CUBIN_RESOURCE + ")");
            moduleKind = "cubin sm_90";
        } else {
            byte[] ptx = resource(PTX_RESOURCE);
            if (ptx == null) throw new CudaException("kernels not built (no " + PTX_RESOURCE + " on the class path)");
            byte[] z = Arrays.copyOf(ptx, ptx.length + 1); // NUL-terminated for the driver
            int rc = cuModuleLoadData(module, z);
            CudaException.check(rc, "cuModuleLoadData(" + PTX_RESOURCE + ", JIT for sm_" + ccMajor + ccMinor
                    + "; PTX from nvcc 13 needs a driver >= 580, found " + versionString(driverVersion) + ")");
            moduleKind = "PTX compute_80 (JIT for sm_" + ccMajor + ccMinor + ")";
        }
        for (String k : CudaKernels.KERNEL_NAMES) {
            CUfunction f = new CUfunction();
            CudaException.check(cuModuleGetFunction(f, module, k), "cuModuleGetFunction(" + k + ")");
            functions.put(k, f);
        }
    }

    private int attr(int a) {
        int[] v = new int[1];
        CudaException.check(cuDeviceGetAttribute(v, a, device), "cuDeviceGetAttribute(" + a + ")");
        return v[0];
    }

    static byte[] resource(String path) {
        try (InputStream in = CudaBackend.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + path, e);
        }
    }

    /** True where the kernels were built and were found on the class path. */
    public static boolean kernelsBuilt() {
        return CudaBackend.class.getResource(PTX_RESOURCE) != null;
    }

    private static synchronized void probe() {
        if (probed) return;
        probed = true;
        if (!kernelsBuilt()) {
            reason = "kernels not built (nvcc was not found when unite4j was built; see cuda/build-kernels.sh)";
            return;
        }
        try {
            setExceptionsEnabled(false);
        } catch (Throwable t) {
            reason = "no CUDA driver: the JCuda driver binding could not load (" + firstLine(t) + ")";
            return;
        }
        try {
            int rc = cuInit(0);
            if (rc != 0) {
                reason = "no CUDA device: cuInit failed with " + CudaException.errorName(rc);
                return;
            }
            int[] n = new int[1];
            rc = cuDeviceGetCount(n);
            if (rc != 0 || n[0] == 0) {
                reason = "no CUDA device (cuDeviceGetCount: " + (rc != 0 ? CudaException.errorName(rc) : "0 devices") + ")";
                return;
            }
            int ord = Integer.getInteger("unite.cuda.device", 0);
            if (ord < 0 || ord >= n[0]) {
                reason = "unite.cuda.device=" + ord + " but the machine has " + n[0] + " CUDA device(s)";
                return;
            }
            instance = new CudaBackend(ord);
        } catch (CudaException e) {
            reason = e.getMessage();
        } catch (Throwable t) {
            reason = "CUDA initialization failed: " + firstLine(t);
        }
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int i = m.indexOf('\n');
        return i < 0 ? m : m.substring(0, i);
    }

    /** Whether a CUDA device with the unite4j kernels can be used. Never throws. */
    public static boolean isAvailable() {
        probe();
        return instance != null;
    }

    /** Why {@link #isAvailable()} is false; null when it is true. */
    public static String unavailableReason() {
        probe();
        return instance != null ? null : reason;
    }

    /** The backend, or a {@link CudaException} with the reason it is unavailable. */
    public static CudaBackend get() {
        probe();
        if (instance == null) throw new CudaException("CUDA backend unavailable: " + reason);
        return instance;
    }

    /** Makes the primary context current on the calling thread. */
    public void makeCurrent() {
        CudaException.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    CUfunction function(String kernel) {
        CUfunction f = functions.get(kernel);
        if (f == null) throw new IllegalArgumentException("unknown kernel " + kernel);
        return f;
    }

    /**
     * Launches {@code kernel} on a 1-D grid. Arguments: {@link DeviceBuffer} (its address),
     * {@link Ptr} (a raw device address), Integer (int), Long (64-bit int), Float.
     * A launch with no blocks is skipped.
     */
    @Override
    public void launch(String kernel, LaunchConfig cfg, CUstream stream, Object... args) {
        if (cfg.gridX() == 0) return;
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof DeviceBuffer b) ps[i] = Pointer.to(b.ptr());
            else if (a instanceof Ptr p) ps[i] = Pointer.to(Jcu.devicePtr(p.address()));
            else if (a instanceof Integer v) ps[i] = Pointer.to(new int[] {v});
            else if (a instanceof Long v) ps[i] = Pointer.to(new long[] {v});
            else if (a instanceof Float v) ps[i] = Pointer.to(new float[] {v});
            else throw new IllegalArgumentException("kernel argument " + i + " of " + kernel + ": unsupported " + a);
        }
        makeCurrent();
        long t0 = CudaProfile.enabled() ? CudaProfile.begin(this) : 0;
        CudaException.check(cuLaunchKernel(function(kernel), (int) cfg.gridX(), 1, 1, cfg.blockX(), 1, 1, cfg.sharedBytes(), stream,
                Pointer.to(ps), null), "cuLaunchKernel(" + kernel + ", grid " + cfg.gridX() + ", block " + cfg.blockX() + ")");
        if (CudaProfile.enabled()) CudaProfile.end(this, kernel, t0);
    }

    /** A raw device address as a kernel argument. */
    record Ptr(long address) {}

    /** Waits for all work on the device; reports errors of earlier asynchronous launches. */
    public void synchronize() {
        makeCurrent();
        CudaException.check(cuCtxSynchronize(), "cuCtxSynchronize (an earlier kernel failed, or this wait did)");
    }

    public DeviceMemoryPool pool() {
        return pool;
    }

    public DeviceBuffer allocate(long bytes) {
        return pool.allocate(bytes);
    }

    @Override
    public DeviceBuffer allocateFloats(long n) {
        return pool.allocate(4 * n);
    }

    public DeviceBuffer upload(float[] a) {
        return allocateFloats(a.length).upload(a);
    }

    @Override
    public DeviceBuffer upload(int[] a) {
        return allocateFloats(a.length).upload(a);
    }

    public String deviceName() { return name; }
    public int ordinal() { return ordinal; }
    public int computeCapabilityMajor() { return ccMajor; }
    public int computeCapabilityMinor() { return ccMinor; }
    public int multiprocessorCount() { return smCount; }
    public long totalMemory() { return totalMemory; }
    public int driverVersion() { return driverVersion; }
    /** Which kernel image was loaded: the cubin or the JIT-compiled PTX. */
    public String moduleKind() { return moduleKind; }

    static String versionString(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }

    /** One line: device, compute capability, SMs, memory, driver (CUDA version), kernel image. */
    public String describe() {
        return name + " (sm_" + ccMajor + ccMinor + ", " + smCount + " SMs, " + (totalMemory >> 20) + " MiB, driver CUDA "
                + versionString(driverVersion) + ", kernels: " + moduleKind + ")";
    }

    /** Names of all kernels this backend loads (see {@link CudaKernels#KERNEL_NAMES}). */
    public static List<String> kernelNames() {
        return CudaKernels.KERNEL_NAMES;
    }
}
