import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../core/errors.js';
import { arrivalPriceOf, orderShortfall, shortfallBps } from '../core/costs.js';
import { decide } from '../core/decide.js';
import { applyConstraints } from '../core/constraints.js';
import { OBSERVATION_FEATURES } from '../core/observation.js';
import { orderIssues } from '../core/validate.js';
import { resolvePolicy } from '../http/policy-resolver.js';
import { DecisionRequest, DecisionResponse, ExplainQuery } from '../http/schemas.js';
import { errorResponses } from './responses.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: 'The next child slice of a parent order',
        body: DecisionRequest,
        querystring: ExplainQuery,
        response: { 200: DecisionResponse, ...errorResponses(400, 404, 413, 415, 503) },
      },
    },
    async (request) => {
      const { policy: spec, order, market } = request.body;
      request.policyType = spec.type;
      const issues = orderIssues(order, market);
      if (issues.length) throw new DomainError(issues);

      const resolved = resolvePolicy(spec, order, market, app.models);
      const shortfall = orderShortfall(order, market);
      const accounting =
        shortfall === undefined
          ? {}
          : {
              cumulativeShortfall: shortfall,
              cumulativeShortfallBps: shortfallBps(shortfall, order.quantity, arrivalPriceOf(order, market)),
            };

      if (resolved.kind === 'baseline') {
        const { proposal, slice } = decide(resolved.policy, order, market);
        return {
          ...slice,
          ...accounting,
          remainingAfter: order.remaining - slice.quantity,
          proposal,
          policy: { type: resolved.type },
          ...(resolved.fallbackReason ? { fallback: true, fallbackReason: resolved.fallbackReason } : {}),
        };
      }

      const { model } = resolved;
      let out;
      try {
        out = model.decide(order, market);
      } catch (err) {
        // A model that cannot answer is the service's problem, never the caller's: fall back or 503.
        request.log.error({ err, model: model.name }, 'model failed to decide');
        if (!resolved.fallback) throw Object.assign(new Error('model failed to decide'), { statusCode: 503 });
        const { proposal, slice } = decide(resolved.fallback.policy, order, market);
        return {
          ...slice,
          ...accounting,
          remainingAfter: order.remaining - slice.quantity,
          proposal,
          policy: { type: resolved.fallback.type },
          fallback: true,
          fallbackReason: `model ${model.name} failed to decide`,
        };
      }
      const slice = applyConstraints(order, market, out.proposal);
      const explain = request.query.explain === 'true'
        ? {
            observation: Object.fromEntries(OBSERVATION_FEATURES.map((f, i) => [f, out.observation[i]])),
            qValues: [...out.qValues],
            mask: [...out.mask],
          }
        : {};
      return {
        ...slice,
        ...accounting,
        remainingAfter: order.remaining - slice.quantity,
        proposal: out.proposal,
        policy: { type: 'dqn', model: model.name, ...(model.version ? { version: model.version } : {}) },
        action: out.action,
        ...explain,
      };
    },
  );
};

export default routes;
