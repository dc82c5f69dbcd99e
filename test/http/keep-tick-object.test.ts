import t from 'tap';
import { keepTickObjectAlive } from '../../src/http/keep-tick-object.js';

t.test('one tick object is kept, the same one on every call', async (t) => {
  const kept = keepTickObjectAlive();
  t.ok(kept, 'a tick object was caught');
  t.ok(Object.hasOwn(kept as object, 'callback') && Object.hasOwn(kept as object, 'args'), "it has the shape nextTick's literal gives it");
  t.type((kept as { callback: unknown }).callback, 'function');
  t.equal(keepTickObjectAlive(), kept, 'idempotent');
  await new Promise<void>((resolve) => process.nextTick(resolve));
  t.equal(keepTickObjectAlive(), kept, 'later ticks do not replace it (the hook is off)');
});
