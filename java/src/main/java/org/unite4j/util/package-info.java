/**
 * Small utilities with no dependency on the rest of the project (every package may use them):
 * crash-safe file and directory writes ({@link org.unite4j.util.AtomicFiles}) and a throttled
 * terminal progress bar ({@link org.unite4j.util.Progress}).
 */
package org.unite4j.util;
