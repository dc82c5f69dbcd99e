/**
 * Runs a job entry in a worker thread and turns its messages into a promise: 'done' resolves, 'failed', an
 * uncaught error or an early exit rejects with the reason, and cancel() terminates the thread at once.
 */
import { Worker } from 'node:worker_threads';

export interface WorkerTask<T> {
  readonly done: Promise<T>;
  cancel(): Promise<void>;
}

type Message = { type: string; message?: string } & Record<string, unknown>;

const bootstrap = new URL('../workers/bootstrap.mjs', import.meta.url);

/** The entry reads its input as `workerData.data` (see workers/bootstrap.mjs). */
export function runWorker<T>(entry: URL, data: unknown, onMessage: (m: Message) => void, pick: (m: Message) => T): WorkerTask<T> {
  const worker = new Worker(bootstrap, { workerData: { entry: entry.href, data } });
  let settled = false;
  let cancelled = false;
  const done = new Promise<T>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: Message) => {
      if (m.type === 'failed') return finish(() => reject(new Error(m.message ?? 'failed')));
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

/** The .ts entry under tsx (tests, npm start), the .js one in a compiled build. */
export function entryBeside(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}
