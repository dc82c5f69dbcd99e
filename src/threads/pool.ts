/**
 * A bounded pool of worker threads for short tasks that would hold the event loop (an upload's check, a report's
 * page), kept by piscina: at most `maxThreads` run, further tasks queue, and a thread stays warm for
 * `idleTimeoutMs` after its last task, so a burst of tasks pays the thread's start (and its module imports) once.
 * No thread starts before the first task. The entry's default export is the task.
 */
import { move, Piscina, transferableSymbol, valueSymbol } from 'piscina';

export interface PoolOptions {
  readonly maxThreads: number;
  readonly idleTimeoutMs: number;
}

export function threadPool<Task, Result>(entry: URL, { maxThreads, idleTimeoutMs }: PoolOptions): Piscina<Task, Result> {
  return new Piscina<Task, Result>({
    filename: entry.href,
    minThreads: 0,
    maxThreads,
    idleTimeout: idleTimeoutMs,
    // A .ts entry (tests and benchmarks run the sources under tsx, a dev dependency) needs the loader in the thread.
    ...(entry.pathname.endsWith('.ts') ? { execArgv: ['--import', 'tsx'] } : {}),
  });
}

/** A task's answer whose `buffers` are moved to the caller, not copied (unusable in the thread afterwards). */
export function moving<T>(value: T, buffers: readonly ArrayBuffer[]): T {
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: value } as never) as T;
}
