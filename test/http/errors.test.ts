import Fastify from 'fastify';
import t from 'tap';
import { ApiErrors, installErrorHandling, ModelFailed } from '../../src/http/errors.js';

t.test('the catalogue: one stable ESS_ code per entry, each with its status', async (t) => {
  const codes = Object.values(ApiErrors).map((e) => e.code);
  t.same(new Set(codes).size, codes.length, 'codes are unique');
  for (const entry of Object.values(ApiErrors)) {
    t.match(entry.code, /^ESS_[A-Z_]+$/);
    t.ok(entry.statusCode >= 400 && entry.statusCode < 600, `${entry.code} ${entry.statusCode}`);
  }
  const err = ApiErrors.versionNotFound([{ path: 'version', reason: 'no such version' }], 'm@3');
  t.match(err, { code: 'ESS_VERSION_NOT_FOUND', statusCode: 404, message: 'version not found: m@3', details: [{ path: 'version' }] });
  t.ok(err instanceof Error);
});

t.test('the handler turns a catalogue error into the one error body, details included', async (t) => {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/conflict', async () => {
    throw ApiErrors.promotionRefused([{ path: 'version', reason: 'no evaluation' }], 'no evaluation');
  });
  app.get('/failed', async () => {
    throw new ModelFailed('model m failed to decide');
  });
  t.teardown(() => app.close());
  const conflict = await app.inject({ url: '/conflict' });
  t.equal(conflict.statusCode, 409);
  t.same(conflict.json(), {
    statusCode: 409,
    error: 'Conflict',
    message: 'promotion refused: no evaluation; or send "force": true',
    details: [{ path: 'version', reason: 'no evaluation' }],
  });
  const failed = await app.inject({ url: '/failed' });
  t.same(failed.json(), { statusCode: 503, error: 'Service Unavailable', message: 'model m failed to decide', details: [] });
});
