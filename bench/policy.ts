/**
 * Policy-quality bars (docs/QUALITY.md), re-measured from the committed models on held-out seeds (EVAL_SEED upward,
 * common random numbers):
 *
 *   npm run bench:policy [-- --episodes 10000] [--only regime-liquidity,almgren-chriss] [--json]
 *
 * Each bar is a module under bench/policy/ exporting `bar: PolicyBar` (bench/policy/types.ts), imported from the
 * fixed list below; a missing module or model is reported as met: null with the reason, never as a failure of
 * the others. Prints a table per bar, then one JSON document with every result.
 */
import { existsSync } from 'node:fs';
import { numberFlag, flag } from './lib.js';
import type { BarResult, PolicyBar } from './policy/types.js';

const BARS = ['regime-liquidity', 'almgren-chriss', 'intraday', 'lobster', 'generalization'] as const;

async function loadBar(name: string): Promise<PolicyBar | string> {
  const url = new URL(`./policy/${name}.ts`, import.meta.url);
  if (!existsSync(url)) return `bar module bench/policy/${name}.ts not present`;
  try {
    const mod = (await import(url.href)) as { bar?: PolicyBar; default?: PolicyBar };
    const bar = mod.bar ?? mod.default;
    return bar && typeof bar.run === 'function' ? bar : `bench/policy/${name}.ts exports no PolicyBar (bar or default)`;
  } catch (err) {
    return `bench/policy/${name}.ts failed to import: ${(err as Error).message}`;
  }
}

function show(result: BarResult, seconds: number): string {
  const status = result.met === null ? 'NOT MEASURED' : result.met ? 'MET' : 'NOT MET';
  const lines = [`## ${result.bar}: ${status} (${result.model}, ${seconds.toFixed(1)} s)`];
  if (result.note) lines.push(`   ${result.note}`);
  const entries = Object.entries(result.figures);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  for (const [k, v] of entries) lines.push(`   ${k.padEnd(width)}  ${typeof v === 'number' ? String(v) : v}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const episodes = Math.round(numberFlag('episodes', 10_000));
  const only = flag('only', '').split(',').filter(Boolean);
  const names = only.length > 0 ? BARS.filter((b) => only.includes(b)) : BARS;
  const results: (BarResult & { seconds: number })[] = [];
  const started = performance.now();
  for (const name of names) {
    const bar = await loadBar(name);
    const t0 = performance.now();
    let result: BarResult;
    if (typeof bar === 'string') {
      result = { bar: name, model: '-', met: null, figures: {}, note: bar };
    } else {
      try {
        result = await bar.run({ episodes });
      } catch (err) {
        result = { bar: name, model: '-', met: null, figures: {}, note: `bar threw: ${(err as Error).stack ?? String(err)}` };
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    results.push({ ...result, seconds: Number(seconds.toFixed(2)) });
    process.stdout.write(`${show(result, seconds)}\n\n`);
  }
  const summary = results.map((r) => `| ${r.bar} | ${r.model} | ${r.met === null ? 'n/a' : r.met ? 'yes' : 'no'} | ${r.seconds.toFixed(1)} s |`);
  process.stdout.write(['| bar | model | met | time |', '| --- | --- | --- | ---: |', ...summary].join('\n') + '\n\n');
  process.stdout.write(`${JSON.stringify({ episodes, totalSeconds: Number(((performance.now() - started) / 1000).toFixed(2)), results }, null, 2)}\n`);
}

await main();
