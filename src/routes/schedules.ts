import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { planSchedule } from '../core/schedule.js';
import { orderIssues } from '../core/validate.js';
import { invalidRequest } from '../http/errors.js';
import { requestDetails } from '../http/field-paths.js';
import { baselineDetails, buildBaseline } from '../http/request-baseline.js';
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
      const details = [...requestDetails(orderIssues(order, market)), ...baselineDetails(spec, order, market, 'policy')];
      if (details.length) throw invalidRequest(details);
      const policy = buildBaseline(spec, 'policy');
      const plan = planSchedule(policy, order, market, impact ?? { eta: 0, gamma: 0 });
      return { policy: { type: spec.type }, ...plan };
    },
  );
};

export default routes;
