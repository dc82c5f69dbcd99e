/**
 * The execution MDP (docs/DESIGN.md 1 and 3) over any Market: the state a caller of POST /v1/decisions would send,
 * every proposal through the one constraint layer (constraints.ts), fills costed as implementation shortfall.
 * Serving and training share `observe` (observation.ts): the view's observation is built from the same Order and
 * MarketState an HTTP caller would send at this step.
 */
import { applyConstraints } from './constraints.js';
import { fillFees, fillShortfall, midPrice, sideSign, touchPrice, type FeeSchedule } from './costs.js';
import type { Market } from './market.js';
import { observerOf, type ObservationSpec, type Observer } from './observation.js';
import type { MarketState, Order, Side, Slice } from './types.js';

export type RewardType = 'shortfall' | 'vwap' | 'risk-adjusted';
export const REWARD_TYPES: readonly RewardType[] = ['shortfall', 'vwap', 'risk-adjusted'];

export interface EnvConfig {
  readonly side?: Side;
  /** Q; defaults to the market's scenario quantity. */
  readonly quantity?: number;
  readonly reward?: RewardType;
  /** lambda (per unit of currency) of the risk-adjusted reward: risk_k = lambda sigma_k^2 q_{k+1}^2 (AC 2000). */
  readonly riskAversion?: number;
  readonly fees?: FeeSchedule;
  readonly lotSize?: number;
  readonly maxParticipation?: number;
  readonly limitPrice?: number;
  /** P_arr: the touch at the start (default, docs/DESIGN.md 1) or the mid. */
  readonly arrival?: 'touch' | 'mid';
  /** The observation spec of the views (default obs-v1). */
  readonly observation?: ObservationSpec;
}

/** What a policy sees before deciding step k: exactly the HTTP request's order and market, plus the observation. */
export interface EnvView {
  readonly order: Order;
  readonly market: MarketState;
  readonly observation: number[];
}

export interface Fill {
  readonly price: number;
  readonly quantity: number;
  readonly fees: number;
}

export interface StepResult {
  /** The view before the next step (after the last step: the final state, step = horizon). */
  readonly view: EnvView;
  readonly slice: Slice;
  readonly fill: Fill;
  /** In bps of Q x P_arr; the sum over an episode is minus its IS (shortfall reward). */
  readonly reward: number;
  readonly done: boolean;
  /** Step IS in currency, fees included. */
  readonly shortfall: number;
}

export interface EpisodeResult {
  /** Total IS in currency, fees included. */
  readonly shortfall: number;
  readonly shortfallBps: number;
  readonly arrivalPrice: number;
  /** q_0 .. q_T. */
  readonly inventory: number[];
  readonly executedNotional: number;
  readonly fees: number;
  /** Cost against the market's VWAP over the episode, bps (positive = worse than VWAP). */
  readonly vwapCostBps: number;
  /** Shares left when the limit price blocked the terminal trade. */
  readonly unexecuted: number;
}

/** The observation is computed on first read only: baselines never pay for it. */
class View implements EnvView {
  private cached: number[] | undefined;
  constructor(
    readonly order: Order,
    readonly market: MarketState,
    private readonly observer: Observer,
  ) {}
  get observation(): number[] {
    return (this.cached ??= this.observer(this.order, this.market));
  }
}

export class ExecutionEnv {
  readonly market: Market;
  readonly reward: RewardType;
  /** The episode's side, Q and T: fixed by the config, or drawn per episode by a market with `orderTerms`. */
  private episodeSide: Side;
  private episodeQuantity: number;
  private episodeHorizon: number;
  private episodeLot: number | undefined;
  private episodeCap: number | undefined;
  private readonly config: EnvConfig;
  private inventory: Float64Array;
  private arrival = 0;
  private remaining = 0;
  private notional = 0;
  private fees = 0;
  private shortfall = 0;
  private marketVolume = 0;
  private marketNotional = 0;
  private stepVwapCost = 0;
  private unexecuted = 0;
  private current: View | undefined;
  private readonly observer: Observer;

  constructor(market: Market, config: EnvConfig = {}) {
    this.market = market;
    this.config = config;
    this.episodeSide = config.side ?? 'sell';
    this.episodeQuantity = config.quantity ?? market.quantity;
    this.episodeHorizon = market.horizon;
    this.episodeLot = config.lotSize;
    this.episodeCap = config.maxParticipation;
    this.reward = config.reward ?? 'shortfall';
    if (!(this.quantity > 0)) throw new RangeError(`environment: quantity must be > 0, got ${this.quantity}`);
    if (!REWARD_TYPES.includes(this.reward)) {
      throw new RangeError(`environment: reward must be one of ${REWARD_TYPES.join(', ')}, got ${String(this.reward)}`);
    }
    this.inventory = new Float64Array(this.horizon + 1);
    this.observer = observerOf(config.observation ?? 'obs-v1');
  }

  get side(): Side {
    return this.episodeSide;
  }

  get quantity(): number {
    return this.episodeQuantity;
  }

  get horizon(): number {
    return this.episodeHorizon;
  }

  get done(): boolean {
    return this.market.step >= this.horizon;
  }

  /** The current view (call reset first). */
  get view(): EnvView {
    if (!this.current) throw new Error('environment: call reset(seed) first');
    return this.current;
  }

