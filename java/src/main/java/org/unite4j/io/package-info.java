/**
 * File formats shared by every package (they depend only on {@code util}): strict JSON
 * ({@link org.unite4j.io.Json}) and safetensors ({@link org.unite4j.io.Safetensors}, byte-compatible
 * with the Python library).
 */
package org.unite4j.io;
