/**
 * Figures for reports ({@link org.unite4j.report.Plots}: learning curves, parity, line and log-log
 * scaling plots as PNG, drawn with JFreeChart in headless mode), used by training, molecular
 * dynamics and the benchmarks alike.
 */
package org.unite4j.report;