  reset(seed: number): EnvView {
    this.market.reset(seed);
    // A market that draws the order with the path (the generalist scenario) sets what the config leaves open.
    const terms = this.market.orderTerms?.();
    const c = this.config;
    this.episodeSide = c.side ?? terms?.side ?? 'sell';
    this.episodeQuantity = c.quantity ?? terms?.quantity ?? this.market.quantity;
    this.episodeHorizon = this.market.horizon;
    this.episodeLot = c.lotSize ?? terms?.lotSize;
    this.episodeCap = c.maxParticipation ?? terms?.maxParticipation;
    if (this.inventory.length < this.episodeHorizon + 1) this.inventory = new Float64Array(this.episodeHorizon + 1);
    const state = this.market.state();
    this.arrival = this.config.arrival === 'mid' ? midPrice(state) : touchPrice(this.side, state);
    this.remaining = this.quantity;
    this.notional = 0;
    this.fees = 0;
    this.shortfall = 0;
    this.marketVolume = 0;
    this.marketNotional = 0;
    this.stepVwapCost = 0;
    this.unexecuted = 0;
    this.inventory.fill(0);
    this.inventory[0] = this.quantity;
    this.current = new View(this.orderAt(0), state, this.observer);
    return this.current;
  }

  private orderAt(step: number): Order {
    const c = this.config;
    const order: {
      -readonly [K in keyof Order]: Order[K];
    } = {
      side: this.side,
      quantity: this.quantity,
      horizon: this.horizon,
      step,
      remaining: this.remaining,
      arrivalPrice: this.arrival,
      executedNotional: this.notional,
    };
    if (this.episodeLot !== undefined) order.lotSize = this.episodeLot;
    if (this.episodeCap !== undefined) order.maxParticipation = this.episodeCap;
    if (c.limitPrice !== undefined) order.limitPrice = c.limitPrice;
    return order;
  }

  /** Apply the constraint layer to a raw proposal, execute the slice, advance one step. */
  step(proposal: number): StepResult {
    const view = this.view;
    const k = this.market.step;
    if (k >= this.horizon) throw new Error('environment: episode is over; call reset(seed)');
    const slice = applyConstraints(view.order, view.market, proposal);
    const n = slice.quantity;
    const execution = this.market.execute(this.side, n);
    const price = n > 0 ? execution.price : touchPrice(this.side, view.market);
    const fees = n > 0 ? fillFees(price, n, this.config.fees) : 0;
    const stepShortfall = fillShortfall(this.side, this.arrival, price, n) + fees;

    this.remaining -= n;
    if (this.remaining < 1e-9) this.remaining = 0;
    this.notional += price * n;
    this.fees += fees;
    this.shortfall += stepShortfall;
    this.unexecuted += slice.unexecuted;
    this.marketVolume += execution.volume;
    this.marketNotional += execution.volume * execution.marketVwap;
    this.inventory[k + 1] = this.remaining;

    const done = k + 1 >= this.horizon;
    const scale = 1e4 / (this.quantity * this.arrival);
    let reward: number;
    if (this.reward === 'vwap') {
      // Step part: our price against the step's market VWAP; the last step adds the rest of the episode's VWAP cost
      // so the episode return is exactly minus the VWAP cost (bps).
      const cost = sideSign(this.side) * (execution.marketVwap - price) * n + fees;
      this.stepVwapCost += cost;
      reward = -cost * scale;
      if (done) reward -= (this.vwapCost() - this.stepVwapCost) * scale;
    } else if (this.reward === 'risk-adjusted') {
      const sigma = view.market.volatility ?? 0;
      const risk = (this.config.riskAversion ?? 0) * sigma * sigma * this.remaining * this.remaining;
      reward = -(stepShortfall + risk) * scale;
    } else {
      reward = -stepShortfall * scale;
    }

    const next = new View(this.orderAt(k + 1), this.market.state(), this.observer);
    this.current = next;
    return { view: next, slice, fill: { price, quantity: n, fees }, reward, done, shortfall: stepShortfall };
  }

  /** Episode cost against the market's VWAP over the steps so far (currency, fees included). */
  private vwapCost(): number {
    const executed = this.quantity - this.remaining;
    if (executed === 0 || this.marketVolume === 0) return this.fees;
    const marketVwap = this.marketNotional / this.marketVolume;
    return sideSign(this.side) * (marketVwap * executed - this.notional) + this.fees;
  }

  /** Total IS of the episode so far (final once `done`). */
  result(): EpisodeResult {
    const scale = 1e4 / (this.quantity * this.arrival);
    return {
      shortfall: this.shortfall,
      shortfallBps: this.shortfall * scale,
      arrivalPrice: this.arrival,
      inventory: Array.from(this.inventory.subarray(0, this.market.step + 1)),
      executedNotional: this.notional,
      fees: this.fees,
      vwapCostBps: this.vwapCost() * scale,
      unexecuted: this.unexecuted,
    };
  }

  /** Total IS in bps without building the result object (the evaluation's hot loop). */
  shortfallBps(): number {
    return (this.shortfall * 1e4) / (this.quantity * this.arrival);
  }

  /** q_k / Q for k = 0..T (the evaluation keeps a few paths). */
  inventoryPath(): number[] {
    return Array.from(this.inventory.subarray(0, this.market.step + 1), (q) => q / this.quantity);
  }
}

/** Runs one episode, each step the proposal of `propose` for the view; returns the episode result. */
export function runEpisode(env: ExecutionEnv, seed: number, propose: (view: EnvView) => number): EpisodeResult {
  let view = env.reset(seed);
  for (;;) {
    const r = env.step(propose(view));
    if (r.done) break;
    view = r.view;
  }
  return env.result();
}
