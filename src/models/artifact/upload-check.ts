/**
 * Checks an uploaded artifact (the JSON body of POST /admin/models/:name/versions) in a worker thread: parsing
 * ~20 MB of JSON, decoding the base64 weights, hashing and checking them and the probe forward pass would hold the
 * event loop, and with it every decision, for a third of a second. The worker runs the same checks as a load
 * (artifact-check.ts) and hands back the artifact, its weight bytes transferred rather than copied.
 */
import type { ModelArtifact } from './artifact.js';
import { createWorker, entryBeside } from '../../threads/thread-task.js';

/** What the worker answers: the checked artifact, or why the body or the artifact is refused. */
export type UploadCheck =
  | { readonly kind: 'checked'; readonly artifact: ModelArtifact; readonly rest: Record<string, unknown> }
  /** The body is not an upload (not an object, no string weights): the route's schema says why. */
  | { readonly kind: 'unchecked'; readonly body: unknown }
  | { readonly kind: 'invalid-json'; readonly message: string }
  | { readonly kind: 'refused'; readonly path: string; readonly reason: string };

/** Runs the check of `body` (the raw request bytes, handed over to the worker) in a worker thread. */
export function checkUploadInWorker(body: Buffer): Promise<UploadCheck> {
  // A copy that owns its memory, so it can be transferred (the request buffer may share a pool).
  const bytes = new Uint8Array(body.byteLength);
  bytes.set(body);
  const worker = createWorker(entryBeside(import.meta.url, 'upload-check-thread'), { bytes }, [bytes.buffer]);
  return new Promise<UploadCheck>((resolve, reject) => {
    worker.once('message', (m: UploadCheck | { kind: 'crashed'; message: string }) => {
      void worker.terminate();
      if (m.kind === 'crashed') reject(new Error(`upload check failed: ${m.message}`));
      else resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`upload check worker exited with code ${code}`)));
  });
}
