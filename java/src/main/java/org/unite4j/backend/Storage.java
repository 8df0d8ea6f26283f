package org.unite4j.backend;

/**
 * A flat buffer of {@link #size()} elements of one {@link DType}, owned by one {@link Backend}.
 * Backends cast the storages they receive to their own implementation.
 */
public interface Storage {
    DType dtype();

    int size();

    Backend backend();
}
