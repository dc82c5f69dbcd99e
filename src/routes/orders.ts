/**
 * Parent orders as resources (/v1/orders): open an order once with its ticket, ask for each step's slice, report
 * fills, read the audit trail and the TCA. State lives in the order store (files or PostgreSQL); every change is
 * one locked read-modify-write of the order, so replicas can serve any order.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ApiErrors, invalidRequest } from '../http/errors.js';
import { requestDetails } from '../http/field-paths.js';
import { decideOnOrder, ticketPolicyDetails } from '../http/order-decision.js';
import {
  ExplainOrderQuery, FillRequest, OrderDecisionRequest, OrderDecisionResponse, OrderIdParams, OrderList, OrderListQuery, OrderResponse, OrderTicket, TcaQuery, TcaResponse,
} from '../http/order-schemas.js';
import { requestLog } from '../http/request-log.js';
import { applyFill, cancelOrder, currentStep, expireIfDue, newOrder, orderFigures, OrderStateError } from '../orders/lifecycle.js';
import type { OrderChange } from '../orders/store.js';
import { analyse } from '../orders/tca.js';
import { normalizeTicket } from '../orders/ticket.js';
import type { DecisionRecord, ParentOrder } from '../orders/types.js';
import { renderTcaReport } from '../reports/tca-report.js';
import { errorResponses } from './responses.js';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const tags = ['orders'];
// Swagger's lock: the bearer token these routes need when API_TOKEN is set.
const security = [{ apiToken: [] }];
const iso = (ms: number) => new Date(ms).toISOString();

/** The order as answered: its figures, and the audit trail when asked (explain data only with ?explain=true). */
function view(order: ParentOrder, trail: boolean, explain = false) {
  const t = order.ticket;
  return {
    id: order.id,
    status: order.status,
    createdAt: order.createdAt,
    closedAt: order.closedAt,
    ticket: { ...t, startTime: iso(t.startTime), endTime: iso(t.endTime) },
    arrivalPrice: order.arrivalPrice,
    step: currentStep(order),
    ...orderFigures(order),
    executedQuantity: order.executedQuantity,
    executedNotional: order.executedNotional,
    fees: order.fees,
    unexecuted: order.unexecuted,
    decisions: trail ? order.decisions.map((d) => (explain ? d : { ...d, explain: undefined })) : undefined,
    fills: trail ? [...order.fills] : undefined,
  };
}

function decisionAnswer(orderId: string, d: DecisionRecord) {
  return {
    orderId,
    ...d,
    market: undefined,
    at: undefined,
    remainingAfter: d.remaining - d.quantity,
    fallback: d.fallbackReason === undefined ? undefined : true,
    ...(d.explain ?? {}),
    explain: undefined,
  };
}

