/**
 * Training and evaluation: {@link org.unite4j.train.Trainer} (AdamW, warm-up + cosine, clipping,
 * early stopping, atomic per-epoch checkpoints, exact resume), {@link org.unite4j.train.TrainingRun}
 * (the workflow of {@code unite train} and {@code unite demo}), {@link org.unite4j.train.ModelStore}
 * (model folders: JSON + safetensors), {@link org.unite4j.train.Schedules},
 * {@link org.unite4j.train.EarlyStopping}, {@link org.unite4j.train.Metrics} and
 * {@link org.unite4j.train.Baselines}.
 */
package org.unite4j.train;
