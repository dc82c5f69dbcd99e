import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HELD_OUT_BASELINES } from '../../models/training/held-out.js';
import type { DqnConfig } from '../../models/training/trainer.js';
import { trainingConfig, trainingConfigIssues } from '../../models/training/training-config.js';
import { resolveDataFiles } from '../../http/data-roots.js';
import { JobList, JobListQuery, JobResponse, IdParams, TrainingJobRequest } from '../../http/admin-schemas.js';
import { requestLog } from '../../http/request-log.js';
import { ApiErrors, invalidRequest } from '../../http/errors.js';
import { scenarioIssues } from '../../http/scenario-check.js';
import { errorResponses } from '../responses.js';
import { paging, security, services } from './common.js';


const routes: FastifyPluginAsyncTypebox<{ dataRoots: readonly string[] }> = async (app, opts) => {
  const tags = ['admin: training'];

  app.post(
    '/admin/training-jobs',
    {
      schema: {
        tags,
        security,
        summary: 'Queue a training job; a success registers the model as a new version',
        body: TrainingJobRequest,
        response: { 202: JobResponse, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request, reply) => {
      const { jobs } = services(app);
      const body = request.body;
      const resolved = body.data ? await resolveDataFiles(body.data, opts.dataRoots) : undefined;
      const data = resolved?.files;
      const issues = resolved?.issues.length ? resolved.issues : await scenarioIssues(body.scenario, body.params, data);
      if (body.riskAversion !== undefined && body.reward !== 'risk-adjusted') {
        issues.push({ path: 'riskAversion', reason: 'applies to the risk-adjusted reward only' });
      }
      const config: DqnConfig = trainingConfig(body.episodes, body.seed, body.agent);
      issues.push(...trainingConfigIssues(config, 'agent'));
      if (issues.length) throw invalidRequest(issues);
      const job = await jobs.submit('training', body as unknown as Record<string, unknown>, {
        kind: 'training',
        model: body.model,
        spec: {
          scenario: { scenario: body.scenario, ...(body.params ? { params: body.params } : {}), ...(data ? { data } : {}) },
          reward: body.reward ?? 'shortfall',
          ...(body.riskAversion !== undefined ? { riskAversion: body.riskAversion } : {}),
          config,
          version: `${body.model}-seed${body.seed}`,
          evaluation: { episodes: body.evaluationEpisodes ?? 500, baselines: HELD_OUT_BASELINES },
        },
      });
      requestLog(request).info({ job: job.id, model: body.model, scenario: body.scenario }, 'training job queued');
      return reply.status(202).header('location', `/admin/training-jobs/${job.id}`).send(job);
    },
  );

  app.get(
    '/admin/training-jobs',
    { schema: { tags, security, summary: 'Training jobs, newest first', querystring: JobListQuery, response: { 200: JobList, ...errorResponses(400, 401, 429, 503) } } },
    async (request) => {
      const { jobs } = services(app);
      const page = paging(request.query);
      const { items, total } = await jobs.store.list({ kind: 'training', status: request.query.status as never, ...page });
      return { items, total, ...page };
    },
  );

  app.get(
    '/admin/training-jobs/:id',
    { schema: { tags, security, summary: 'Status, progress, latest metrics and learning curve', params: IdParams, response: { 200: JobResponse, ...errorResponses(401, 404, 429, 503) } } },
    async (request) => {
      const job = await services(app).jobs.store.get(request.params.id);
      if (!job || job.kind !== 'training') throw ApiErrors.trainingJobNotFound([{ path: 'id', reason: 'no such training job' }], request.params.id);
      return job;
    },
  );

  app.post(
    '/admin/training-jobs/:id/cancel',
    { schema: { tags, security, summary: 'Cancel a queued or running job', params: IdParams, response: { 200: JobResponse, ...errorResponses(401, 404, 429, 503) } } },
    async (request) => {
      const { jobs } = services(app);
      const job = await jobs.store.get(request.params.id);
      if (!job || job.kind !== 'training') throw ApiErrors.trainingJobNotFound([{ path: 'id', reason: 'no such training job' }], request.params.id);
      const after = await jobs.cancel(job.id);
      requestLog(request).info({ job: job.id, status: after?.status }, 'training job cancel requested');
      return after ?? job;
    },
  );
};

export default routes;
