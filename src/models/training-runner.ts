/**
 * Runs a training job in a worker thread so the caller's event loop (the CLI's progress bar, or the service
 * answering requests) never blocks on TF.js. The worker inherits execArgv, so under `node --import tsx` it loads
 * the TypeScript entry directly.
 */
import { Worker } from 'node:worker_threads';
import type { ModelMetadata } from './metadata.js';
import type { TrainingJobSpec, TrainingMessage } from './training-job.js';

export type WorkerMessage = TrainingMessage | { readonly type: 'failed'; readonly message: string; readonly stack?: string };

const entry = new URL(`./training-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * A worker for a .ts or .js entry. Node 20 does not apply the parent's `--import tsx` loader hooks inside a
 * worker ("Unknown file extension .ts"), so for a TypeScript entry the worker first registers tsx itself.
 */
export function createWorker(entryUrl: URL, workerData: unknown): Worker {
  if (!entryUrl.pathname.endsWith('.ts')) return new Worker(entryUrl, { workerData });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entryUrl.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

export interface TrainingHandle {
  /** Resolves with the written model's metadata; rejects when the job fails or is cancelled. */
  readonly done: Promise<ModelMetadata>;
  cancel(): Promise<void>;
}

export function startTrainingWorker(spec: TrainingJobSpec, onMessage: (m: TrainingMessage) => void = () => {}): TrainingHandle {
  const worker = createWorker(entry, spec);
  let cancelled = false;
  const done = new Promise<ModelMetadata>((resolve, reject) => {
    let result: ModelMetadata | undefined;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'failed') {
        const err = new Error(`training failed: ${m.message}`);
        if (m.stack) err.stack = m.stack;
        reject(err);
        void worker.terminate();
        return;
      }
      onMessage(m);
      if (m.type === 'done') {
        result = m.metadata;
        resolve(result);
        // TF.js may keep the worker's loop alive; the job is over, so end it.
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (result) resolve(result);
      else reject(new Error(cancelled ? 'training cancelled' : `training worker exited with code ${code} before finishing`));
    });
  });
  return {
    done,
    async cancel() {
      cancelled = true;
      await worker.terminate();
    },
  };
}
