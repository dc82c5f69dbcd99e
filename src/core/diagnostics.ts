/**
 * Guards against a degenerate learned schedule before anyone promotes it: a policy that front-loads the order
 * (the classic DQN collapse to "sell everything now"), or whose schedule is (near) the same whatever the market
 * does, so it cannot be adapting to anything. Computed from the inventory paths q_k / Q of every evaluated episode.
 */

export interface ScheduleDiagnostics {
  /** Mean share of Q executed by the end of the first tenth of the horizon (TWAP: 0.1). */
  readonly frontLoadShare: number;
  /** Mean share of Q executed at the very first step (TWAP: 1/T). */
  readonly firstSliceShare: number;
  /** Mean over steps of the cross-episode standard deviation of q_k / Q: 0 for a fixed schedule. */
  readonly dispersion: number;
  readonly flags: readonly ScheduleFlag[];
}

export type ScheduleFlag = 'front-loaded' | 'constant-schedule';

/** Executing more than this share in the first tenth of the horizon is front-loading (TWAP does 0.1). */
export const FRONT_LOAD_LIMIT = 0.5;
/** Below this mean dispersion of the inventory path the schedule does not react to the market. */
export const CONSTANT_SCHEDULE_LIMIT = 0.005;

/** Accumulates inventory paths one episode at a time (no path is kept). */
export class ScheduleStats {
  private sum: number[] = [];
  private sumSq: number[] = [];
  private count: number[] = [];
  private first = 0;
  private front = 0;
  private episodes = 0;

  add(path: readonly number[]): void {
    const horizon = path.length - 1;
    if (horizon < 1) return;
    for (let k = 0; k < path.length; k++) {
      this.sum[k] = (this.sum[k] ?? 0) + path[k];
      this.sumSq[k] = (this.sumSq[k] ?? 0) + path[k] * path[k];
      this.count[k] = (this.count[k] ?? 0) + 1;
    }
    this.first += path[0] - path[1];
    this.front += path[0] - path[Math.max(1, Math.round(horizon / 10))];
    this.episodes++;
  }

  result(): ScheduleDiagnostics {
    const n = Math.max(1, this.episodes);
    let dispersion = 0;
    let steps = 0;
    for (let k = 1; k < this.sum.length - 1; k++) {
      const c = this.count[k];
      if (c < 2) continue;
      const m = this.sum[k] / c;
      dispersion += Math.sqrt(Math.max(0, this.sumSq[k] / c - m * m));
      steps++;
    }
    dispersion = steps > 0 ? dispersion / steps : 0;
    const frontLoadShare = this.front / n;
    const flags: ScheduleFlag[] = [];
    if (frontLoadShare > FRONT_LOAD_LIMIT) flags.push('front-loaded');
    if (this.episodes >= 2 && dispersion < CONSTANT_SCHEDULE_LIMIT) flags.push('constant-schedule');
    return { frontLoadShare, firstSliceShare: this.first / n, dispersion, flags };
  }
}
