/** Worker-thread entry that renders one evaluation report and posts the page back (render-off-thread.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { renderEvaluationReport } from './evaluation-report.js';
import type { ReportJob } from './render-off-thread.js';

if (!parentPort) throw new Error('report-worker.ts must run in a worker thread');
const { report, options } = workerData as ReportJob;
try {
  parentPort.postMessage({ type: 'done', html: renderEvaluationReport(report, options) });
} catch (err) {
  const error = err instanceof Error ? err : new Error(String(err));
  parentPort.postMessage({ type: 'failed', message: error.message, stack: error.stack });
}
