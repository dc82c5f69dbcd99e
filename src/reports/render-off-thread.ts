/**
 * Renders an evaluation report in a worker thread, one at a time (a pool of one: further reports queue): a
 * 100k-episode report takes the event loop a second or more (quantiles, histograms, the page), which would stall
 * every decision meanwhile. The per-episode costs travel as transferred buffers, not copies.
 */
import type { EvaluationReport } from '../core/evaluation.js';
import { entryBeside } from '../threads/thread-task.js';
import { threadPool } from '../threads/pool.js';
import { MAX_REPORT_PATHS, type EvaluationReportOptions } from './evaluation-report.js';

export interface ReportJob {
  readonly report: EvaluationReport;
  readonly options: EvaluationReportOptions;
}

/** A page is rendered now and then: the thread lingers a little for the next one, then goes. */
const REPORT_THREADS = { maxThreads: 1, idleTimeoutMs: 10_000 };

let pool: ReturnType<typeof threadPool<ReportJob, string>> | undefined;

export function renderReportOffThread(result: EvaluationReport, options: EvaluationReportOptions): Promise<string> {
  pool ??= threadPool(entryBeside(import.meta.url, 'report-worker'), REPORT_THREADS);
  // Typed copies move to the thread for free; nested arrays would be cloned here, on the event loop.
  const shortfallBps = Object.fromEntries(Object.entries(result.shortfallBps).map(([k, v]) => [k, Float64Array.from(v)]));
  const inventoryPaths = Object.fromEntries(
    Object.entries(result.inventoryPaths).map(([k, paths]) => [k, paths.slice(0, MAX_REPORT_PATHS).map((p) => Float64Array.from(p))]),
  );
  const buffers = [...Object.values(shortfallBps), ...Object.values(inventoryPaths).flat()].map((a) => a.buffer as ArrayBuffer);
  const job: ReportJob = { report: { ...result, shortfallBps, inventoryPaths: inventoryPaths as unknown as Record<string, number[][]> }, options };
  return pool.run(job, { transferList: buffers });
}
