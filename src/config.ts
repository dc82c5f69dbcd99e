/**
 * Service configuration from the environment, validated once at start: a bad value stops the process with a
 * message that names the variable and the accepted range, instead of surfacing later as odd behaviour.
 * Hand-written on purpose: env-schema (Ajv) over a TypeBox schema gave the same results but needed more of our
 * code, not less (Ajv's "env/PORT must be <= 65535" names neither the range nor the value, so every error had to
 * be translated back, and the flat variables mapped onto this shape), and it added ~0.1-0.2 s to start-up.
 */
import path from 'node:path';
import { DEFAULT_TIMEOUTS, type HttpTimeouts } from './http/timeouts.js';
import { SCHEMA_NAME } from './pg/sql.js';
import { defaultDataRoot } from './http/data-roots.js';
import { DEFAULT_CACHED_VERSIONS } from './registry/model-source.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly dataDir: string;
  readonly modelsDir: string;
  readonly bodyLimit: number;
  readonly maxEventLoopDelayMs: number;
  /** Requests slower than this are logged at warn with their request id. */
  readonly slowRequestMs: number;
  readonly shutdownTimeoutMs: number;
  /** REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS. */
  readonly timeouts: HttpTimeouts;
  /** LOG_REQUESTS=true logs every request/response at info. */
  readonly logRequests: boolean;
  /** PROCESS_METRICS=false leaves prom-client's process and runtime metrics off /metrics (the route histogram stays). */
  readonly processMetrics: boolean;
  /** GC_METRICS=true adds prom-client's GC duration histogram to the process metrics (a cost per collection). */
  readonly gcMetrics: boolean;
  /** Bearer token of the admin API; without it the admin API answers 503. */
  readonly adminToken?: string;
  /** Bearer token of the trading routes (/v1/*); without it /v1 is open. */
  readonly apiToken?: string;
  readonly adminRateLimit: number;
  /** Failed admin authentications per client and window before 429 (ADMIN_AUTH_MAX_FAILURES per ADMIN_AUTH_WINDOW_MS). */
  readonly adminAuthFailures: { readonly max: number; readonly windowMs: number };
  /** Folders the `data` files of training and evaluation jobs must lie in (DATA_ROOTS, path-delimiter separated). */
  readonly dataRoots: readonly string[];
  /** Model versions kept loaded besides the aliased ones (MODEL_CACHE_VERSIONS). */
  readonly modelCacheVersions: number;
  readonly maxConcurrentJobs: number;
  /** Minimum paired t-statistic against TWAP to promote a version to production without force. */
  readonly promotionMinT: number;
  /** PostgreSQL instead of the embedded files: registry, jobs and evaluations shared by every replica. */
  readonly databaseUrl?: string;
  /** Schema of our tables (pg-boss uses `<schema>_boss`). */
  readonly databaseSchema: string;
  readonly databasePoolMax: number;
  /** A running job whose worker has not heartbeated for this long is retried or failed. */
  readonly jobLostAfterMs: number;
  /** Attempts of a job whose worker died, before it is failed. */
  readonly maxJobAttempts: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const number = (name: string, fallback: number, min: number, max: number, integer: boolean): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!(integer ? Number.isInteger(value) : Number.isFinite(value)) || value < min || value > max) {
      problems.push(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const int = (name: string, fallback: number, min: number, max: number) => number(name, fallback, min, max, true);
  const num = (name: string, fallback: number, min: number, max: number) => number(name, fallback, min, max, false);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    logLevel,
    dataDir,
    modelsDir: path.resolve(env.MODELS_DIR || 'models'),
    bodyLimit: int('BODY_LIMIT', 65536, 1024, 10 * 1024 * 1024),
    maxEventLoopDelayMs: int('MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60000),
    slowRequestMs: int('SLOW_REQUEST_MS', 250, 1, 3_600_000),
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 10000, 100, 600000),
    timeouts: {
      requestMs: int('REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUTS.requestMs, 100, 3_600_000),
      headersMs: int('HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersMs, 100, 3_600_000),
      idleMs: int('IDLE_TIMEOUT_MS', DEFAULT_TIMEOUTS.idleMs, 100, 3_600_000),
      keepAliveMs: int('KEEP_ALIVE_TIMEOUT_MS', DEFAULT_TIMEOUTS.keepAliveMs, 100, 3_600_000),
    },
    logRequests: env.LOG_REQUESTS === 'true',
    processMetrics: env.PROCESS_METRICS !== 'false',
    gcMetrics: env.GC_METRICS === 'true',
    adminToken: env.ADMIN_TOKEN || undefined,
    apiToken: env.API_TOKEN || undefined,
    adminRateLimit: int('ADMIN_RATE_LIMIT', 120, 1, 1_000_000),
    adminAuthFailures: { max: int('ADMIN_AUTH_MAX_FAILURES', 10, 1, 1_000_000), windowMs: int('ADMIN_AUTH_WINDOW_MS', 60_000, 1000, 86_400_000) },
    dataRoots: (env.DATA_ROOTS || defaultDataRoot(dataDir)).split(path.delimiter).filter(Boolean).map((r) => path.resolve(r)),
    modelCacheVersions: int('MODEL_CACHE_VERSIONS', DEFAULT_CACHED_VERSIONS, 0, 10_000),
    maxConcurrentJobs: int('MAX_CONCURRENT_JOBS', 1, 1, 64),
    promotionMinT: num('PROMOTION_MIN_T', 2, 0, 100),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || 'ess',
    databasePoolMax: int('DATABASE_POOL_MAX', 8, 2, 100),
    jobLostAfterMs: int('JOB_LOST_AFTER_MS', 15000, 500, 3_600_000),
    maxJobAttempts: int('MAX_JOB_ATTEMPTS', 2, 1, 10),
  };
  if (config.timeouts.headersMs > config.timeouts.requestMs) {
    problems.push(`HEADERS_TIMEOUT_MS (${config.timeouts.headersMs}) must be <= REQUEST_TIMEOUT_MS (${config.timeouts.requestMs}): the headers are part of the request`);
  }
  for (const name of ['PROCESS_METRICS', 'GC_METRICS']) {
    if (![undefined, '', 'true', 'false'].includes(env[name])) problems.push(`${name} must be true or false, got "${env[name]}"`);
  }
  if (config.gcMetrics && !config.processMetrics) problems.push('GC_METRICS=true adds to the process metrics: it needs PROCESS_METRICS on');
  if (config.databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://user:password@host:5432/database)');
  }
  if (!SCHEMA_NAME.test(config.databaseSchema)) {
    problems.push(`DATABASE_SCHEMA must be 1-41 lower-case letters, digits or underscores starting with a letter, got "${config.databaseSchema}"`);
  }
  if (config.adminToken !== undefined && config.adminToken.length < 16) {
    problems.push('ADMIN_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)');
  }
  if (config.apiToken !== undefined && config.apiToken.length < 16) {
    problems.push('API_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
