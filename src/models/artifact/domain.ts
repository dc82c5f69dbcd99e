/**
 * A model's domain (docs/MODEL.md, "Domain"): the market fields it always saw, the sides it traded, and the range
 * of every order parameter and observation feature met in training. A request inside every bound is answered by
 * the network; a request outside any bound, or without a field the model always had, is not (the route falls
 * back or refuses, naming the field and the bound).
 */
import type { FieldIssue, Subject } from '../../core/errors.js';
import { midPrice } from '../../core/costs.js';
import type { MarketState, Order, Side } from '../../core/types.js';
import { ArtifactError } from './artifact-error.js';

export const DOMAIN_FORMAT = 'domain-v1';

/** Order and market parameters bounded by the domain, each computed from the request (parameterValues). */
export const DOMAIN_PARAMETERS = ['horizon', 'orderSizeVsVolume', 'price', 'maxParticipation', 'lotFraction'] as const;
export type DomainParameter = (typeof DOMAIN_PARAMETERS)[number];

/** The field of the order or the market each parameter and feature comes from, for the issue a caller reads. */
type Source = { readonly subject: Subject; readonly field: string };
const orderField = (field: string): Source => ({ subject: 'order', field });
const marketField = (field: string): Source => ({ subject: 'market', field });
const PARAMETER_SOURCE: Record<DomainParameter, Source> = {
  horizon: orderField('horizon'),
  orderSizeVsVolume: orderField('quantity'),
  price: marketField('bid'),
  maxParticipation: orderField('maxParticipation'),
  lotFraction: orderField('lotSize'),
};
const PARAMETER_MEANING: Record<DomainParameter, string> = {
  horizon: 'T, steps',
  orderSizeVsVolume: 'Q / (averageVolume x T)',
  price: 'mid price',
  maxParticipation: 'participation cap, 1 = no cap',
  lotFraction: 'lotSize / Q, 0 for single shares',
};
const FEATURE_SOURCE: Record<string, Source> = {
  inventory: orderField('remaining'),
  timeLeft: orderField('step'),
  stepsLeft: orderField('step'),
  cumulativeShortfallBps: orderField('executedNotional'),
  priceDivergenceBps: marketField('bid'),
  relativeVolume: marketField('volume'),
  volatilityBps: marketField('volatility'),
  spreadBps: marketField('ask'),
  imbalance: marketField('bidSize'),
  sideImbalance: marketField('bidSize'),
  remainingVsVolume: orderField('remaining'),
  capHeadroom: orderField('maxParticipation'),
};
/** A feature of no single field: the market as a whole. */
const WHOLE_MARKET = marketField('');

export interface Bound {
  readonly min: number;
  readonly max: number;
}

export interface ModelDomain {
  readonly format: typeof DOMAIN_FORMAT;
  /** How the bounds were found: the scenario sampled, episodes, seed, and the margin added to each side. */
  readonly derivedFrom: {
    /** The training scenario (its parameters are metadata.training.scenarioParams). */
    readonly scenario: string;
    readonly episodes: number;
    readonly seed: number;
    /** Each feature's bound is the sampled [min, max] widened by margin x (max - min) on both sides (parameters: none). */
    readonly margin: number;
  };
  /** Market fields present in every training state: a request must carry each. */
  readonly required: readonly (keyof MarketState)[];
  readonly sides: readonly Side[];
  readonly parameters: Readonly<Record<DomainParameter, Bound>>;
  /** By observation feature name (the model's spec). */
  readonly features: Readonly<Record<string, Bound>>;
}

export type Admission =
  | { readonly status: 'in' | 'unknown' }
  | { readonly status: 'missing' | 'out'; readonly issues: readonly FieldIssue[] };

export const IN: Admission = { status: 'in' };
export const UNKNOWN: Admission = { status: 'unknown' };

/** The request's value of each domain parameter (averageVolume is required before this is called). */
export function parameterValues(order: Order, market: MarketState): Record<DomainParameter, number> {
  return {
    horizon: order.horizon,
    orderSizeVsVolume: market.averageVolume ? order.quantity / (market.averageVolume * order.horizon) : Number.NaN,
    price: midPrice(market),
    maxParticipation: order.maxParticipation ?? 1,
    // Lots of one share are no lot constraint at all, whatever Q: 0.
    lotFraction: order.lotSize !== undefined && order.lotSize > 1 ? order.lotSize / order.quantity : 0,
  };
}

