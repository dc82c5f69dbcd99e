/**
 * Runs a job entry (training, evaluation) in a worker thread and turns its messages into a promise: 'done'
 * resolves, 'failed', an uncaught error or an early exit rejects with the reason, and cancel() terminates the
 * thread at once. Every other message goes to `onMessage` (progress).
 * A job keeps a thread of its own rather than a pooled one (pool.ts): it runs for minutes, is cancelled by ending
 * its thread, and TF.js state is not to be carried into the next job; MAX_CONCURRENT_JOBS already bounds them.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerTask<T> {
  readonly done: Promise<T>;
  cancel(): Promise<void>;
}

export type WorkerMessage = { type: string; message?: string; stack?: string } & Record<string, unknown>;

/**
 * A worker for a .js entry (the compiled build) or a .ts one (tests and benchmarks run the sources under tsx, a
 * dev dependency). Node 20 does not apply the parent's `--import tsx` loader hooks inside a worker ("Unknown file
 * extension .ts"), so for a TypeScript entry the worker first registers tsx itself.
 */
export function createWorker(entry: URL, workerData: unknown, transferList: readonly ArrayBuffer[] = []): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, transferList: [...transferList] });
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, transferList: [...transferList] });
}

/** The .ts entry beside a source module (under tsx), the .js one beside a compiled module (dist/). */
export function entryBeside(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export function runWorker<T>(
  entry: URL,
  data: unknown,
  onMessage: (m: WorkerMessage) => void,
  pick: (m: WorkerMessage) => T,
  /** Buffers of `data` moved to the worker instead of copied (unusable here afterwards). */
  transferList?: ArrayBuffer[],
): WorkerTask<T> {
  const worker = createWorker(entry, data, transferList);
  let settled = false;
  let cancelled = false;
  const done = new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      // TF.js may keep the worker's loop alive once the job is over: end it.
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'failed') {
        const err = new Error(m.message ?? 'failed');
        if (m.stack) err.stack = m.stack;
        return finish(() => reject(err));
      }
      if (m.type === 'done') return finish(() => resolve(pick(m)));
      onMessage(m);
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(cancelled ? 'cancelled' : `worker exited with code ${code} before finishing`))),
    );
  });
  return {
    done,
    async cancel() {
      cancelled = true;
      await worker.terminate();
    },
  };
}
