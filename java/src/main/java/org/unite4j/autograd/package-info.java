/**
 * The thin autograd engine: {@link org.unite4j.autograd.Tensor} (shape, dtype, backend) records
 * the ops of {@link org.unite4j.autograd.F} on a tape; {@code backward()} runs their backward
 * rules in reverse topological order and releases the tape; {@link org.unite4j.autograd.GradMode}
 * turns recording off for inference; {@link org.unite4j.autograd.GradCheck} is the
 * central-difference gradient check every op is tested with.
 */
package org.unite4j.autograd;
