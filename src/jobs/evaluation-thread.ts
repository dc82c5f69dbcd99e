/** Worker-thread entry of an evaluation job: runs it and posts its messages (and a failure) to the parent. */
import { parentPort, workerData } from 'node:worker_threads';
import { runEvaluationJob, type EvaluationJobSpec } from './evaluation-job.js';

if (!parentPort) throw new Error('evaluation-thread.ts must run in a worker thread');
const port = parentPort;
runEvaluationJob(workerData as EvaluationJobSpec, (message) => port.postMessage(message)).catch((err: unknown) => {
  const error = err instanceof Error ? err : new Error(String(err));
  port.postMessage({ type: 'failed', message: error.message, stack: error.stack });
});
