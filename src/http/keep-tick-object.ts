/**
 * Keeps one of Node's tick objects (what `process.nextTick` queues, five times per HTTP request inside Node's
 * streams) alive for the life of the process.
 *
 * Why: nextTick builds each tick object as a literal with computed keys. V8 compiles that into inline stores from
 * the feedback of the object's hidden classes, which it holds weakly: when a full GC runs while no tick object is
 * alive, those classes die, the feedback is cleared, and nextTick code optimized after that defines every
 * property through V8's runtime for the rest of the process. Counted under Valgrind (docs/BENCHMARKS.md 1b), that
 * path cost ~22,000 instructions per request, ~15% of the service's, in every run of the service without this and
 * in none with it; in real runs it comes and goes between processes. One live tick object keeps the classes alive.
 */
import { createHook } from 'node:async_hooks';

let kept: object | undefined;

/** Idempotent; returns the tick object kept (undefined only if Node stopped reporting tick objects). */
export function keepTickObjectAlive(): object | undefined {
  if (kept) return kept;
  // The only handle on a tick object is an async hook's init; enabled for one nextTick, then disabled.
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') kept = resource;
    },
  });
  hook.enable();
  process.nextTick(() => {});
  hook.disable();
  return kept;
}
