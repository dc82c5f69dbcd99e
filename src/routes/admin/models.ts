import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ModelArtifact } from '../../models/artifact/artifact.js';
import { checkUploadInWorker } from '../../models/artifact/upload-check.js';
import type { FastifyRequest } from 'fastify';
import { AliasParams, AliasRequest, ModelParams, UploadRequest, VersionParams } from '../../http/admin-schemas.js';
import { requestLog } from '../../http/request-log.js';
import { ApiErrors } from '../../http/errors.js';
import type { JobStore } from '../../jobs/types.js';
import { DEFAULT_ALIAS } from '../../registry/model-source.js';
import { RegistryError, type ModelRecord } from '../../registry/types.js';
import { errorResponses } from '../responses.js';
import { security, services } from './common.js';
import { modelPolicyName } from '../../core/policy-ref.js';

const UPLOAD_LIMIT = 32 * 1024 * 1024;
/** What the route's schema sees in place of the weights, once the worker has decoded and checked them. */
const CHECKED_WEIGHTS = 'checked';

const ModelResponse = Type.Object({
  name: Type.String(),
  aliases: Type.Record(Type.String(), Type.String()),
  versions: Type.Array(
    Type.Object({
      version: Type.String(),
      createdAt: Type.String(),
      source: Type.String(),
      jobId: Type.Optional(Type.String()),
      aliases: Type.Array(Type.String()),
      metadata: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
});

function present(record: ModelRecord) {
  return {
    name: record.name,
    aliases: { ...record.aliases },
    versions: record.versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      source: v.source,
      ...(v.jobId ? { jobId: v.jobId } : {}),
      aliases: Object.entries(record.aliases).filter(([, x]) => x === v.version).map(([a]) => a),
      metadata: v.metadata as unknown as Record<string, unknown>,
    })),
  };
}

/** Registry errors keep their status (400 invalid, 404 unknown, 409 conflict) and name the field. */
const REGISTRY_ERRORS = { 400: ApiErrors.registryInvalid, 404: ApiErrors.registryNotFound, 409: ApiErrors.registryConflict } as const;

async function registry<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof RegistryError) throw REGISTRY_ERRORS[err.statusCode]([{ path: err.path, reason: err.message }], err.message);
    throw err;
  }
}

/**
 * The promotion gate: the newest succeeded evaluation of this exact version on held-out episodes must beat TWAP
 * (mean difference > 0 with a paired t-statistic of at least `minT`) with a schedule not flagged as degenerate.
 */
export async function promotionEvidence(jobs: JobStore, name: string, version: string, minT: number): Promise<{ ok: boolean; reason: string; evaluation?: string }> {
  const key = modelPolicyName(name, version);
  const { items } = await jobs.list({ kind: 'evaluation', status: 'succeeded', offset: 0, limit: 100000 });
  for (const job of items) {
    const stats = (job.result?.policies as Record<string, { vsTwap?: { meanDiffBps: number; tStat: number } }> | undefined)?.[key];
    if (!stats?.vsTwap) continue;
    const { meanDiffBps, tStat } = stats.vsTwap;
    // A degenerate schedule (front-loaded, or blind to the market) is refused whatever its mean.
    const flags = (job.result?.schedules as Record<string, { flags?: string[] }> | undefined)?.[key]?.flags ?? [];
    const ok = meanDiffBps > 0 && tStat >= minT && flags.length === 0;
    const flagged = flags.length ? `; schedule flagged: ${flags.join(', ')}` : '';
    return {
      ok,
      evaluation: job.id,
      reason: `evaluation ${job.id}: mean difference to TWAP ${meanDiffBps.toFixed(3)} bps, t = ${tStat.toFixed(2)} (needs > 0 and t >= ${minT})${flagged}`,
    };
  }
  return { ok: false, reason: `no evaluation of ${key} yet: POST /admin/evaluations with policies ["twap", "${key}"]` };
}

