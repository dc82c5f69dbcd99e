/**
 * The DQN training loop over any execution environment: fit the observation normalisation on exploratory
 * rollouts, then epsilon-greedy episodes feeding a replay buffer and Double DQN updates, a greedy validation on
 * held-out seeds every few episodes, a checkpoint of the best validation IS and early stopping. Everything random
 * is seeded (network initialisers, exploration, replay sampling, market paths), so a run is reproducible.
 */
import { actionCount, actionMask, actionProposal, type ActionSpace } from '../../core/actions.js';
import { isTerminalStep, limitBlocks } from '../../core/constraints.js';
import type { EnvView, StepResult } from '../../core/environment.js';
import { EVAL_SEED } from '../../core/evaluation.js';
import { deriveSeed, Rng } from '../../core/rng.js';
import type { Order, Side } from '../../core/types.js';
import { DqnAgent, type TargetUpdate } from './dqn-agent.js';
import { epsilonAt, type EpsilonSchedule } from './epsilon.js';
import { feasibleActions, learningMask } from '../serving/masking.js';
import { NStepAccumulator } from './n-step.js';
import type { QHead } from './q-network.js';
import { NormalizationFit, normalize, type Normalization } from '../serving/normalizer.js';
import { ReplayBuffer } from './replay-buffer.js';
import { inventoryPotential, shapeReward, type RewardShaping } from './reward-shaping.js';
import { exportModel, type ExportedModel } from '../artifact/tf-artifact.js';

/** The environment as the trainer needs it (core/environment.ts ExecutionEnv satisfies it). */
export interface TrainingEnv {
  reset(seed: number): EnvView;
  step(proposal: number): StepResult;
  /** Total IS of the episode so far, bps of Q x P_arr. */
  shortfallBps(): number;
  /** The simulator (ExecutionEnv has it): its permanent impact feeds the 'mark-to-model' shaping. */
  readonly market?: { impactParams(): { gamma: number; eta?: number }; lastShock?(): number; demonstration?(remaining: number, side: Side): number };
}

export interface DqnConfig {
  readonly episodes: number;
  readonly seed: number;
  readonly actionSpace: ActionSpace;
  readonly hidden: readonly number[];
  /** The Q head: independent outputs or a smooth Chebyshev polynomial over the action levels. */
  readonly head: QHead;
  readonly learningRate: number;
  /** When set, the learning rate falls linearly from learningRate at the first episode to this at the last. */
  readonly learningRateEnd?: number;
  /** 1 by default: the episode's return is then exactly minus its cost, the objective we care about. */
  readonly gamma: number;
  /** n of the n-step returns (1 = plain one-step Double DQN). */
  readonly nSteps: number;
  readonly batchSize: number;
  readonly bufferSize: number;
  /** Environment steps collected before the first update. */
  readonly warmupSteps: number;
  /** One update every `trainEvery` environment steps. */
  readonly trainEvery: number;
  /**
   * Huber threshold in reward units (bps). Costs are right-skewed (a forced terminal trade in a thin market costs
   * 100+ bps), and a small delta behaves like an L1 loss that tracks the median, underpricing risky deferral.
   */
  readonly huberDelta: number;
  readonly gradientClipNorm: number;
  readonly targetUpdate: TargetUpdate;
  readonly epsilon: EpsilonSchedule;
  /** Multiplies the environment's reward (already in bps) before learning. */
  readonly rewardScale: number;
  /** Potential-based shaping of the environment's reward (policy-invariant; see reward-shaping.ts). */
  readonly rewardShaping: RewardShaping;
  /**
   * 'episode-cost' divides each episode's rewards by its own cost scale (costScaleBps: half spread plus temporary
   * impact at the TWAP rate, known at the start), so one Huber threshold fits a 1-bps market and a 100-bps one,
   * and validation ranks checkpoints by the mean paired difference to TWAP in those units (every episode weighs
   * the same) plus any mean loss to TWAP in bps (over the mean scale). Absent: rewards in bps, validation by mean IS.
   */
  readonly rewardNormalization?: 'episode-cost';
  /**
   * DQfD-style large-margin pull (dqn-agent.ts Anchor), margin per 1x TWAP away, towards each state's TWAP action
   * or, with source 'demonstration', towards the slice the simulator's privileged planner would trade
   * (Market.demonstration; TWAP where the simulator has none).
   */
  readonly anchor?: { readonly margin: number; readonly weight: number; readonly source?: 'twap' | 'demonstration' };
  /** Random-policy episodes that fit the observation mean/std before training. */
  readonly normalizationEpisodes: number;
  /** Validate every `evalEvery` episodes on `evalEpisodes` held-out seeds (0 disables validation). */
  readonly evalEvery: number;
  readonly evalEpisodes: number;
  /** Stop after this many validations without improvement (0 = never stop early). */
  readonly patience: number;
}

