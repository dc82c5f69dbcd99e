import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../core/errors.js';
import { planSchedule } from '../core/schedule.js';
import { orderIssues } from '../core/validate.js';
import { baselineIssues, buildBaseline } from '../http/policy-resolver.js';
import { ScheduleRequest, ScheduleResponse } from '../http/schemas.js';
import { errorResponses } from './responses.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/schedules',
    {
      schema: {
        tags: ['decisions'],
        summary: 'The whole planned schedule of a deterministic policy from the current state',
        description:
          'Per step: the slice, the holdings after it and its expected cost under linear impact (eta, gamma), ' +
          'assuming the market stays as given. A dqn policy adapts to the market, so it has no static schedule.',
        body: ScheduleRequest,
        response: { 200: ScheduleResponse, ...errorResponses(400, 413, 415) },
      },
    },
    async (request) => {
      const { policy: spec, order, market, impact } = request.body;
      request.policyType = spec.type;
      const issues = [...orderIssues(order, market), ...baselineIssues(spec, order, market, 'policy')];
      if (issues.length) throw new DomainError(issues);
      const policy = buildBaseline(spec, 'policy');
      const plan = planSchedule(policy, order, market, impact ?? { eta: 0, gamma: 0 });
      return { policy: { type: spec.type }, ...plan };
    },
  );
};

export default routes;
