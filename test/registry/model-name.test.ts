/** One model-name rule and the path guard: `.`, `..` and separators never reach the file system. */
import { join } from 'node:path';
import t from 'tap';
import { isModelName, MODEL_NAME_MAX } from '../../src/registry/model-name.js';
import { childInside, pathInside } from '../../src/store/inside.js';

t.test('model names: no dot names, no separators, one length limit', async (t) => {
  for (const ok of ['default', 'v1', 'regime-liquidity', 'a.b_c-d', 'A'.repeat(MODEL_NAME_MAX)]) t.ok(isModelName(ok), ok);
  for (const bad of ['.', '..', '.hidden', '-flag', '', 'a/b', 'a\\b', 'x'.repeat(MODEL_NAME_MAX + 1), 'white space', '..%2F']) {
    t.notOk(isModelName(bad), JSON.stringify(bad));
  }
});

t.test('pathInside refuses the root itself and anything that climbs out', async (t) => {
  const root = '/data/registry';
  t.equal(pathInside(root, 'm', 'v1'), join(root, 'm', 'v1'));
  for (const escape of [['.'], ['..'], ['m', '..', '..'], ['/etc/passwd'], ['m/../../x']]) {
    t.throws(() => pathInside(root, ...escape), { name: 'PathEscapeError' }, JSON.stringify(escape));
  }
  t.equal(childInside(root, 'm'), join(root, 'm'));
  t.throws(() => childInside(root, 'a/b'), { name: 'PathEscapeError' }, 'one level only');
});
