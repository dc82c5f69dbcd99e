/**
 * Checks an uploaded artifact (the JSON body of POST /admin/models/:name/versions) in a worker thread: parsing
 * ~20 MB of JSON, decoding the base64 weights, hashing and checking them and the probe forward pass would hold the
 * event loop, and with it every decision, for a third of a second. The thread runs the same checks as a load
 * (artifact-check.ts) and hands back the artifact, its weight bytes transferred rather than copied. The threads
 * are a small pool: concurrent uploads queue for them instead of each starting a thread of its own.
 */
import type { ModelArtifact } from './artifact.js';
import { entryBeside } from '../../threads/thread-task.js';
import { threadPool } from '../../threads/pool.js';

/** What the thread answers: the checked artifact, or why the body or the artifact is refused. */
export type UploadCheck =
  | { readonly kind: 'checked'; readonly artifact: ModelArtifact; readonly rest: Record<string, unknown> }
  /** The body is not an upload (not an object, no string weights): the route's schema says why. */
  | { readonly kind: 'unchecked'; readonly body: unknown }
  | { readonly kind: 'invalid-json'; readonly message: string }
  | { readonly kind: 'refused'; readonly path: string; readonly reason: string };

/** Two checks at once at most; a thread lingers a while after an upload, as versions tend to come in a row. */
const UPLOAD_THREADS = { maxThreads: 2, idleTimeoutMs: 30_000 };

let pool: ReturnType<typeof threadPool<{ bytes: Uint8Array }, UploadCheck>> | undefined;

/** Runs the check of `body` (the raw request bytes, handed over to the thread) in a pooled worker thread. */
export async function checkUploadInWorker(body: Buffer): Promise<UploadCheck> {
  pool ??= threadPool(entryBeside(import.meta.url, 'upload-check-thread'), UPLOAD_THREADS);
  // A copy that owns its memory, so it can be transferred (the request buffer may share a pool).
  const bytes = new Uint8Array(body.byteLength);
  bytes.set(body);
  try {
    return await pool.run({ bytes }, { transferList: [bytes.buffer] });
  } catch (err) {
    throw new Error(`upload check failed: ${(err as Error).message}`);
  }
}
