package org.unite4j.backend.cuda;

import java.lang.ref.Cleaner;
import org.unite4j.backend.Backend;
import org.unite4j.backend.DType;
import org.unite4j.backend.Storage;

/**
 * A float32 storage of the "cuda" backend: a {@link DeviceBuffer} that goes back to the memory pool
 * when the storage becomes unreachable (work on it was queued on the default stream, so later reuse
 * is ordered after it).
 */
final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    private final DeviceBuffer buffer;
    private final int size;
    private final Backend owner;

    CudaStorage(DeviceBuffer buffer, int size, Backend owner) {
        this.buffer = buffer;
        this.size = size;
        this.owner = owner;
        CLEANER.register(this, buffer::close);
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Backend backend() {
        return owner;
    }
}
