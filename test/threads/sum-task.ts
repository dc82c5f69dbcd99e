/** Pool task of pool.test.ts: sums the bytes it is given, answers with the thread's id and a buffer moved back. */
import { threadId } from 'node:worker_threads';
import { moving } from '../../src/threads/pool.js';

export default async function sum({ bytes, holdMs }: { bytes: Uint8Array; holdMs: number }) {
  await new Promise((r) => setTimeout(r, holdMs));
  const back = new Float64Array([bytes.reduce((a, b) => a + b, 0)]);
  return moving({ threadId, back }, [back.buffer as ArrayBuffer]);
}