/** Market fields the domain requires that the request lacks, each as an issue. */
export function missingFields(domain: ModelDomain, market: MarketState, model: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of domain.required) {
    if (market[field] === undefined) issues.push({ subject: 'market', field, reason: `is required by model ${model}: it was present in every state the model was trained on` });
  }
  return issues;
}

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : Number(x.toPrecision(4)).toString());
const outside = (x: number, b: Bound): boolean => !(x >= b.min && x <= b.max); // NaN is outside

/** Every bound the request breaks (empty when inside). Call after missingFields found nothing. */
export function domainIssues(domain: ModelDomain, features: readonly string[], order: Order, market: MarketState, observation: readonly number[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!domain.sides.includes(order.side)) {
    issues.push({ subject: 'order', field: 'side', reason: `${order.side} is outside the model's domain: trained on ${domain.sides.join(', ')} orders only` });
  }
  const values = parameterValues(order, market);
  for (const p of DOMAIN_PARAMETERS) {
    const b = domain.parameters[p];
    if (b && outside(values[p], b)) {
      issues.push({ ...PARAMETER_SOURCE[p], reason: `${p} (${PARAMETER_MEANING[p]}) = ${fmt(values[p])} is outside the trained range [${fmt(b.min)}, ${fmt(b.max)}]` });
    }
  }
  for (let i = 0; i < features.length; i++) {
    const b = domain.features[features[i]];
    if (b && outside(observation[i], b)) {
      issues.push({ ...(FEATURE_SOURCE[features[i]] ?? WHOLE_MARKET), reason: `observation ${features[i]} = ${fmt(observation[i])} is outside the trained range [${fmt(b.min)}, ${fmt(b.max)}]` });
    }
  }
  return issues;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBound = (v: unknown): v is Bound =>
  isObject(v) && typeof v.min === 'number' && typeof v.max === 'number' && Number.isFinite(v.min) && Number.isFinite(v.max) && v.min <= v.max;
const MARKET_FIELDS = ['bidSize', 'askSize', 'volume', 'averageVolume', 'volatility'];

/** @throws ArtifactError naming the first malformed field of metadata.domain. */
export function validateDomain(raw: unknown, features: readonly string[]): ModelDomain {
  const at = 'metadata.domain';
  if (!isObject(raw)) throw new ArtifactError(at, 'must be an object');
  if (raw.format !== DOMAIN_FORMAT) throw new ArtifactError(`${at}.format`, `must be "${DOMAIN_FORMAT}"`);
  if (!isObject(raw.derivedFrom)) throw new ArtifactError(`${at}.derivedFrom`, 'must be an object');
  if (!Array.isArray(raw.required) || !raw.required.every((f) => MARKET_FIELDS.includes(f as string))) {
    throw new ArtifactError(`${at}.required`, `must list market fields among ${MARKET_FIELDS.join(', ')}`);
  }
  if (!Array.isArray(raw.sides) || raw.sides.length === 0 || !raw.sides.every((s) => s === 'buy' || s === 'sell')) {
    throw new ArtifactError(`${at}.sides`, 'must list "buy" and/or "sell"');
  }
  if (!isObject(raw.parameters)) throw new ArtifactError(`${at}.parameters`, 'must be an object');
  for (const p of DOMAIN_PARAMETERS) {
    if (!isBound(raw.parameters[p])) throw new ArtifactError(`${at}.parameters.${p}`, 'must be { min, max } of finite numbers, min <= max');
  }
  if (!isObject(raw.features)) throw new ArtifactError(`${at}.features`, 'must be an object');
  for (const f of features) {
    if (!isBound(raw.features[f])) throw new ArtifactError(`${at}.features.${f}`, 'must be { min, max } of finite numbers, min <= max');
  }
  return raw as unknown as ModelDomain;
}

/** Features that cannot leave a range whatever the request: the margin never widens past it. */
const NATURAL: Record<string, Bound> = {
  inventory: { min: 0, max: 1 },
  timeLeft: { min: 0, max: 1 },
  stepsLeft: { min: 1, max: Infinity },
  relativeVolume: { min: 0, max: Infinity },
  volatilityBps: { min: 0, max: Infinity },
  spreadBps: { min: 0, max: Infinity },
  imbalance: { min: -1, max: 1 },
  sideImbalance: { min: -1, max: 1 },
  remainingVsVolume: { min: 0, max: Infinity },
  capHeadroom: { min: 0, max: Infinity },
};

/** Running min/max of every parameter and feature over sampled training states, then the domain. */
export class DomainFit {
  private readonly params = new Map<string, [number, number]>();
  private readonly feats: [number, number][];
  private readonly present = new Map<keyof MarketState, boolean>();
  private readonly sides = new Set<Side>();
  private count = 0;

  constructor(private readonly features: readonly string[]) {
    this.feats = features.map(() => [Infinity, -Infinity]);
    for (const f of MARKET_FIELDS) this.present.set(f as keyof MarketState, true);
  }

  add(order: Order, market: MarketState, observation: readonly number[]): void {
    this.count++;
    this.sides.add(order.side);
    for (const [f, ok] of this.present) if (ok && market[f] === undefined) this.present.set(f, false);
    const values = parameterValues(order, market);
    for (const p of DOMAIN_PARAMETERS) {
      const v = values[p];
      if (!Number.isFinite(v)) continue;
      const r = this.params.get(p) ?? [Infinity, -Infinity];
      this.params.set(p, [Math.min(r[0], v), Math.max(r[1], v)]);
    }
    observation.forEach((x, i) => {
      this.feats[i] = [Math.min(this.feats[i][0], x), Math.max(this.feats[i][1], x)];
    });
  }

  /** `declared`: parameter ranges the training market declares (Market.declaredParameters), united with the sample. */
  result(derivedFrom: ModelDomain['derivedFrom'], declared?: Readonly<Record<string, Bound>>): ModelDomain {
    if (this.count === 0) throw new Error('domain: no states sampled');
    const m = derivedFrom.margin;
    // A constant (hi = lo) keeps a rounding-error tolerance so the same value computed again stays inside.
    const pad = (lo: number, hi: number) => Math.max(m * (hi - lo), 1e-9 * Math.max(Math.abs(lo), Math.abs(hi)));
    const widen = ([lo, hi]: [number, number], natural?: Bound): Bound => ({
      min: Math.max(natural?.min ?? -Infinity, lo - pad(lo, hi)),
      max: Math.min(natural?.max ?? Infinity, hi + pad(lo, hi)),
    });
    // Parameters are drawn directly (a sampled [min, max] is the training range itself): no margin. Features
    // diffuse along paths, whose tails a finite sample under-reaches: the margin.
    const exact = ([lo, hi]: [number, number]): Bound => ({ min: lo - 1e-9 * Math.abs(lo), max: hi + 1e-9 * Math.abs(hi) });
    const sampled = (p: DomainParameter): [number, number] => {
      const [lo, hi] = this.params.get(p) ?? [0, 0];
      const d = declared?.[p];
      return d ? [Math.min(lo, d.min), Math.max(hi, d.max)] : [lo, hi];
    };
    const parameters = Object.fromEntries(DOMAIN_PARAMETERS.map((p) => [p, exact(sampled(p))])) as Record<DomainParameter, Bound>;
    // Integer and natural bounds stay natural: a horizon is whole, a cap or a lot fraction never exceeds 1.
    parameters.horizon = { min: Math.max(1, Math.ceil(parameters.horizon.min)), max: Math.floor(parameters.horizon.max) };
    parameters.maxParticipation = { min: Math.max(0, parameters.maxParticipation.min), max: Math.min(1, parameters.maxParticipation.max) };
    parameters.lotFraction = { min: Math.max(0, parameters.lotFraction.min), max: Math.min(1, parameters.lotFraction.max) };
    return {
      format: DOMAIN_FORMAT,
      derivedFrom,
      required: [...this.present].filter(([, ok]) => ok).map(([f]) => f),
      sides: (['sell', 'buy'] as const).filter((s) => this.sides.has(s)),
      parameters,
      features: Object.fromEntries(this.features.map((f, i) => [f, widen(this.feats[i], NATURAL[f])])),
    };
  }
}

/** The domain of an ensemble: where any member was trained (bounds and sides united, required fields shared). */
export function unionDomain(domains: readonly (ModelDomain | undefined)[]): ModelDomain | undefined {
  if (domains.length === 0 || domains.some((d) => d === undefined)) return undefined;
  const ds = domains as ModelDomain[];
  const unite = (bounds: Bound[]): Bound => ({ min: Math.min(...bounds.map((b) => b.min)), max: Math.max(...bounds.map((b) => b.max)) });
  const [first] = ds;
  return {
    format: DOMAIN_FORMAT,
    derivedFrom: { ...first.derivedFrom, episodes: ds.reduce((n, d) => n + d.derivedFrom.episodes, 0) },
    required: first.required.filter((f) => ds.every((d) => d.required.includes(f))),
    sides: (['sell', 'buy'] as const).filter((s) => ds.some((d) => d.sides.includes(s))),
    parameters: Object.fromEntries(DOMAIN_PARAMETERS.map((p) => [p, unite(ds.map((d) => d.parameters[p]))])) as Record<DomainParameter, Bound>,
    features: Object.fromEntries(Object.keys(first.features).map((f) => [f, unite(ds.map((d) => d.features[f]))])),
  };
}