const notFound = (id: string) => ApiErrors.orderNotFound([{ path: 'id', reason: 'no such order' }], id);
const conflict = (err: OrderStateError) => ApiErrors.orderConflict(requestDetails(err.issues), err.message);

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { store, now } = app.orders;

  /** One locked change of order `id`; 404 when there is none. */
  const change = async <T>(id: string, fn: OrderChange<T>) => {
    const out = await store.update(id, fn);
    if (!out) throw notFound(id);
    return out;
  };
  const expireChange = (at: number): OrderChange<null> => (o) => ({ order: expireIfDue(o, at), result: null });

  /** The order as it stands now (expired on read when its end time has passed). */
  const current = async (id: string) => {
    const order = await store.get(id);
    if (!order) throw notFound(id);
    const at = now();
    return expireIfDue(order, at) === order ? order : (await change(id, expireChange(at))).order;
  };

  app.post(
    '/v1/orders',
    {
      schema: {
        tags,
        security,
        summary: 'Open a parent order with its algo ticket',
        description:
          'Answers 201 with the order and its Location. The same clientOrderId with the same ticket answers 200 with the ' +
          'order it opened; with another ticket, 409. Defaults: policy TWAP, stepSeconds 60, startTime now, ' +
          'forceCompletion true, lotSize 1; urgency (almgren-chriss only) sets kappa x T to 0.5, 2 or 6.',
        body: OrderTicket,
        response: { 200: OrderResponse, 201: OrderResponse, ...errorResponses(400, 401, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const at = now();
      const ticket = normalizeTicket(request.body, at);
      const details = ticketPolicyDetails(ticket);
      if (details.length) throw invalidRequest(details);
      const { order, created } = await store.create(newOrder(randomUUID(), ticket, request.body, at));
      if (!created && !isDeepStrictEqual(order.request, request.body)) {
        throw ApiErrors.clientOrderIdReused([{ path: 'clientOrderId', reason: 'already used for another ticket' }], String(ticket.clientOrderId), order.id);
      }
      reply.header('location', `/v1/orders/${order.id}`);
      return reply.status(created ? 201 : 200).send(view(order, false));
    },
  );

  app.get(
    '/v1/orders',
    {
      schema: {
        tags,
        security,
        summary: 'List orders, oldest first, by status',
        querystring: OrderListQuery,
        response: { 200: OrderList, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { status, cursor } = request.query;
      const limit = request.query.limit === undefined ? DEFAULT_PAGE : Number(request.query.limit);
      if (limit < 1 || limit > MAX_PAGE) throw invalidRequest([{ path: 'querystring.limit', reason: `must be from 1 to ${MAX_PAGE}` }]);
      if (cursor !== undefined && !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidRequest([{ path: 'querystring.cursor', reason: 'is not a cursor this service gave' }]);
      const at = now();
      for (const id of await store.due(at)) await store.update(id, expireChange(at));
      const page = await store.list({ status, limit, cursor });
      return { orders: page.orders.map((o) => view(o, false)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      schema: {
        tags,
        security,
        summary: 'The order with its audit trail',
        description: 'Every decision (market sent, policy and model version, slice and flags; explain data with ?explain=true) and every fill, in order.',
        params: OrderIdParams,
        querystring: ExplainOrderQuery,
        response: { 200: OrderResponse, ...errorResponses(401, 404) },
      },
    },
    async (request) => view(await current(request.params.id), true, request.query.explain === 'true'),
  );

  app.post(
    '/v1/orders/:id/decisions',
    {
      schema: {
        tags,
        security,
        summary: "The slice for the order's current step",
        description:
          'The step is the one the clock is in (startTime + step x stepSeconds) unless `step` is sent; asking again in one ' +
          'step returns the same decision. The participation cap applies to the estimated volume of the coming step ' +
          '(expectedVolume, else the lower of market.volume and market.averageVolume); capInfeasible says early when the ' +
          'cap cannot finish the order. 409 when the order is not working or the step has passed.',
        params: OrderIdParams,
        querystring: ExplainOrderQuery,
        body: OrderDecisionRequest,
        response: { 200: OrderDecisionResponse, ...errorResponses(400, 401, 404, 409, 413, 415, 503) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const order = await store.get(id);
      if (!order) throw notFound(id);
      request.policyType = order.ticket.policy.type;
      const ctx = {
        models: app.models,
        now: now(),
        explain: request.query.explain === 'true',
        onModelError: (err: unknown, model: string) => requestLog(request).error({ err, model }, 'model failed to decide'),
      };
      const { result } = await change(id, (o) => decideOnOrder(o, request.body, ctx));
      if ('error' in result) throw conflict(result.error);
      return decisionAnswer(id, result.decision);
    },
  );

  app.post(
    '/v1/orders/:id/fills',
    {
      schema: {
        tags,
        security,
        summary: 'Report a fill of the order',
        description:
          'A repeated fillId changes nothing and answers the same; a fill beyond the remaining quantity, on the other side, ' +
          'or on an order that is not working is a 409. The order is filled when its fills reach its quantity.',
        params: OrderIdParams,
        body: FillRequest,
        response: { 200: OrderResponse, ...errorResponses(400, 401, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body;
      if (body.time !== undefined && !Number.isFinite(Date.parse(body.time))) throw invalidRequest([{ path: 'time', reason: 'must be an ISO-8601 date-time' }]);
      const at = now();
      const { order, result } = await change(request.params.id, (o) => {
        const live = expireIfDue(o, at);
        try {
          return { order: applyFill(live, body, at).order, result: undefined };
        } catch (err) {
          if (err instanceof OrderStateError) return { order: live, result: err };
          throw err;
        }
      });
      if (result) throw conflict(result);
      return view(order, false);
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a working order',
        description: 'The order becomes cancelled with its remainder unexecuted; 409 when it is not working.',
        params: OrderIdParams,
        response: { 200: OrderResponse, ...errorResponses(401, 404, 409) },
      },
    },
    async (request) => {
      const at = now();
      const { order, result } = await change(request.params.id, (o) => {
        const live = expireIfDue(o, at);
        return live.status === 'working' ? { order: cancelOrder(live, at), result: undefined } : { order: live, result: new OrderStateError(`order ${o.id} is ${live.status}, not working`, [{ field: 'status', reason: live.status }]) };
      });
      if (result) throw conflict(result);
      return view(order, false);
    },
  );

  app.get(
    '/v1/orders/:id/tca',
    {
      schema: {
        tags,
        security,
        summary: 'Transaction-cost analysis of the order',
        description:
          'Arrival and average price, implementation shortfall (currency and bps of Q x arrival, fees included), its ' +
          'decomposition (delay, trading, opportunity, fees), interval VWAP slippage when marketVwap was sent with the ' +
          "decisions, achieved participation, and an estimate of TWAP's cost on the same snapshots under linear impact. " +
          '?format=html renders a page with charts.',
        params: OrderIdParams,
        querystring: TcaQuery,
        response: { 200: TcaResponse, ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      const tca = analyse(await current(request.params.id));
      // The html page is not the JSON schema's shape: it goes out as text, past the serializer.
      if (request.query.format === 'html') return reply.type('text/html; charset=utf-8').send(renderTcaReport(tca, iso(now())) as never);
      return { ...tca, steps: [...tca.steps], fills: [...tca.fills] };
    },
  );
};

export default routes;
