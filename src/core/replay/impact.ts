/**
 * The market-impact model the `replay` scenario puts on top of recorded bars (docs/REPLAY.md). Bars show no depth
 * and the recorded order flow does not react to us, so the cost of our child orders beyond the touch comes from
 * three terms, all in price units per share, all scaled by the instrument's own volatility and volume:
 * - temporary impact h = eta x sigma_day x (n / v)^delta, paid by the child only (Almgren, Thum, Hauptmann and
 *   Li 2005: eta 0.142; delta 0.5 is the square-root law, theirs was 0.6);
 * - beyond the touch: shares past the touch size walk a modelled book of levels `tick` apart, each holding the
 *   usual touch size (a flat book like the visible one);
 * - a transient impact: each child displaces the price by Y/2 x sigma_step x sqrt(n / v), which decays with the
 *   propagator G(tau) = (1 + tau / tau0)^-beta (Bouchaud, Gefen, Potters and Wyart 2004; beta 0.5 is the
 *   no-arbitrage bound delta + beta >= 1 of Gatheral 2010). With beta 0.5 and a constant participation the
 *   displacement at the end of a parent order grows like Y sigma_day sqrt(Q / V_day): the square-root law of
 *   metaorders (Toth et al. 2011, Y of order one).
 */

export interface ImpactModelParams {
  /** Temporary impact coefficient (per unit of daily volatility). */
  readonly eta: number;
  /** Exponent of the child's share of the step's volume in the temporary impact. */
  readonly delta: number;
  /** Square-root-law prefactor Y of the transient (propagator) impact; 0 turns it off. */
  readonly impactY: number;
  /** Decay exponent beta of the propagator kernel. */
  readonly kernelBeta: number;
  /** Time scale tau0 of the kernel, seconds. */
  readonly kernelSeconds: number;
  /** The step's volume is taken as at least this fraction of its expected volume (a step with no trades). */
  readonly volumeFloor: number;
}

export const IMPACT_DEFAULTS: ImpactModelParams = {
  eta: 0.142,
  delta: 0.5,
  impactY: 0.5,
  kernelBeta: 0.5,
  kernelSeconds: 60,
  volumeFloor: 0.1,
};

/** The volatility and volume scales of one episode, measured on earlier data only. */
export interface ImpactScale {
  /** Mid's standard deviation over one trading day (price units). */
  readonly sigmaDay: number;
  /** Over one step. */
  readonly sigmaStep: number;
  /** Expected market volume of a step. */
  readonly stepVolume: number;
}

/** Participation n / v with the step volume floored. */
export function participation(p: ImpactModelParams, scale: ImpactScale, shares: number, stepVolume: number): number {
  return shares / Math.max(stepVolume, p.volumeFloor * scale.stepVolume, 1e-12);
}

/** Temporary impact per share (price units) of a child of `shares` in a step that traded `stepVolume`. */
export function temporaryImpact(p: ImpactModelParams, scale: ImpactScale, shares: number, stepVolume: number): number {
  if (!(shares > 0)) return 0;
  return p.eta * scale.sigmaDay * participation(p, scale, shares, stepVolume) ** p.delta;
}

/** The price displacement a child leaves behind at its own time (price units), before decay. */
export function transientKick(p: ImpactModelParams, scale: ImpactScale, shares: number, stepVolume: number): number {
  if (!(shares > 0)) return 0;
  return (p.impactY / 2) * scale.sigmaStep * Math.sqrt(participation(p, scale, shares, stepVolume));
}

export function kernel(p: ImpactModelParams, seconds: number): number {
  return (1 + seconds / p.kernelSeconds) ** -p.kernelBeta;
}

/**
 * Extra cost (price x shares, over the level-0 price) of `shares` walking levels `tick` apart holding
 * `levelSize` each: level m (m = 1, 2, ...) costs m x tick per share.
 */
export function walkCost(shares: number, levelSize: number, tick: number): number {
  if (!(shares > 0)) return 0;
  const size = Math.max(levelSize, 1e-12);
  const full = Math.floor(shares / size);
  const rest = shares - full * size;
  return tick * (size * ((full * (full + 1)) / 2) + rest * (full + 1));
}

/** The transient displacement now from earlier kicks (each at its time). */
export class Propagator {
  private readonly times: number[] = [];
  private readonly kicks: number[] = [];
  constructor(private readonly p: ImpactModelParams) {}
  reset(): void {
    this.times.length = 0;
    this.kicks.length = 0;
  }
  add(time: number, kick: number): void {
    if (kick === 0) return;
    this.times.push(time);
    this.kicks.push(kick);
  }
  displacement(now: number): number {
    let d = 0;
    for (let i = 0; i < this.kicks.length; i++) d += this.kicks[i] * kernel(this.p, now - this.times[i]);
    return d;
  }
}