const routes: FastifyPluginAsyncTypebox<{ promotionMinT: number }> = async (app, opts) => {
  const tags = ['admin: models'];

  app.get(
    '/admin/models',
    { schema: { tags, security, summary: 'Models with their versions, metadata and aliases', response: { 200: Type.Object({ items: Type.Array(ModelResponse) }), ...errorResponses(401, 429, 503) } } },
    async () => ({ items: (await services(app).registry.store.listModels()).map(present) }),
  );

  app.get(
    '/admin/models/:name',
    { schema: { tags, security, summary: 'One model', params: ModelParams, response: { 200: ModelResponse, ...errorResponses(401, 404, 429, 503) } } },
    async (request) => {
      const record = await services(app).registry.store.getModel(request.params.name);
      if (!record) throw ApiErrors.modelNotFound([{ path: 'name', reason: 'no such model' }], request.params.name);
      return present(record);
    },
  );

  // The upload has a scope of its own: its JSON body (up to 32 MB) is parsed and checked in a worker thread
  // (upload-check.ts), so a large upload never holds the event loop the decisions run on. The parser hands the
  // route a small body (for the schema) and keeps the checked artifact for the handler.
  const checked = new WeakMap<object, ModelArtifact>();
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, async (request: FastifyRequest, raw: Buffer) => {
      const result = await checkUploadInWorker(raw);
      if (result.kind === 'invalid-json') throw ApiErrors.invalidJson([{ path: 'body', reason: result.message }], result.message);
      if (result.kind === 'refused') throw ApiErrors.invalidArtifact([{ path: result.path, reason: result.reason }], `${result.path}: ${result.reason}`);
      if (result.kind === 'unchecked') return result.body;
      checked.set(request, result.artifact);
      const { modelJson, metadata } = result.artifact;
      return { ...result.rest, modelJson, metadata, weights: CHECKED_WEIGHTS };
    });

    scope.post(
      '/admin/models/:name/versions',
      {
        bodyLimit: UPLOAD_LIMIT,
        schema: {
          tags,
          security,
          summary: 'Upload a model artifact made elsewhere (checked like a loaded one) as a new version',
          params: ModelParams,
          body: UploadRequest,
          response: { 201: ModelResponse, ...errorResponses(400, 401, 409, 413, 429, 503) },
        },
      },
      async (request, reply) => {
        const { registry: source } = services(app);
        const { name } = request.params;
        const artifact = checked.get(request);
        if (!artifact) throw ApiErrors.invalidArtifact([{ path: 'body', reason: 'send the artifact as application/json' }], 'the body was not checked');
        const version = await registry(() => source.store.addVersion(name, artifact, { source: 'upload' }));
        await source.refresh(name);
        requestLog(request).info({ model: name, version: version.version }, 'model version uploaded');
        const record = await source.store.getModel(name);
        return reply.status(201).header('location', `/admin/models/${name}`).send(present(record!));
      },
    );
  });

  app.put(
    '/admin/models/:name/aliases/:alias',
    {
      schema: {
        tags,
        security,
        summary: 'Point an alias at a version (production needs an evaluation that beats TWAP, or force)',
        params: AliasParams,
        body: AliasRequest,
        response: { 200: ModelResponse, ...errorResponses(400, 401, 404, 409, 429, 503) },
      },
    },
    async (request) => {
      const { registry: source, jobs } = services(app);
      const { name, alias } = request.params;
      const { version, force } = request.body;
      const record = await source.store.getModel(name);
      if (!record) throw ApiErrors.modelNotFound([{ path: 'name', reason: 'no such model' }], name);
      if (!record.versions.some((v) => v.version === version)) {
        throw ApiErrors.versionNotFound([{ path: 'version', reason: 'no such version' }], `${name}@${version}`);
      }
      // An alias never points at a version that cannot serve (it would turn the alias into a 404).
      const servable = await source.servable(name, version);
      if (!servable.ok) {
        throw ApiErrors.versionCannotServe([{ path: 'version', reason: servable.reason }], `${name}@${version}`, servable.reason);
      }
      if (alias === DEFAULT_ALIAS) {
        const evidence = await promotionEvidence(jobs.store, name, version, opts.promotionMinT);
        if (!evidence.ok && !force) {
          throw ApiErrors.promotionRefused([{ path: 'version', reason: evidence.reason }], evidence.reason);
        }
        if (!evidence.ok) requestLog(request).warn({ model: name, version, alias, reason: evidence.reason }, 'promotion FORCED past the gate');
      }
      const updated = await registry(() => source.store.setAlias(name, alias, version));
      await source.refresh(name); // loads, then swaps the served snapshot in one step
      requestLog(request).info({ model: name, alias, version }, 'alias moved');
      return present(updated);
    },
  );

  app.delete(
    '/admin/models/:name/aliases/:alias',
    { schema: { tags, security, summary: 'Remove an alias', params: AliasParams, response: { 200: ModelResponse, ...errorResponses(401, 404, 429, 503) } } },
    async (request) => {
      const { registry: source } = services(app);
      const updated = await registry(() => source.store.deleteAlias(request.params.name, request.params.alias));
      await source.refresh(request.params.name);
      return present(updated);
    },
  );

  app.delete(
    '/admin/models/:name/versions/:version',
    { schema: { tags, security, summary: 'Delete a version no alias points at', params: VersionParams, response: { 200: ModelResponse, ...errorResponses(401, 404, 409, 429, 503) } } },
    async (request) => {
      const { registry: source } = services(app);
      const updated = await registry(() => source.store.deleteVersion(request.params.name, request.params.version));
      await source.refresh(request.params.name);
      requestLog(request).info({ model: request.params.name, version: request.params.version }, 'model version deleted');
      return present(updated);
    },
  );
};

export default routes;
