/**
 * Fastify gives every request a child logger carrying its request id. Creating one is a pino child (bindings
 * serialised to a string) on every request, although on the decision path nothing logs unless something goes
 * wrong (per-request log lines are off by default). This child is made on the first call that needs it, so a
 * request that logs nothing costs one small object; a request that logs writes exactly what the eager child would.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Args = [obj: unknown, msg?: string, ...rest: unknown[]];

/** Methods live on the prototype, so a request that never logs allocates this one object and nothing else. */
class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made ? this.made.level : (this.options.level ?? this.parent.level);
  }

  set level(level: string) {
    this.logger.level = level;
  }

  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent', args: Args): void {
    const logger = this.logger;
    (logger[level] as (...a: Args) => void).apply(logger, args);
  }

  fatal(...args: Args): void {
    this.write('fatal', args);
  }
  error(...args: Args): void {
    this.write('error', args);
  }
  warn(...args: Args): void {
    this.write('warn', args);
  }
  info(...args: Args): void {
    this.write('info', args);
  }
  debug(...args: Args): void {
    this.write('debug', args);
  }
  trace(...args: Args): void {
    this.write('trace', args);
  }
  silent(...args: Args): void {
    this.write('silent', args);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory`. Without `parent`, children hang off the logger Fastify passes (its own, when it
 * has one); with it, off `parent`, so requests log through the app's logger while Fastify runs without one
 * (app.ts: that spares every response Fastify's 'finish' listeners).
 */
export function lazyChildLoggers(parent?: FastifyBaseLogger) {
  return function lazyChildLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
    // pino's LogFn overloads cannot be spelt by a class method; the methods above forward every form unchanged.
    return new LazyChildLogger(parent ?? logger, bindings, options) as unknown as FastifyBaseLogger;
  };
}
