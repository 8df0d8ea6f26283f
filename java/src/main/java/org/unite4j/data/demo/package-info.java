/**
 * A self-contained demo data set for {@code ./unite demo}: 15 small molecules written by the
 * project, relaxed to their GFN2-xTB minima, distorted conformers sampled around them and labelled
 * in-process with GFN2-xTB (energy, dipole) and GFN1-xTB (energy). Entry point:
 * {@link org.unite4j.data.demo.DemoData#generate}.
 */
package org.unite4j.data.demo;