export const DEFAULT_DQN_CONFIG: DqnConfig = {
  episodes: 3000,
  seed: 1,
  actionSpace: { kind: 'twap-multiple', levels: 39, max: 2 },
  hidden: [64, 64],
  // The recipe of the shipped model (docs/MODEL.md): smooth head and 3-step returns beat the plain setup there.
  head: { kind: 'chebyshev', degree: 4 },
  learningRate: 1e-3,
  gamma: 1,
  nSteps: 3,
  batchSize: 64,
  bufferSize: 50_000,
  warmupSteps: 1000,
  trainEvery: 1,
  huberDelta: 20,
  gradientClipNorm: 10,
  targetUpdate: { kind: 'hard', every: 500 },
  epsilon: { start: 1, end: 0.05, decayEpisodes: 1500 },
  rewardScale: 1,
  rewardShaping: 'mark-to-market',
  normalizationEpisodes: 200,
  evalEvery: 100,
  evalEpisodes: 200,
  patience: 10,
};

/** The feasible actions for learning and acting in training (see learningMask). */
function trainingMask(space: ActionSpace, view: Pick<EnvView, 'order' | 'market'>, canonical = 0): boolean[] {
  return learningMask(actionMask(space, view.order, view.market), isTerminalStep(view.order) || limitBlocks(view.order, view.market), canonical);
}

/**
 * An episode's cost scale, bps of the arrival price: half the quoted spread plus the temporary impact of trading
 * the TWAP slice at the expected volume (eta x Q / T when the market reports eta), floored at 0.1 bps.
 */
export function costScaleBps(view: Pick<EnvView, 'order' | 'market'>, eta = 0): number {
  const { order, market } = view;
  const mid = (market.bid + market.ask) / 2;
  const halfSpread = ((market.ask - market.bid) / 2 / mid) * 1e4;
  const impact = ((eta * order.quantity) / order.horizon / mid) * 1e4;
  return Math.max(0.1, halfSpread + impact);
}

/** The index of the 1x-TWAP level of a twap-multiple action space (the anchor), or undefined. */
export function twapActionIndex(space: ActionSpace): number | undefined {
  if (space.kind !== 'twap-multiple') return undefined;
  const a = ((space.levels - 1) * 1) / space.max;
  return Number.isInteger(a) ? a : undefined;
}

/** Seed streams: training paths, validation paths and the agent's own draws never share a stream. */
const STREAM = { normalization: 1, exploration: 2, trainEpisodes: 3, validationEpisodes: 4 } as const;

/**
 * Market seeds of training (and normalisation) episodes in [0, EVAL_SEED/2), of validation episodes in
 * [EVAL_SEED/2, EVAL_SEED): neither can ever be one of the evaluation harness's test seeds (EVAL_SEED and up).
 */
const HALF = EVAL_SEED / 2;

export function trainingEpisodeSeed(seed: number, episode: number): number {
  return (deriveSeed(deriveSeed(seed, STREAM.trainEpisodes), episode) >>> 0) % HALF;
}

export function validationEpisodeSeed(seed: number, episode: number): number {
  return HALF + ((deriveSeed(deriveSeed(seed, STREAM.validationEpisodes), episode) >>> 0) % HALF);
}

