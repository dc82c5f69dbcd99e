import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { EvaluationRequest, IdParams, JobList, JobListQuery, JobResponse } from '../../http/admin-schemas.js';
import { requestLog } from '../../http/request-log.js';
import { ApiErrors, invalidRequest } from '../../http/errors.js';
import type { Detail } from '../../http/field-paths.js';
import { scenarioIssues } from '../../http/scenario-check.js';
import { fromEvaluationResult, type EvaluationResult } from '../../jobs/evaluation-job.js';
import type { JobRecord } from '../../jobs/types.js';
import type { ModelArtifact } from '../../models/artifact/artifact.js';
import { DEFAULT_ALIAS } from '../../registry/model-source.js';
import { RegistryError, versionOf } from '../../registry/types.js';
import { ArtifactError } from '../../models/artifact/artifact-error.js';
import { servingModelOf } from '../../models/serving/serving.js';
import { resolveDataFiles } from '../../http/data-roots.js';
import type { TrainingCurvePoint } from '../../reports/evaluation-report.js';
import { renderReportOffThread } from '../../reports/render-off-thread.js';
import { errorResponses } from '../responses.js';
import { paging, security, services } from './common.js';
import { parseModelPolicy, modelPolicyName } from '../../core/policy-ref.js';

const DEFAULT_KEEP_PATHS = 200;

/** The job as listed: the per-episode arrays (IS, paths, sessions) stay out unless asked for (they are large). */
function summary(job: JobRecord, full = false): JobRecord {
  if (full || !job.result) return job;
  type Stored = Record<string, unknown> & { bySide?: Record<string, Record<string, unknown>> };
  const { shortfallBps: _s, inventoryPaths: _p, episodeSessions: _e, bySide, ...rest } = job.result as Stored;
  const sides = bySide && Object.fromEntries(Object.entries(bySide).map(([side, { shortfallBps: _x, ...stats }]) => [side, stats]));
  return { ...job, result: { ...rest, ...(sides ? { bySide: sides } : {}) } };
}

