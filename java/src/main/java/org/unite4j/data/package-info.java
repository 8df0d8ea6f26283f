/**
 * Datasets and what the model consumes: {@link org.unite4j.data.Dataset} (frames with labels in a
 * requested unit, {@link org.unite4j.data.LabelSpec} KEY:UNIT), {@link org.unite4j.data.Split},
 * {@link org.unite4j.data.MolecularGraph} (one molecule's xTB operator blocks over the atom pairs
 * that survive the cutoff), {@link org.unite4j.data.FeatureCache} (featurization cached on disk by
 * a hash of Z, geometry, charge, multiplicity and method) and {@link org.unite4j.data.GraphBatch}
 * (molecules joined into one receiver-sorted graph with segment pointers, blocks decomposed into
 * irreps). {@code org.unite4j.data.demo} generates the self-contained demo data set.
 */
package org.unite4j.data;
