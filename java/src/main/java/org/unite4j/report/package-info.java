/**
 * Figures for reports ({@link org.unite4j.report.Plots}: learning curves, parity and log-log
 * scaling plots as PNG, headless AWT), used by training and the benchmarks alike.
 */
package org.unite4j.report;
