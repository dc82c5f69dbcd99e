import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { actionMask, actionProposal } from '../../src/core/actions.js';
import { applyConstraints, isTerminalStep, limitBlocks } from '../../src/core/constraints.js';
import { ExecutionEnv } from '../../src/core/environment.js';
import { RegimeLiquidityMarket } from '../../src/core/scenarios/regime-liquidity.js';
import { IntradayMarket } from '../../src/core/scenarios/intraday.js';
import { denseLayersOf } from '../../src/models/artifact/artifact.js';
import { dqnPolicy, registerDqnResolver } from '../../src/models/serving/dqn-policy.js';
import { policyFromName } from '../../src/core/evaluation-policies.js';
import { LeanNetwork } from '../../src/models/serving/lean-network.js';
import { normalize } from '../../src/models/serving/normalizer.js';
import { loadServingModel, servingModelOf, type DqnModel } from '../../src/models/serving/serving.js';
import { stateArb } from '../core/arbitraries.js';
import { policyContract, RUNS } from '../core/policy-contract.js';
import { makeArtifact, tempDir, withOutputBias, writeTestModel } from './fixtures.js';

const models: DqnModel[] = [];

t.before(async () => {
  models.push(servingModelOf('random-twap-multiple', await makeArtifact(5)));
  models.push(servingModelOf('random-fraction', await makeArtifact(6, { kind: 'fraction', levels: 20 })));
  // The shipped model too, when it is there: the contract is about what actually serves.
  if (existsSync('models/default/metadata.json')) models.push(await loadServingModel('models/default'));
});

t.test('DQN policy keeps every invariant of docs/DESIGN.md 1 (shared contract)', async (t) => {
  for (const model of models) policyContract(t, `dqn ${model.name}`, () => dqnPolicy(model));
});

t.test('the chosen action is feasible, so the constraint layer never has to cap it (but clipAtBound\'s level at the bound)', async (t) => {
  for (const model of models) {
    fc.assert(
      fc.property(stateArb, ({ order, market }) => {
        const d = model.infer(order, market);
        if (!d.qValues.every(Number.isFinite)) throw new Error('non-finite Q-values');
        if (!d.mask[d.action]) throw new Error(`masked action ${d.action} chosen`);
        const best = Math.max(...d.qValues.filter((_, a) => d.mask[a]));
        if (d.qValues[d.action] !== best) throw new Error('not the best feasible action');
        if (d.proposal !== actionProposal(model.metadata.actionSpace, d.action, order)) throw new Error('proposal mismatch');
        if (!isTerminalStep(order) && !limitBlocks(order, market) && applyConstraints(order, market, d.proposal).capped) {
          // Only clipAtBound's one open level past the bound may be cut, to the bound itself.
          const space = model.metadata.actionSpace;
          const below = d.action > 0 && applyConstraints(order, market, actionProposal(space, d.action - 1, order)).capped;
          if (!(space.kind === 'twap-multiple' && space.clipAtBound) || below) throw new Error('a feasible action was capped');
        }
      }),
      { numRuns: RUNS, seed: 3 },
    );
    t.pass(`${model.name}: ${RUNS} random states`);
  }
});

t.test('masking when acting: a masked action with the highest Q-value is not chosen', async (t) => {
  // Action 38 (2x TWAP) gets a huge Q-value; the cap below masks it.
  const model = servingModelOf('biased', withOutputBias(await makeArtifact(5), 38, 1e4));
  // Participation cap 10% of 20,000 = 2,000 shares: with a TWAP slice of 5,000 only actions up to 0.4x are open.
  const order = { side: 'sell' as const, quantity: 100_000, horizon: 20, step: 0, remaining: 100_000, maxParticipation: 0.1 };
  const market = { bid: 99.99, ask: 100.01, volume: 20_000, averageVolume: 50_000, volatility: 0.05 };
  const uncapped = model.infer({ ...order, maxParticipation: undefined }, market);
  t.equal(uncapped.action, 38, 'without the cap the biased action wins');
  const d = model.infer(order, market);
  t.same(d.mask, actionMask(model.metadata.actionSpace, order, market));
  t.equal(d.mask.filter(Boolean).length, 8, 'actions 0..7 (up to 0.37x TWAP) are open');
  t.equal(d.qValues.indexOf(Math.max(...d.qValues)), 38, 'the unmasked argmax is still action 38');
  t.ok(d.mask[d.action] && d.action !== 38, `chose feasible action ${d.action}`);
  t.ok(d.proposal <= 2000, `proposal ${d.proposal} within the cap`);
});

t.test('serving sees the environment observation for the same state, and decides from it', async (t) => {
  for (const market of [new RegimeLiquidityMarket(), new IntradayMarket()]) {
    const env = new ExecutionEnv(market, { maxParticipation: 0.5, lotSize: 10 });
    const model = models[0];
    const lean = new LeanNetwork(denseLayersOf(await makeArtifact(5)));
    for (const seed of [1, 2, 3]) {
      let view = env.reset(seed);
      for (;;) {
        const d = model.infer(view.order, view.market);
        t.same(d.observation, view.observation, `${market.name} seed ${seed} step ${view.order.step}`);
        const q = lean.forward(normalize(model.metadata.observation, view.observation));
        t.same(d.qValues, Array.from(q), 'Q-values from the normalised environment observation');
        const r = env.step(d.proposal);
        if (r.done) break;
        view = r.view;
      }
    }
  }
});

t.test('loadServingModel names the model after its directory', async (t) => {
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = await writeTestModel(root, 'my-model');
  const model = await loadServingModel(dir);
  t.equal(model.name, 'my-model');
  t.equal(model.metadata.observation.spec, 'obs-v1');
});

t.test('the evaluation harness resolves dqn:<model> once the resolver is registered', async (t) => {
  const root = await tempDir();
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await writeTestModel(root, 'alpha');
  const market = new RegimeLiquidityMarket();
  t.throws(() => policyFromName('dqn:alpha', market), /unknown policy "dqn:alpha"/, 'not before registration');
  const unregister = await registerDqnResolver(root);
  t.teardown(unregister);
  const policy = policyFromName('dqn:alpha', market);
  t.equal(policy.name, 'dqn:alpha');
  const env = new ExecutionEnv(market);
  const view = env.reset(1);
  const model = await loadServingModel(join(root, 'alpha'));
  t.equal(policy.propose(view.order, view.market), model.infer(view.order, view.market).proposal);
  t.throws(() => policyFromName('dqn:beta', market), /model not found under .* \(loaded models: alpha\)/);
});
