import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { DomainError } from '../core/errors.js';
import { arrivalPriceOf, orderShortfall, shortfallBps } from '../core/costs.js';
import { decide } from '../core/decide.js';
import { applyConstraints } from '../core/constraints.js';
import { OBSERVATION_FEATURES } from '../core/observation.js';
import { orderIssues } from '../core/validate.js';
import type { MarketState, Order, Slice } from '../core/types.js';
import { resolvePolicy } from '../http/policy-resolver.js';
import { requestLog } from '../http/request-log.js';
import { DecisionRequest, DecisionResponse, ExplainQuery } from '../http/schemas.js';
import { errorResponses } from './responses.js';

type DecisionBody = Static<typeof DecisionResponse>;

/**
 * The 200 body as one object literal of fixed shape (absent fields are undefined, which the serializer skips).
 * Assembled with spreads ({ ...slice, ...accounting, ... }) it cost ~15 us more per request (docs/BENCHMARKS.md
 * 1b): fast-json-stringify reads each field of an object V8 had given a slow shape.
 */
function answer(
  order: Order,
  market: MarketState,
  shortfall: number | undefined,
  slice: Slice,
  proposal: number,
  policy: DecisionBody['policy'],
  fallbackReason?: string,
  action?: number,
): DecisionBody {
  return {
    quantity: slice.quantity,
    forced: slice.forced,
    capped: slice.capped,
    limited: slice.limited,
    unexecuted: slice.unexecuted,
    remainingAfter: order.remaining - slice.quantity,
    proposal,
    policy,
    action,
    fallback: fallbackReason === undefined ? undefined : true,
    fallbackReason,
    cumulativeShortfall: shortfall,
    cumulativeShortfallBps:
      shortfall === undefined ? undefined : shortfallBps(shortfall, order.quantity, arrivalPriceOf(order, market)),
    observation: undefined,
    qValues: undefined,
    mask: undefined,
  };
}

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/decisions',
    {
      schema: {
        tags: ['decisions'],
        summary: 'The next child slice of a parent order',
        description:
          'Send the order as it stands (step k, shares remaining) and the market now; the answer is the number of ' +
          'shares to trade at this step after the constraints (participation cap, lot size, limit price, the forced ' +
          'terminal trade). Prices are in price units, sizes in shares, a step is one decision interval. ' +
          '`?explain=true` adds the model input, its Q-values and the action mask (dqn).',
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

      if (resolved.kind === 'baseline') {
        const { proposal, slice } = decide(resolved.policy, order, market);
        return answer(order, market, shortfall, slice, proposal, { type: resolved.type }, resolved.fallbackReason);
      }

      const { model } = resolved;
      let out;
      try {
        out = model.decide(order, market);
      } catch (err) {
        // A model that cannot answer is the service's problem, never the caller's: fall back or 503.
        requestLog(request).error({ err, model: model.name }, 'model failed to decide');
        if (!resolved.fallback) throw Object.assign(new Error('model failed to decide'), { statusCode: 503 });
        const { proposal, slice } = decide(resolved.fallback.policy, order, market);
        return answer(order, market, shortfall, slice, proposal, { type: resolved.fallback.type }, `model ${model.name} failed to decide`);
      }
      const slice = applyConstraints(order, market, out.proposal);
      const policy = { type: 'dqn', model: model.name, version: model.version };
      const body = answer(order, market, shortfall, slice, out.proposal, policy, undefined, out.action);
      if (request.query.explain === 'true') {
        body.observation = Object.fromEntries(OBSERVATION_FEATURES.map((f, i) => [f, out.observation[i]]));
        body.qValues = [...out.qValues];
        body.mask = [...out.mask];
      }
      return body;
    },
  );
};

export default routes;