const routes: FastifyPluginAsyncTypebox<{ dataRoots: readonly string[] }> = async (app, opts) => {
  const tags = ['admin: evaluations'];

  const mustFind = async (id: string) => {
    const job = await services(app).jobs.store.get(id);
    if (!job || job.kind !== 'evaluation') throw ApiErrors.evaluationNotFound([{ path: 'id', reason: 'no such evaluation' }], id);
    return job;
  };

  app.post(
    '/admin/evaluations',
    {
      schema: {
        tags,
        security,
        summary: 'Run the evaluation harness as a job over baselines and model versions',
        description: 'Every policy plays the same held-out episodes (common random numbers). Model policies are dqn:<model>[@<version or alias>]; the results name the concrete version (dqn:default@3).',
        body: EvaluationRequest,
        response: { 202: JobResponse, ...errorResponses(400, 401, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { jobs, registry } = services(app);
      const body = request.body;
      const resolved = body.data ? await resolveDataFiles(body.data, opts.dataRoots) : undefined;
      const data = resolved?.files;
      const issues: Detail[] = resolved?.issues.length ? resolved.issues : await scenarioIssues(body.scenario, body.params, data);
      const unservable: Detail[] = [];
      const baselines: string[] = [];
      const models: { policy: string; artifact: ModelArtifact }[] = [];
      for (const [i, name] of body.policies.entries()) {
        const policyRef = parseModelPolicy(name);
        if (!policyRef) {
          if (name === 'oracle' && body.scenario !== 'regime-liquidity') issues.push({ path: `policies.${i}`, reason: 'the oracle exists for regime-liquidity only' });
          baselines.push(name);
          continue;
        }
        const { model, ref = DEFAULT_ALIAS } = policyRef;
        const record = await registry.store.getModel(model);
        const version = record ? versionOf(record, ref) : undefined;
        if (!record || !version) {
          issues.push({ path: `policies.${i}`, reason: record ? `model ${model} has no version or alias ${JSON.stringify(ref)}` : `model not found: ${model}` });
          continue;
        }
        // A stored version that cannot serve is a conflict with the registry's state, not a server error.
        try {
          const artifact = await registry.store.readArtifact(model, version);
          servingModelOf(modelPolicyName(model, version), artifact);
          models.push({ policy: modelPolicyName(model, version), artifact });
        } catch (err) {
          if (!(err instanceof ArtifactError) && !(err instanceof RegistryError)) throw err;
          unservable.push({ path: `policies.${i}`, reason: `${modelPolicyName(model, version)} cannot be loaded: ${err.message}` });
        }
      }
      if (issues.length) throw invalidRequest(issues);
      if (unservable.length) throw ApiErrors.modelNotEvaluable(unservable, unservable[0].reason);
      const job = await jobs.submit('evaluation', body as unknown as Record<string, unknown>, {
        kind: 'evaluation',
        spec: {
          scenario: { scenario: body.scenario, ...(body.params ? { params: body.params } : {}), ...(data ? { data } : {}) },
          episodes: body.episodes,
          ...(body.sides ? { side: body.sides } : {}),
          ...(body.seed !== undefined ? { seed: body.seed } : {}),
          baselines,
          models,
          keepPaths: body.keepPaths ?? DEFAULT_KEEP_PATHS,
        },
      });
      requestLog(request).info({ job: job.id, policies: body.policies }, 'evaluation queued');
      return reply.status(202).header('location', `/admin/evaluations/${job.id}`).send(job);
    },
  );

  app.get(
    '/admin/evaluations',
    { schema: { tags, security, summary: 'Evaluations, newest first', querystring: JobListQuery, response: { 200: JobList, ...errorResponses(400, 401, 429, 503) } } },
    async (request) => {
      const page = paging(request.query);
      const { items, total } = await services(app).jobs.store.list({ kind: 'evaluation', status: request.query.status as never, ...page });
      return { items: items.map((j) => summary(j)), total, ...page };
    },
  );

  app.get(
    '/admin/evaluations/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Status and results (per-policy statistics and the comparison to TWAP)',
        params: IdParams,
        querystring: Type.Object({ full: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Include per-episode IS and inventory paths' })) }, { additionalProperties: false }),
        response: { 200: JobResponse, ...errorResponses(401, 404, 429, 503) },
      },
    },
    async (request) => summary(await mustFind(request.params.id), request.query.full === 'true'),
  );

  app.post(
    '/admin/evaluations/:id/cancel',
    { schema: { tags, security, summary: 'Cancel a queued or running evaluation', params: IdParams, response: { 200: JobResponse, ...errorResponses(401, 404, 429, 503) } } },
    async (request) => summary((await services(app).jobs.cancel((await mustFind(request.params.id)).id))!),
  );

  app.get(
    '/admin/evaluations/:id/report',
    {
      schema: {
        tags,
        security,
        summary: 'The HTML report: inventory paths, IS distributions, differences to TWAP, training curves',
        params: IdParams,
        produces: ['text/html'],
        response: { ...errorResponses(401, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      const { registry, jobs } = services(app);
      const job = await mustFind(request.params.id);
      if (job.status !== 'succeeded' || !job.result) {
        throw ApiErrors.reportNotReady([{ path: 'id', reason: `status ${job.status}` }], job.id, job.status);
      }
      const result = job.result as unknown as EvaluationResult;
      const report = fromEvaluationResult(result);
      // The training curve of each model version involved, from the job that trained it.
      const trainingCurves: Record<string, TrainingCurvePoint[]> = {};
      for (const policy of Object.keys(result.policies)) {
        const m = parseModelPolicy(policy);
        if (!m?.ref) continue;
        const jobId = (await registry.store.getModel(m.model))?.versions.find((v) => v.version === m.ref)?.jobId;
        const training = jobId ? await jobs.store.get(jobId) : undefined;
        if (training?.curve.length) {
          trainingCurves[policy] = training.curve.map((p) => ({ episode: p.episode, shortfallBps: p.movingShortfallBps, loss: p.loss }));
        }
      }
      const html = await renderReportOffThread(report, { title: `Evaluation ${job.id} — ${result.scenario}`, trainingCurves, generatedAt: job.finishedAt });
      return reply.type('text/html; charset=utf-8').send(html);
    },
  );
};

export default routes;
