/**
 * Reads the configuration, loads the models, listens, and closes gracefully on SIGTERM/SIGINT (in-flight
 * requests finish; a stuck close is cut after SHUTDOWN_TIMEOUT_MS).
 */
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError } from './pg/pool.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = { level: config.logLevel };
  const app = await buildApp({
    logger,
    bodyLimit: config.bodyLimit,
    timeouts: config.timeouts,
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    modelCacheVersions: config.modelCacheVersions,
    ...(config.databaseUrl
      ? {
          database: {
            url: config.databaseUrl,
            schema: config.databaseSchema,
            poolMax: config.databasePoolMax,
            lostAfterMs: config.jobLostAfterMs,
            maxAttempts: config.maxJobAttempts,
          },
        }
      : {}),
    maxEventLoopDelayMs: config.maxEventLoopDelayMs,
    apiToken: config.apiToken,
    requestLogging: config.logRequests,
    slowRequestMs: config.slowRequestMs,
    processMetrics: config.processMetrics,
    gcMetrics: config.gcMetrics,
    admin: {
      token: config.adminToken,
      rateLimitMax: config.adminRateLimit,
      promotionMinT: config.promotionMinT,
      maxConcurrentJobs: config.maxConcurrentJobs,
      authFailures: config.adminAuthFailures,
      dataRoots: config.dataRoots,
    },
  });
  for (const m of app.models.list()) {
    if (m.status === 'loaded') app.log.info({ model: m.name, version: m.version, aliases: m.summary?.aliases }, 'model loaded');
    else if (m.status === 'failed') app.log.error({ model: m.name, version: m.version, error: m.error }, 'model failed to load; the others keep serving');
  }
  if (!config.adminToken) {
    app.log.warn('admin API disabled: set ADMIN_TOKEN (16+ characters, e.g. ADMIN_TOKEN=$(openssl rand -hex 32) npm start) to enable /admin');
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing: finishing in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('close timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    app.close().then(
      () => {
        app.log.info('closed');
        process.exit(0);
      },
      (err) => {
        app.log.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ docs: '/docs', models: app.models.list().length, dataDir: config.dataDir }, 'execution-scheduling service ready');
}

main().catch((err) => {
  if (err instanceof DatabaseUnavailableError) {
    process.stderr.write(`failed to start: ${err.message}\n`);
    process.exit(3);
  }
  process.stderr.write(`failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