function normalizationEpisodeSeed(seed: number, episode: number): number {
  return (deriveSeed(deriveSeed(seed, STREAM.normalization), episode + 1) >>> 0) % HALF;
}

export interface TrainingProgress {
  readonly episode: number;
  readonly episodes: number;
  readonly epsilon: number;
  /** Mean Huber loss of the episode's updates (NaN before the first update). */
  readonly loss: number;
  /** Moving mean of the training episodes' IS (bps), last 100 episodes. */
  readonly movingShortfallBps: number;
  /** Greedy mean IS on the validation seeds, and TWAP's on the same seeds for reference. */
  readonly validation?: { readonly shortfallBps: number; readonly best: boolean; readonly twapShortfallBps: number };
}

export interface TrainingOutcome {
  /** The best checkpoint by validation IS (the final network when validation is off). */
  readonly model: ExportedModel;
  readonly normalization: Normalization;
  readonly bestValidationShortfallBps?: number;
  readonly episodesRun: number;
  readonly stoppedEarly: boolean;
  readonly wallTimeMs: number;
}

function fitNormalization(env: TrainingEnv, config: DqnConfig, size: number): Normalization {
  const fit = new NormalizationFit(size);
  const rng = new Rng(deriveSeed(config.seed, STREAM.normalization));
  for (let e = 0; e < config.normalizationEpisodes; e++) {
    let view = env.reset(normalizationEpisodeSeed(config.seed, e));
    for (;;) {
      fit.add(view.observation);
      const options = feasibleActions(actionMask(config.actionSpace, view.order, view.market));
      const a = options[Math.floor(rng.uniform() * options.length)];
      const r = env.step(actionProposal(config.actionSpace, a, view.order));
      if (r.done) break;
      view = r.view;
    }
  }
  return fit.result();
}

/**
 * What TWAP does at a state, as an action: the 1x level when open, else the highest open level (a binding cap: the
 * level at the cap under clipAtBound, the nearest below it otherwise).
 */
export function anchorAction(mask: readonly boolean[], twap: number): number {
  return mask[twap] ? twap : mask.lastIndexOf(true);
}

/** The open twap-multiple level nearest to a demonstrated slice (shares). */
export function demonstrationAction(space: ActionSpace, mask: readonly boolean[], slice: number, order: Order): number {
  if (space.kind !== 'twap-multiple') throw new RangeError('demonstrations need a twap-multiple action space');
  const twapSlice = order.remaining / (order.horizon - order.step);
  const ideal = twapSlice > 0 ? (slice / twapSlice) * ((space.levels - 1) / space.max) : 0;
  let best = -1;
  for (let a = 0; a < mask.length; a++) if (mask[a] && (best < 0 || Math.abs(a - ideal) < Math.abs(best - ideal))) best = a;
  return best;
}

function anchorOf(config: DqnConfig): { action: number; margin: number; weight: number; unit: number } {
  const action = twapActionIndex(config.actionSpace);
  if (action === undefined || config.actionSpace.kind !== 'twap-multiple') throw new RangeError('anchor: the action space needs a 1x-TWAP level (twap-multiple with a level at 1)');
  return { action, unit: (config.actionSpace.levels - 1) / config.actionSpace.max, ...config.anchor! };
}

