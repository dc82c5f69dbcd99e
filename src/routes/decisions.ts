import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from 'typebox';
import { arrivalPriceOf, orderShortfall, shortfallBps } from '../core/costs.js';
import { orderIssues } from '../core/validate.js';
import type { MarketState, Order } from '../core/types.js';
import { decideWithFallback, type DecisionOutcome } from '../http/decision-path.js';
import { invalidRequest } from '../http/errors.js';
import { requestDetails } from '../http/field-paths.js';
import { requestLog } from '../http/request-log.js';
import { DecisionRequest, DecisionResponse, ExplainQuery } from '../http/schemas.js';
import { errorResponses } from './responses.js';

type DecisionBody = Static<typeof DecisionResponse>;

/**
 * The 200 body as one object literal of fixed shape (absent fields are undefined, which the serializer skips).
 * Assembled with spreads ({ ...slice, ...accounting, ... }) it cost ~15 us more per request (docs/BENCHMARKS.md
 * 1b): fast-json-stringify reads each field of an object V8 had given a slow shape.
 */
function answer(order: Order, market: MarketState, shortfall: number | undefined, d: DecisionOutcome): DecisionBody {
  const { slice, explain } = d;
  return {
    quantity: slice.quantity,
    forced: slice.forced,
    capped: slice.capped,
    limited: slice.limited,
    unexecuted: slice.unexecuted,
    remainingAfter: order.remaining - slice.quantity,
    proposal: d.proposal,
    policy: d.policy,
    action: d.action,
    domain: d.domain,
    fallback: d.fallbackReason === undefined ? undefined : true,
    fallbackReason: d.fallbackReason,
    cumulativeShortfall: shortfall,
    cumulativeShortfallBps:
      shortfall === undefined ? undefined : shortfallBps(shortfall, order.quantity, arrivalPriceOf(order, market)),
    observation: explain?.observation,
    qValues: explain?.qValues,
    mask: explain?.mask,
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
        response: { 200: DecisionResponse, ...errorResponses(400, 404, 413, 415, 422, 503) },
      },
    },
    async (request) => {
      const { policy: spec, order, market } = request.body;
      request.policyType = spec.type;
      const issues = orderIssues(order, market);
      if (issues.length) throw invalidRequest(requestDetails(issues));
      const outcome = decideWithFallback(spec, order, market, app.models, request.query.explain === 'true', (err, model) =>
        requestLog(request).error({ err, model }, 'model failed to decide'),
      );
      return answer(order, market, orderShortfall(order, market), outcome);
    },
  );
};

export default routes;
