/** Worker-thread task of upload-check.ts: parses the upload body, decodes and checks its artifact. */
import { ArtifactError } from './artifact-error.js';
import { checkedNetwork, validateArtifact } from './artifact-check.js';
import { moving } from '../../threads/pool.js';
import type { UploadCheck } from './upload-check.js';

/**
 * JSON.parse, then refuse prototype poisoning as Fastify's own body parser does (`__proto__` keys and
 * `constructor.prototype`). The scan is iterative: a body nested 100k deep is parsed and refused by depth later,
 * not by a stack overflow here.
 */
function parseSafely(text: string): unknown {
  const body: unknown = JSON.parse(text);
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null) continue;
    if (Object.hasOwn(value, '__proto__')) throw new SyntaxError('the body contains a "__proto__" key');
    const ctor = (value as Record<string, unknown>).constructor;
    if (Object.hasOwn(value, 'constructor') && typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) {
      throw new SyntaxError('the body contains "constructor.prototype"');
    }
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  return body;
}

/** The check's answer; a checked artifact's weights are moved back, not copied. */
export default function checkUpload({ bytes }: { bytes: Uint8Array }): UploadCheck {
  let body: unknown;
  try {
    body = parseSafely(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    return { kind: 'invalid-json', message: (err as Error).message };
  }
  const upload = body as { modelJson?: unknown; weights?: unknown; metadata?: unknown } | null;
  if (typeof upload !== 'object' || upload === null || Array.isArray(upload) || typeof upload.weights !== 'string' || upload.weights.length === 0) {
    return { kind: 'unchecked', body };
  }
  const { modelJson, weights, metadata, ...rest } = upload;
  try {
    const decoded = Buffer.from(weights as string, 'base64');
    const weightData = decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength) as ArrayBuffer;
    const artifact = validateArtifact({ modelJson, weightData, metadata });
    checkedNetwork(artifact);
    return moving({ kind: 'checked', artifact, rest }, [weightData]);
  } catch (err) {
    if (!(err instanceof ArtifactError)) throw err;
    return { kind: 'refused', path: err.path, reason: err.reason };
  }
}
