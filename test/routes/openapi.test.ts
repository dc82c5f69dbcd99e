import t from 'tap';
import { readFile } from 'node:fs/promises';
import { openapiDocument } from '../../scripts/write-openapi.js';

t.test('the checked-in openapi/openapi.json is the one the app serves (run `npm run openapi` to refresh)', async (t) => {
  const checkedIn = await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
  t.equal(checkedIn, await openapiDocument());
});

t.test('the document describes every public route with its error body', async (t) => {
  const doc = JSON.parse(await openapiDocument());
  for (const path of ['/v1/decisions', '/v1/schedules', '/v1/policies', '/healthz', '/readyz']) t.ok(doc.paths[path], path);
  t.ok(doc.paths['/v1/decisions'].post.responses['400'], 'decisions documents 400');
  t.ok(doc.components.schemas.ErrorBody, 'the one error body is a component');
});
