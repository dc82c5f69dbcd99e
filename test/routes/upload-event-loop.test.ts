/**
 * A 16 MB upload is parsed and checked off the event loop: while it is handled, the longest stall of the event
 * loop stays well under what parsing and checking the same body on the main thread takes (both measured in this
 * run, so the comparison holds on a slow or shared machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { checkedNetwork, validateArtifact } from '../../src/models/artifact/artifact-check.js';
import { makeArtifact } from '../models/fixtures.js';

const TOKEN = 'test-admin-token-0123456789';

t.test('a 16 MB upload does not hold the event loop', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ess-upload-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const app = await buildApp({ dataDir, admin: { token: TOKEN, rateLimitMax: 10000 }, metrics: false });
  t.teardown(() => app.close());
  await app.ready(); // route schemas compile at ready: not part of the upload
  const artifact = await makeArtifact(3, undefined, [2048, 2048]);
  t.ok(artifact.weightData.byteLength > 16e6, `${(artifact.weightData.byteLength / 1e6).toFixed(1)} MB of weights`);
  const body = JSON.stringify({ modelJson: artifact.modelJson, weights: Buffer.from(artifact.weightData).toString('base64'), metadata: artifact.metadata });

  // What the main thread would spend on this body: parse, decode, check (the upload's work before this change).
  let onMain = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const parsed = JSON.parse(body);
    const bytes = Buffer.from(parsed.weights, 'base64');
    checkedNetwork(validateArtifact({ modelJson: parsed.modelJson, metadata: parsed.metadata, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer }));
    onMain = Math.min(onMain, performance.now() - t0);
  }

  const payload = Buffer.from(body); // as the bytes arrive from a socket (a string payload would be encoded in the window)
  // The best of three uploads against the best of the main-thread runs above: a loaded machine descheduling the
  // process stalls both alike, and only the minimum says what the code itself holds.
  let longest = Infinity;
  for (let i = 0; i < 3; i++) {
    let worst = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 1);
    const res = await app.inject({ method: 'POST', url: '/admin/models/big/versions', payload, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    clearInterval(ticker);
    t.equal(res.statusCode, 201, res.body.slice(0, 200));
    longest = Math.min(longest, worst);
  }
  t.ok(longest < onMain / 2, `longest event-loop stall ${longest.toFixed(0)} ms during the upload; parsing and checking on the main thread takes ${onMain.toFixed(0)} ms`);
});
