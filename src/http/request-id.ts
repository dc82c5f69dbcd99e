/**
 * Request ids for requests that bring none: UUID-shaped (8-4-4-4-12 hex digits), a random prefix drawn once per
 * generator (one per app) and a counter in the last 12 digits. Why not crypto.randomUUID per request: under load
 * its entropy refills cost ~0.8 us a request (a CPU profile of the service, docs/BENCHMARKS.md 1b), several
 * percent of a whole decision request; an id that correlates log lines needs to be unique, not unpredictable.
 */
import { randomUUID } from 'node:crypto';

export function requestIdGenerator(): () => string {
  const prefix = randomUUID().slice(0, 24); // 'xxxxxxxx-xxxx-4xxx-yxxx-': 74 random bits
  let counter = 0;
  return () => {
    counter = (counter + 1) % 2 ** 48;
    return prefix + counter.toString(16).padStart(12, '0');
  };
}
