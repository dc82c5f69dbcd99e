/** The thread pool: a .ts task runs under tsx, buffers move both ways, and no more than maxThreads threads run. */
import t from 'tap';
import { threadPool } from '../../src/threads/pool.js';

type Task = { bytes: Uint8Array; holdMs: number };
type Answer = { threadId: number; back: Float64Array };

t.test('tasks queue for at most maxThreads threads; buffers are moved, not copied', async (t) => {
  const pool = threadPool<Task, Answer>(new URL('./sum-task.ts', import.meta.url), { maxThreads: 2, idleTimeoutMs: 1000 });
  t.teardown(() => pool.destroy());
  t.equal(pool.threads.length, 0, 'no thread before the first task');
  const sent = Array.from({ length: 6 }, (_, i) => new Uint8Array([i, 1, 2]));
  const answers = await Promise.all(sent.map((bytes) => pool.run({ bytes, holdMs: 50 }, { transferList: [bytes.buffer as ArrayBuffer] })));
  t.same(answers.map((a) => a.back[0]), [3, 4, 5, 6, 7, 8]);
  t.ok(answers.every((a) => a.back instanceof Float64Array));
  t.equal(sent[0].byteLength, 0, 'the task bytes were moved to the thread');
  t.ok(new Set(answers.map((a) => a.threadId)).size <= 2, 'two threads at most');
});
