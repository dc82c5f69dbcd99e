/**
 * Sheds load when the event loop is saturated: every request gets 503 + Retry-After while the mean event-loop
 * delay of the last sample is above the bound. It replaces @fastify/under-pressure, which samples
 * process.memoryUsage() on its timer: with the file descriptors exhausted that call throws EMFILE (it reads
 * /proc), the throw escapes the timer and ends the process. Only the delay is sampled here, and a failing sample
 * is logged and skipped, never thrown.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiErrors, replyWith } from './errors.js';

export interface LoadSheddingOptions {
  /** Mean event-loop delay (ms) above which requests are shed. */
  readonly maxEventLoopDelayMs: number;
  /** How often the delay is sampled (ms, default 1000); keep it well above the 10 ms histogram resolution. */
  readonly sampleIntervalMs?: number;
  readonly retryAfterSeconds?: number;
}

const RESOLUTION_MS = 10;

/** The sampler: the mean delay of the last interval, as under-pressure reads it (no reading at all: Infinity). */
export function eventLoopDelaySampler(log?: FastifyBaseLogger, read = monitorEventLoopDelay({ resolution: RESOLUTION_MS })) {
  read.enable();
  let delayMs = 0;
  return {
    get delayMs() {
      return delayMs;
    },
    sample(): void {
      try {
        const mean = read.mean / 1e6 - RESOLUTION_MS;
        delayMs = Number.isNaN(mean) ? Infinity : Math.max(0, mean);
        read.reset();
      } catch (err) {
        log?.warn({ err }, 'event-loop delay sample failed; keeping the last one');
      }
    },
    stop: () => read.disable(),
  };
}

async function loadShedding(app: FastifyInstance, opts: LoadSheddingOptions): Promise<void> {
  const intervalMs = opts.sampleIntervalMs ?? 1000;
  const sampler = eventLoopDelaySampler(app.log);
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  // setInterval, not a timer re-armed after each sample: a sample that failed cannot stop the next one.
  const timer = setInterval(() => sampler.sample(), intervalMs);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    sampler.stop();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    const delay = sampler.delayMs;
    if (delay <= opts.maxEventLoopDelayMs) return done();
    reply.header('retry-after', retryAfter);
    replyWith(reply, ApiErrors.underPressure([], Math.round(delay), retryAfter));
  });
}

export default fp(loadShedding, { name: 'load-shedding' });
