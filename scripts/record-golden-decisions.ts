/**
 * Records the shipped models' decisions on a fixed, seeded set of requests (test/fixtures/golden-decisions.json),
 * so a change to the observation or the serving path can be proven not to move an existing model's answers.
 *
 *   node --import tsx scripts/record-golden-decisions.ts
 *
 * Run it only when a shipped model's weights change on purpose; the test compares against the recorded file.
 */
import { writeFile } from 'node:fs/promises';
import { ExecutionEnv } from '../src/core/environment.js';
import { Rng } from '../src/core/rng.js';
import { createScenario } from '../src/core/scenarios/index.js';
import type { MarketState, Order, Side } from '../src/core/types.js';
import { loadModelCatalog } from '../src/models/serving/catalog.js';

const OUT = 'test/fixtures/golden-decisions.json';
const SCENARIOS = ['regime-liquidity', 'intraday', 'almgren-chriss'] as const;
const SIDES: Side[] = ['sell', 'buy'];
const PER_CELL = 6;

/** Requests as a caller would send them: states met by a random policy in each simulator, both sides. */
function requests(): { order: Order; market: MarketState }[] {
  const rng = new Rng(20261207);
  const out: { order: Order; market: MarketState }[] = [];
  for (const scenario of SCENARIOS) {
    for (const side of SIDES) {
      const env = new ExecutionEnv(createScenario(scenario), { side, maxParticipation: side === 'buy' ? 0.3 : undefined });
      for (let i = 0; i < PER_CELL; i++) {
        let view = env.reset(1000 + i);
        const stop = Math.floor(rng.uniform() * env.horizon);
        for (let k = 0; k < stop; k++) view = env.step(rng.uniform() * 2 * (view.order.remaining / (view.order.horizon - k))).view;
        out.push({ order: { ...view.order }, market: { ...view.market } });
      }
    }
  }
  return out;
}

const catalog = await loadModelCatalog('models');
const cases = requests();
const golden = catalog.list().filter((e) => e.status === 'loaded').map((e) => {
  const model = catalog.get(e.name)!;
  return {
    model: e.name,
    weightsSha256: e.metadata.weightsSha256,
    decisions: cases.map(({ order, market }) => {
      const d = model.infer(order, market);
      return { order, market, action: d.action, proposal: d.proposal, qValues: d.qValues };
    }),
  };
});
await writeFile(OUT, `${JSON.stringify(golden)}\n`);
process.stdout.write(`wrote ${OUT}: ${golden.length} models x ${cases.length} requests\n`);
