/** Worker-thread entry of a training job: runs it and posts its messages (and a failure) to the parent. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTrainingJob, type TrainingJobSpec } from './training-job.js';

if (!parentPort) throw new Error('training-thread.ts must run in a worker thread (use startTrainingWorker)');
const port = parentPort;
runTrainingJob(workerData as TrainingJobSpec, (message) => port.postMessage(message)).catch((err: unknown) => {
  const error = err instanceof Error ? err : new Error(String(err));
  port.postMessage({ type: 'failed', message: error.message, stack: error.stack });
});