export async function trainDqn(
  env: TrainingEnv,
  validationEnv: TrainingEnv,
  config: DqnConfig,
  onProgress?: (p: TrainingProgress) => void,
): Promise<TrainingOutcome> {
  const started = performance.now();
  const space = config.actionSpace;
  const nActions = actionCount(space);
  const first = env.reset(trainingEpisodeSeed(config.seed, 0));
  const stateSize = first.observation.length;
  const normalization = config.normalizationEpisodes > 0 ? fitNormalization(env, config, stateSize) : undefined;
  const norm: Normalization = normalization ?? { mean: new Array(stateSize).fill(0), std: new Array(stateSize).fill(1) };

  const agent = new DqnAgent({
    shape: { inputSize: stateSize, hidden: config.hidden, outputSize: nActions, head: config.head },
    seed: config.seed,
    learningRate: config.learningRate,
    // Every bootstrapped transition spans exactly nSteps steps (shorter ones end the episode).
    gamma: Math.pow(config.gamma, config.nSteps),
    huberDelta: config.huberDelta,
    gradientClipNorm: config.gradientClipNorm,
    targetUpdate: config.targetUpdate,
    ...(config.anchor ? { anchor: anchorOf(config) } : {}),
  });
  const buffer = new ReplayBuffer(config.bufferSize, stateSize, nActions);
  const rng = new Rng(deriveSeed(config.seed, STREAM.exploration));
  const nStep = new NStepAccumulator(config.nSteps, config.gamma);
  const recent: number[] = [];
  let best: { shortfallBps: number; model: ExportedModel } | undefined;
  let sinceBest = 0;
  let steps = 0;
  let episode = 0;
  let stoppedEarly = false;

  // The canonical action where the constraint layer decides: the anchor's (TWAP) when anchored, else 0.
  const canonical = config.anchor ? anchorOf(config).action : 0;
  const permanentImpact = config.rewardShaping === 'mark-to-model' ? (env.market?.impactParams().gamma ?? 0) : 0;
  const scratch = new Float32Array(stateSize);
  const demonstrate = config.anchor?.source === 'demonstration' ? env.market?.demonstration?.bind(env.market) : undefined;
  const anchorFor = (view: EnvView, mask: readonly boolean[]): number =>
    demonstrate ? demonstrationAction(space, mask, demonstrate(view.order.remaining, view.order.side), view.order) : anchorAction(mask, canonical);
  // Validation acts as serving does: the serving mask, greedy, no exploration.
  const greedyProposal = (view: EnvView): number =>
    actionProposal(space, agent.greedy(normalize(norm, view.observation, scratch), actionMask(space, view.order, view.market)), view.order);
  const twapProposal = (view: EnvView): number => view.order.remaining / (view.order.horizon - view.order.step);
  // The checkpoint is chosen on the training objective: minus the environment's return, which is the IS for the
  // shortfall reward and e.g. IS + lambda sum sigma^2 q^2 for the risk-adjusted one. With 'mark-to-model' shaping
  // it is the same return without the mid's zero-mean shocks (shaped return + Phi(s_0)): same expectation, far
  // less noise between checkpoints.
  const noiseFree = config.rewardShaping === 'mark-to-model';
  const perEpisode = config.rewardNormalization === 'episode-cost';
  // Per validation episode: its cost and its cost scale.
  const validationCosts = (decide: (view: EnvView) => number): { costs: Float64Array; scales: Float64Array } => {
    const costs = new Float64Array(config.evalEpisodes);
    const scales = new Float64Array(config.evalEpisodes);
    for (let e = 0; e < config.evalEpisodes; e++) {
      let view = validationEnv.reset(validationEpisodeSeed(config.seed, e));
      scales[e] = costScaleBps(view, validationEnv.market?.impactParams().eta);
      let cost = noiseFree ? -inventoryPotential(view.order, view.market) : 0;
      for (;;) {
        const r = validationEnv.step(decide(view));
        cost -= noiseFree ? shapeReward('mark-to-model', r.reward, view, r.view, r.done, permanentImpact, validationEnv.market?.lastShock?.()) : r.reward;
        if (r.done) break;
        view = r.view;
      }
      costs[e] = cost;
    }
    return { costs, scales };
  };
  const mean = (xs: Float64Array): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  let twapCosts: Float64Array | undefined;
  // The criterion: mean IS, or (episode-cost) the mean paired difference to TWAP in cost-scale units.
  const validate = (decide: (view: EnvView) => number): number => {
    const { costs, scales } = validationCosts(decide);
    if (!perEpisode) return mean(costs);
    twapCosts ??= validationCosts(twapProposal).costs;
    const scaled = mean(costs.map((c, e) => (c - twapCosts![e]) / scales[e]));
    // Scaling weighs every episode the same, so a loss confined to the dearest episodes (a large order under a
    // binding cap) would hardly show: a mean loss in bps counts too, in units of the mean scale.
    const raw = mean(costs.map((c, e) => c - twapCosts![e]));
    return scaled + Math.max(0, raw) / mean(scales);
  };
  let twapReference: number | undefined;

  try {
    for (episode = 0; episode < config.episodes; episode++) {
      const epsilon = epsilonAt(config.epsilon, episode);
      if (config.learningRateEnd !== undefined) {
        const done = config.episodes > 1 ? episode / (config.episodes - 1) : 1;
        agent.setLearningRate(config.learningRate + (config.learningRateEnd - config.learningRate) * done);
      }
      let view = env.reset(trainingEpisodeSeed(config.seed, episode));
      const episodeScale = config.rewardScale / (perEpisode ? costScaleBps(view, env.market?.impactParams().eta) : 1);
      let state = normalize(norm, view.observation);
      let lossSum = 0;
      let lossCount = 0;
      for (;;) {
        const mask = trainingMask(space, view, canonical);
        // Draw the exploration coin every step, whatever epsilon is, so the random stream stays aligned.
        const explore = rng.uniform() < epsilon;
        const pick = rng.uniform();
        let action: number;
        if (explore) {
          const options = feasibleActions(mask);
          action = options[Math.floor(pick * options.length)];
        } else {
          action = agent.greedy(state, mask);
        }
        // The demonstration is read before the step: the planner plans step k.
        const anchor = config.anchor ? anchorFor(view, mask) : undefined;
        const r = env.step(actionProposal(space, action, view.order));
        const nextState = normalize(norm, r.view.observation);
        const completed = nStep.push({
          state,
          action,
          reward: shapeReward(config.rewardShaping, r.reward, view, r.view, r.done, permanentImpact, env.market?.lastShock?.()) * episodeScale,
          nextState,
          done: r.done,
          nextMask: r.done ? mask : trainingMask(space, r.view, canonical),
          ...(anchor !== undefined ? { anchor } : {}),
        });
        for (const transition of completed) buffer.add(transition);
        steps++;
        if (steps >= config.warmupSteps && steps % config.trainEvery === 0) {
          lossSum += agent.train(buffer.sample(config.batchSize, rng));
          lossCount++;
        }
        if (r.done) break;
        view = r.view;
        state = nextState;
      }
      recent.push(env.shortfallBps());
      if (recent.length > 100) recent.shift();

      let validation: TrainingProgress['validation'];
      const isLast = episode === config.episodes - 1;
      if (config.evalEvery > 0 && config.evalEpisodes > 0 && ((episode + 1) % config.evalEvery === 0 || isLast)) {
        const shortfallBps = validate(greedyProposal);
        twapReference ??= validate(twapProposal);

        const improved = best === undefined || shortfallBps < best.shortfallBps;
        if (improved) {
          best = { shortfallBps, model: await exportModel(agent.online) };
          sinceBest = 0;
        } else {
          sinceBest++;
        }
        validation = { shortfallBps, best: improved, twapShortfallBps: twapReference };
      }
      onProgress?.({
        episode: episode + 1,
        episodes: config.episodes,
        epsilon,
        loss: lossCount > 0 ? lossSum / lossCount : NaN,
        movingShortfallBps: recent.reduce((s, x) => s + x, 0) / recent.length,
        validation,
      });
      if (config.patience > 0 && sinceBest >= config.patience) {
        stoppedEarly = true;
        episode++;
        break;
      }
    }
    return {
      model: best?.model ?? (await exportModel(agent.online)),
      normalization: norm,
      bestValidationShortfallBps: best?.shortfallBps,
      episodesRun: Math.min(episode, config.episodes),
      stoppedEarly,
      wallTimeMs: performance.now() - started,
    };
  } finally {
    agent.dispose();
  }
}
