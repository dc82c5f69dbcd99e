/** The settings of the registry hardening: auth-failure limit, data roots, model cache bound. */
import { delimiter, resolve } from 'node:path';
import t from 'tap';
import { loadConfig } from '../src/config.js';

t.test('defaults, values and bad values of the hardening settings', async (t) => {
  const d = loadConfig({ DATA_DIR: '/srv/ess' });
  t.same(d.adminAuthFailures, { max: 10, windowMs: 60_000 });
  t.same(d.dataRoots, [resolve('/srv/ess/market-data')], 'data roots default to DATA_DIR/market-data');
  t.equal(d.modelCacheVersions, 8);
  const c = loadConfig({ ADMIN_AUTH_MAX_FAILURES: '3', ADMIN_AUTH_WINDOW_MS: '5000', DATA_ROOTS: ['/a', 'b'].join(delimiter), MODEL_CACHE_VERSIONS: '0' });
  t.same(c.adminAuthFailures, { max: 3, windowMs: 5000 });
  t.same(c.dataRoots, [resolve('/a'), resolve('b')]);
  t.equal(c.modelCacheVersions, 0);
  t.throws(() => loadConfig({ ADMIN_AUTH_MAX_FAILURES: '0' }), /ADMIN_AUTH_MAX_FAILURES must be an integer from 1/);
  t.throws(() => loadConfig({ MODEL_CACHE_VERSIONS: '-1' }), /MODEL_CACHE_VERSIONS must be an integer from 0/);
});
