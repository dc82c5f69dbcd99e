/**
 * Swagger UI's "Try it out": every route that takes a body documents a working example, the one the UI sends by
 * default; each is injected into its route and must get a 2xx or a status the route documents. Every number in
 * the document says what it measures (units).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { build } from '../helper.js';

const TOKEN = 'test-admin-token-0123456789';
/** Path parameters as an operator would fill them in. */
const PARAMS: Record<string, string> = { name: 'my-model', alias: 'production', version: '1', id: '00000000-0000-0000-0000-000000000000' };
/** Routes whose example must succeed on an empty registry; the others answer a documented refusal. */
const MUST_SUCCEED = new Set(['POST /v1/decisions', 'POST /v1/schedules', 'POST /admin/training-jobs', 'POST /admin/evaluations']);

interface Operation {
  summary?: string;
  description?: string;
  requestBody?: { content: Record<string, { example?: unknown; schema?: unknown }> };
  responses: Record<string, unknown>;
}

/** Paths of number fields without a description, walking a schema. */
function undescribedNumbers(schema: unknown, at: string, parentDescribed = false): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const s = schema as Record<string, unknown>;
  const out: string[] = [];
  if ((s.type === 'number' || s.type === 'integer') && !s.description && !parentDescribed) out.push(at);
  for (const [k, v] of Object.entries((s.properties as Record<string, unknown>) ?? {})) out.push(...undescribedNumbers(v, `${at}.${k}`));
  // An array's or a map's items are described by the array or the map itself.
  if (s.items) out.push(...undescribedNumbers(s.items, `${at}[]`, Boolean(s.description)));
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.push(...undescribedNumbers(s.additionalProperties, `${at}{}`, Boolean(s.description)));
  for (const key of ['oneOf', 'anyOf', 'allOf']) for (const [i, v] of ((s[key] as unknown[]) ?? []).entries()) out.push(...undescribedNumbers(v, `${at}|${i}`));
  return out;
}

t.test('every body route has an example that its route accepts; every number is described', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'examples-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const app = await build(t, { dataDir, modelsDir: join(dataDir, 'none'), admin: { token: TOKEN, rateLimitMax: 10000 } });
  await app.ready();
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
  let tried = 0;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const route = `${method.toUpperCase()} ${path}`;
      t.ok(op.summary, `${route} has a summary`);
      for (const [, media] of Object.entries(op.requestBody?.content ?? {})) t.same(undescribedNumbers(media.schema, 'body'), [], `${route}: numbers of the body are described`);
      for (const [status, response] of Object.entries(op.responses)) {
        const schema = (response as { content?: Record<string, { schema: unknown }> }).content?.['application/json']?.schema;
        t.same(undescribedNumbers(schema, status), [], `${route}: numbers of ${status} are described`);
      }
      const media = op.requestBody?.content['application/json'];
      if (!op.requestBody) continue;
      t.ok(media?.example, `${route} has an example body`);
      if (!media?.example) continue;
      const url = path.replace(/\{(\w+)\}/g, (_, p: string) => PARAMS[p] ?? p);
      const res = await app.inject({ method: method.toUpperCase() as 'POST', url, payload: media.example as object, headers: { authorization: `Bearer ${TOKEN}` } });
      tried++;
      const documented = Object.keys(op.responses);
      if (MUST_SUCCEED.has(route)) t.ok(res.statusCode >= 200 && res.statusCode < 300, `${route}: the example succeeds (${res.statusCode} ${res.body.slice(0, 300)})`);
      else t.ok(documented.includes(String(res.statusCode)) && res.statusCode < 500, `${route}: the example gets a documented ${res.statusCode} (${res.body.slice(0, 200)})`);
      if (res.statusCode === 400) t.notMatch(res.json().details, [{ reason: /is required|is not a known field|must be/ }], `${route}: the example passes validation`);
    }
  }
  t.ok(tried >= 6, `${tried} examples tried`);
  t.ok(doc.paths['/v1/decisions']!.post!.description, 'the decision route has a description');
});
