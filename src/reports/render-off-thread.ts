/**
 * Renders an evaluation report in a worker thread, one at a time: a 100k-episode report takes the event loop
 * a second or more (quantiles, histograms, the page), which would stall every decision meanwhile. The per-episode
 * costs travel as transferred buffers, not copies.
 */
import type { EvaluationReport } from '../core/evaluation.js';
import { entryBeside, runWorker } from '../threads/thread-task.js';
import { MAX_REPORT_PATHS, type EvaluationReportOptions } from './evaluation-report.js';

export interface ReportJob {
  readonly report: EvaluationReport;
  readonly options: EvaluationReportOptions;
}

let queue: Promise<unknown> = Promise.resolve();

export function renderReportOffThread(result: EvaluationReport, options: EvaluationReportOptions): Promise<string> {
  const run = async () => {
    // Typed copies move to the worker for free; nested arrays would be cloned here, on the event loop.
    const shortfallBps = Object.fromEntries(Object.entries(result.shortfallBps).map(([k, v]) => [k, Float64Array.from(v)]));
    const inventoryPaths = Object.fromEntries(
      Object.entries(result.inventoryPaths).map(([k, paths]) => [k, paths.slice(0, MAX_REPORT_PATHS).map((p) => Float64Array.from(p))]),
    );
    const buffers = [...Object.values(shortfallBps), ...Object.values(inventoryPaths).flat()].map((a) => a.buffer as ArrayBuffer);
    const job: ReportJob = { report: { ...result, shortfallBps, inventoryPaths: inventoryPaths as unknown as Record<string, number[][]> }, options };
    const task = runWorker<string>(
      entryBeside(import.meta.url, 'report-worker'),
      job,
      () => undefined,
      (m) => String(m.html),
      buffers,
    );
    return task.done;
  };
  const rendered = queue.then(run, run);
  queue = rendered.catch(() => undefined);
  return rendered;
}
