/**
 * A long-running local prediction service over HTTP ({@link org.unite4j.serve.PredictionServer},
 * {@code unite serve}): the model and the featurizer stay loaded, so one molecule costs its
 * featurization and prediction, not a JVM start.
 */
package org.unite4j.serve;
