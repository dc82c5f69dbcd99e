/**
 * Runs a training job in a worker thread so the caller's event loop (the CLI's progress bar, or the service
 * answering requests) never blocks on TF.js.
 */
import { entryBeside, runWorker } from '../../threads/thread-task.js';
import type { ModelMetadata } from '../artifact/metadata.js';
import type { TrainingJobSpec, TrainingMessage } from './training-job.js';

export interface TrainingHandle {
  /** Resolves with the written model's metadata; rejects when the job fails or is cancelled. */
  readonly done: Promise<ModelMetadata>;
  cancel(): Promise<void>;
}

export function startTrainingWorker(spec: TrainingJobSpec, onMessage: (m: TrainingMessage) => void = () => {}): TrainingHandle {
  const task = runWorker(
    entryBeside(import.meta.url, 'training-thread'),
    spec,
    (m) => onMessage(m as unknown as TrainingMessage),
    (m) => {
      onMessage(m as unknown as TrainingMessage); // the 'done' message carries the metadata the CLI prints
      return (m as unknown as { metadata: ModelMetadata }).metadata;
    },
  );
  const done = task.done.catch((err: Error) => {
    throw new Error(err.message === 'cancelled' ? 'training cancelled' : `training failed: ${err.message}`, { cause: err });
  });
  return { done, cancel: () => task.cancel() };
}
