/**
 * Policies by name for the evaluation harness: the baselines (through the one factory, createBaseline), the
 * regime-liquidity oracle, and a registry of resolvers for learned policies (`dqn:<model>`), which the models
 * module registers so the core never imports TF.js.
 */
import type { Market } from './market.js';
import { regimeOracle } from './oracle.js';
import { createBaseline, type BaselineSpec } from './policies/index.js';
import { RegimeLiquidityMarket } from './scenarios/regime-liquidity.js';
import type { Policy } from './types.js';

/**
 * What the harness runs: a Policy under the name its report uses (`pov:0.2`, `dqn:default`); the environment
 * applies the constraint layer to each proposal.
 */
export interface EvaluatedPolicy extends Policy {
  readonly name: string;
  /** Called after each reset with the episode's market: baselines whose parameters are per episode rebuild. */
  begin?(market: Market): void;
}

/** `policy` under the report name `name`. */
export function named(name: string, policy: Policy): EvaluatedPolicy {
  return { name, type: policy.type, propose: (order, market) => policy.propose(order, market) };
}

/** Default risk aversion of the `almgren-chriss` baseline in the harness (lambda per unit of currency). */
export const DEFAULT_RISK_AVERSION = 1e-6;
export const DEFAULT_POV_RATE = 0.1;

/** A resolver for names `<prefix>:<rest>` (e.g. `dqn:default`); it gets the rest and the market. */
export type PolicyResolver = (rest: string, market: Market) => EvaluatedPolicy;
const resolvers = new Map<string, PolicyResolver>();

/**
 * HOOK for learned policies: the DQN module calls `registerPolicyResolver('dqn', (model, market) => ...)` at
 * start-up (CLI) so `--policies dqn:<model>` works. Returns an unregister function (tests).
 */
export function registerPolicyResolver(prefix: string, resolver: PolicyResolver): () => void {
  resolvers.set(prefix, resolver);
  return () => resolvers.delete(prefix);
}

/**
 * Names: twap, vwap (the market's expected volume profile), pov[:rate], almgren-chriss[:lambda] (impact
 * parameters from the market), oracle (regime-liquidity only), <prefix>:<rest> for registered resolvers.
 * @throws RangeError naming the accepted policies.
 */
export function policyFromName(name: string, market: Market): EvaluatedPolicy {
  const [head, ...restParts] = name.split(':');
  const rest = restParts.join(':');
  const spec = baselineSpec(head, rest, market);
  if (spec && (head === 'vwap' || head === 'almgren-chriss')) {
    // The volume profile and the impact parameters are the episode's (a replay estimates them per episode from
    // earlier data), so they are read again at every episode's start.
    let policy = createBaseline(spec);
    return {
      name,
      type: policy.type,
      propose: (order, state) => policy.propose(order, state),
      begin: (episodeMarket) => {
        policy = createBaseline(baselineSpec(head, rest, episodeMarket)!);
      },
    };
  }
  if (spec) return named(name, createBaseline(spec));
  if (head === 'oracle') {
    if (!(market instanceof RegimeLiquidityMarket)) {
      throw new RangeError(`policy oracle exists only for scenario regime-liquidity, not ${market.name}`);
    }
    return named(name, regimeOracle(market.params));
  }
  const resolver = resolvers.get(head);
  if (resolver) return resolver(rest, market);
  const known = ['twap', 'vwap', 'pov[:rate]', 'almgren-chriss[:lambda]', 'oracle', ...[...resolvers.keys()].map((p) => `${p}:<name>`)];
  throw new RangeError(`unknown policy "${name}"; use one of ${known.join(', ')}`);
}

function numberArg(policy: string, raw: string, fallback: number): number {
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new RangeError(`policy ${policy}: "${raw}" is not a number`);
  return value;
}

function baselineSpec(head: string, rest: string, market: Market): BaselineSpec | undefined {
  switch (head) {
    case 'twap':
      return { type: 'twap' };
    case 'vwap':
      return { type: 'vwap', volumeProfile: market.volumeProfile() };
    case 'pov':
      return { type: 'pov', rate: numberArg('pov', rest, DEFAULT_POV_RATE) };
    case 'almgren-chriss':
      return { type: 'almgren-chriss', riskAversion: numberArg('almgren-chriss', rest, DEFAULT_RISK_AVERSION), ...market.impactParams() };
    default:
      return undefined;
  }
}
