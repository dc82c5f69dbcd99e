import t from 'tap';
import { requestIdGenerator } from '../../src/http/request-id.js';

t.test('generated request ids are UUID-shaped and never repeat', async (t) => {
  const next = requestIdGenerator();
  const ids = Array.from({ length: 20000 }, next);
  t.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), 'UUID layout (version 4 prefix)');
  t.equal(new Set(ids).size, ids.length, 'all distinct');
  const other = requestIdGenerator()();
  t.not(other.slice(0, 24), ids[0].slice(0, 24), 'another generator (another app or process) has its own random prefix');
});
