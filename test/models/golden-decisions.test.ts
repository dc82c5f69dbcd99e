/**
 * The shipped models answer exactly as they did when test/fixtures/golden-decisions.json was recorded
 * (scripts/record-golden-decisions.ts): a new observation spec, a domain guard or a new serving path must not move
 * an older model's decisions.
 */
import { readFile } from 'node:fs/promises';
import t from 'tap';
import type { MarketState, Order } from '../../src/core/types.js';
import { loadModelCatalog } from '../../src/models/serving/catalog.js';

interface Golden {
  model: string;
  weightsSha256: string;
  decisions: { order: Order; market: MarketState; action: number; proposal: number; qValues: number[] }[];
}

const golden = JSON.parse(await readFile('test/fixtures/golden-decisions.json', 'utf8')) as Golden[];
const catalog = await loadModelCatalog('models');

for (const g of golden) {
  t.test(`${g.model}: every recorded decision is unchanged`, async (t) => {
    const model = catalog.get(g.model);
    t.ok(model, 'the shipped model still loads');
    if (!model) return;
    t.equal(model.metadata.weightsSha256, g.weightsSha256, 'same weights as when recorded');
    let moved = 0;
    for (const d of g.decisions) {
      const now = model.infer(d.order, d.market);
      if (now.action !== d.action || now.proposal !== d.proposal || now.qValues.some((q, i) => q !== d.qValues[i])) moved++;
    }
    t.equal(moved, 0, `${g.decisions.length} requests, none moved`);
  });
}
