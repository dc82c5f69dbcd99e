/**
 * The generalization matrix: one learned model (models/default, or BENCH_MODEL_DEFAULT=<dir>) against TWAP
 * in every cell of a grid over its domain, against the regime oracle where one exists and against the
 * Almgren-Chriss objective where AC is optimal. Held-out seeds (EVAL_SEED upward), common random numbers, each cell
 * traded on one side. The model is served as the service serves it: where a request falls outside its domain (or
 * lacks a field it needs) TWAP, the fallback, answers; each cell reports the share of decisions the network made.
 *
 * The quality bars (all must hold):
 * - no cell is worse than TWAP: mean difference >= -0.1 bps or paired t > -2;
 * - over the regime-liquidity cells the model captures >= 70% of the oracle's gain over TWAP (ratio of the mean gains);
 * - on the almgren-chriss cells its objective E[IS] + lambda Var[IS] (IS in currency) is within 5% of AC's.
 *
 * `--cell-episodes N` (default 2,000) sets the held-out episodes per cell; fewer make a quick, noisier run.
 * `--html FILE` also writes the matrix as a heat map (one row per cell, a column per side, coloured by the paired
 * t-statistic against TWAP).
 */
import { ExecutionEnv } from '../../src/core/environment.js';
import { fieldName } from '../../src/core/errors.js';
import { evaluate } from '../../src/core/evaluation.js';
import { policyFromName, type EvaluatedPolicy } from '../../src/core/evaluation-policies.js';
import { createScenario } from '../../src/core/scenarios/index.js';
import { GENERALIST_RANGES, type GeneralistRanges } from '../../src/core/scenarios/generalist-sampler.js';
import { mean, pairedComparison, std } from '../../src/core/stats.js';
import type { Side } from '../../src/core/types.js';
import type { DqnModel } from '../../src/models/serving/serving.js';
import { writeFileSync } from 'node:fs';
import { flag, numberFlag } from '../lib.js';
import { isBarResult, loadBarModel, modelLabel, round } from './lib.js';
import type { BarResult, PolicyBar } from './types.js';

const NAME = 'generalization';
const MODEL = 'default';
export const MIN_DIFF_BPS = -0.1;
export const MIN_T = -2;
export const MIN_CAPTURE = 0.7;
export const MAX_AC_GAP = 0.05;

export interface Cell {
  readonly name: string;
  readonly scenario: 'generalist' | 'regime-liquidity' | 'intraday' | 'almgren-chriss';
  readonly params: Record<string, unknown>;
  readonly side: Side;
  /** The regime oracle (regime-liquidity), or AC's mean-variance optimum with this risk aversion (almgren-chriss). */
  readonly reference?: { readonly kind: 'oracle' } | { readonly kind: 'ac'; readonly lambda: number };
}

/** Every range of the generalist pinned: the middle of the domain, one order and one market. */
export const GENERALIST_MIDDLE: Partial<GeneralistRanges> = {
  ...pin('horizon', 40),
  ...pin('size', 0.05),
  ...pin('price', 100),
  ...pin('volatilityBps', 10),
  ...pin('spreadBps', 5),
  ...pin('volume', 50_000),
  ...pin('openBoost', 2.5),
  ...pin('closeBoost', 4),
  ...pin('rho', 0.8),
  ...pin('regimeSwing', 0.4),
  ...pin('volumeNoise', 0.3),
  imbalanceProbability: 0,
  capProbability: 0,
  lotFractionMax: 0,
  ...pin('etaBps', 50),
  ...pin('gammaBps', 20),
};

function pin(name: string, value: number): Record<string, number> {
  return { [`${name}Min`]: value, [`${name}Max`]: value };
}

/** One dimension at a time at its edges (the middle is GENERALIST_MIDDLE itself). */
const GENERALIST_VARIATIONS: readonly [string, Record<string, number>][] = [
  ['middle', {}],
  ['whole distribution', Object.fromEntries(Object.entries(GENERALIST_RANGES).filter(([k]) => k !== 'buyProbability'))],
  ['T 5', pin('horizon', 5)],
  ['T 400', pin('horizon', 400)],
  ['size 0.5%', pin('size', 0.005)],
  ['size 30%', pin('size', 0.3)],
  ['price 5', pin('price', 5)],
  ['price 2000', pin('price', 2000)],
  ['vol 1 bps', pin('volatilityBps', 1)],
  ['vol 50 bps', pin('volatilityBps', 50)],
  ['spread 1 bps', pin('spreadBps', 1)],
  ['spread 50 bps', pin('spreadBps', 50)],
  ['volume 1k', pin('volume', 1_000)],
  ['volume 1M', pin('volume', 1_000_000)],
  ['rho 0.5', pin('rho', 0.5)],
  ['rho 0.95', pin('rho', 0.95)],
  ['swing 0', pin('regimeSwing', 0)],
  ['swing 0.8', pin('regimeSwing', 0.8)],
  ['imbalance alpha 0.5', { imbalanceProbability: 1, ...pin('imbalanceAlpha', 0.5) }],
  ['cap 5%', { capProbability: 1, ...pin('cap', 0.05) }],
  ['cap 30%', { capProbability: 1, ...pin('cap', 0.3) }],
  ['eta 10 bps', pin('etaBps', 10)],
  ['eta 200 bps', pin('etaBps', 200)],
  ['gamma 5 bps', pin('gammaBps', 5)],
  ['gamma 100 bps', pin('gammaBps', 100)],
  ['lots 1%', { lotFractionMax: 0.01 }],
];

const REGIME_VARIATIONS: readonly [string, Record<string, number>][] = [
  ['default (rho 0.9)', {}],
  ['rho 0.5', { rho: 0.5 }],
  ['rho 0.65', { rho: 0.65 }],
  ['rho 0.8', { rho: 0.8 }],
  ['rho 0.95', { rho: 0.95 }],
  ['sigma 0.02', { sigma: 0.02 }],
  ['s0 20', { s0: 20 }],
  ['T 5', { horizon: 5 }],
];

const INTRADAY_VARIATIONS: readonly [string, Record<string, number>][] = [
  ['with imbalance', {}],
  ['no imbalance', { imbalanceAlpha: 0 }],
  ['50% ADV', { quantity: 2_500_000 }],
];

const AC_LAMBDAS = [0, 1e-6, 1e-5];

const SIDES: readonly Side[] = ['sell', 'buy'];

export function matrixCells(): Cell[] {
  const cells: Cell[] = [];
  for (const side of SIDES) {
    for (const [name, over] of GENERALIST_VARIATIONS) {
      const params = name === 'whole distribution' ? over : { ...GENERALIST_MIDDLE, ...over };
      cells.push({ name: `generalist ${name} ${side}`, scenario: 'generalist', params, side });
    }
    for (const [name, params] of REGIME_VARIATIONS) cells.push({ name: `regime-liquidity ${name} ${side}`, scenario: 'regime-liquidity', params, side, reference: { kind: 'oracle' } });
    for (const [name, params] of INTRADAY_VARIATIONS) cells.push({ name: `intraday ${name} ${side}`, scenario: 'intraday', params, side });
    for (const lambda of AC_LAMBDAS) cells.push({ name: `almgren-chriss lambda ${lambda} ${side}`, scenario: 'almgren-chriss', params: {}, side, reference: { kind: 'ac', lambda } });
  }
  return cells;
}

/** The model as the service serves it: the network inside its domain, TWAP (the fallback) outside. */
function servedPolicy(model: DqnModel, twap: EvaluatedPolicy): EvaluatedPolicy & { readonly counts: { network: number; fallback: number; reason?: string } } {
  const counts: { network: number; fallback: number; reason?: string } = { network: 0, fallback: 0 };
  return {
    name: 'dqn',
    type: 'dqn',
    counts,
    propose(order, market) {
      const admission = model.admit(order, market);
      if (admission.status === 'in' || admission.status === 'unknown') {
        counts.network++;
        return model.infer(order, market).proposal;
      }
      counts.fallback++;
      if (admission.status === 'missing' || admission.status === 'out') counts.reason ??= admission.issues.map((i) => `${fieldName(i)} ${i.reason}`).join('; ');
      return twap.propose(order, market);
    },
  };
}

export interface CellResult {
  readonly cell: string;
  readonly scenario: string;
  readonly side: Side;
  readonly episodes: number;
  readonly twapBps: number;
  readonly dqnVsTwapBps: number;
  readonly dqnVsTwapT: number;
  /** Share of the model's decisions the network made (the rest: outside its domain, TWAP answered). */
  readonly networkShare: number;
  readonly fallbackReason?: string;
  readonly oracleVsTwapBps?: number;
  readonly capture?: number;
  readonly acGap?: number;
  /** The first bar: not worse than TWAP. */
  readonly notWorse: boolean;
}

/** E[IS] + lambda Var[IS], IS in currency. */
function objective(bps: ArrayLike<number>, toCurrency: number, lambda: number): number {
  return mean(bps) * toCurrency + lambda * (std(bps) * toCurrency) ** 2;
}

export function runCell(model: DqnModel, cell: Cell, episodes: number): CellResult {
  const createEnv = () => new ExecutionEnv(createScenario(cell.scenario, cell.params), { side: cell.side });
  const market = createEnv().market;
  const twap = policyFromName('twap', market);
  const served = servedPolicy(model, policyFromName('twap', market));
  const ref = cell.reference;
  const refPolicy = ref?.kind === 'oracle' ? policyFromName('oracle', market) : ref?.kind === 'ac' ? policyFromName(`almgren-chriss:${ref.lambda}`, market) : undefined;
  const report = evaluate({ createEnv, policies: [twap, ...(refPolicy ? [refPolicy] : []), served], episodes, keepPaths: 0 });
  const is = report.shortfallBps;
  const vsTwap = pairedComparison(is.twap, is.dqn);
  const decisions = served.counts.network + served.counts.fallback;
  let extra: Partial<CellResult> = {};
  if (ref?.kind === 'oracle' && refPolicy) {
    const oracle = pairedComparison(is.twap, is[refPolicy.name]);
    extra = { oracleVsTwapBps: round(oracle.meanDiffBps), capture: round(vsTwap.meanDiffBps / oracle.meanDiffBps) };
  } else if (ref?.kind === 'ac' && refPolicy) {
    const probe = createEnv();
    const view = probe.reset(0);
    const toCurrency = (view.order.quantity * (view.order.arrivalPrice ?? NaN)) / 1e4;
    extra = { acGap: round(objective(is.dqn, toCurrency, ref.lambda) / objective(is[refPolicy.name], toCurrency, ref.lambda) - 1, 4) };
  }
  return {
    cell: cell.name,
    scenario: cell.scenario,
    side: cell.side,
    episodes: report.episodes,
    twapBps: round(report.policies.twap.meanBps),
    dqnVsTwapBps: round(vsTwap.meanDiffBps),
    dqnVsTwapT: round(vsTwap.tStat, 2),
    networkShare: round(decisions > 0 ? served.counts.network / decisions : 0),
    ...(served.counts.reason ? { fallbackReason: served.counts.reason } : {}),
    ...extra,
    notWorse: vsTwap.meanDiffBps >= MIN_DIFF_BPS || vsTwap.tStat > MIN_T,
  };
}

export interface MatrixVerdict {
  readonly noCellWorse: boolean;
  readonly worseCells: string[];
  /** Mean gain over TWAP of the model / of the oracle, over the regime-liquidity cells. */
  readonly regimeCapture: number;
  readonly regimeCaptureMet: boolean;
  readonly worstAcGap: number;
  readonly acMet: boolean;
}

export function verdict(results: readonly CellResult[]): MatrixVerdict {
  const worseCells = results.filter((r) => !r.notWorse).map((r) => r.cell);
  const regime = results.filter((r) => r.oracleVsTwapBps !== undefined);
  const regimeCapture = mean(regime.map((r) => r.dqnVsTwapBps)) / mean(regime.map((r) => r.oracleVsTwapBps!));
  const gaps = results.filter((r) => r.acGap !== undefined).map((r) => r.acGap!);
  const worstAcGap = gaps.length ? Math.max(...gaps) : 0;
  return {
    noCellWorse: worseCells.length === 0,
    worseCells,
    regimeCapture: round(regimeCapture),
    regimeCaptureMet: regimeCapture >= MIN_CAPTURE,
    worstAcGap,
    acMet: worstAcGap <= MAX_AC_GAP,
  };
}

function line(r: CellResult): string {
  const sign = (x: number) => (x >= 0 ? `+${x.toFixed(2)}` : x.toFixed(2));
  const parts = [`twap ${r.twapBps.toFixed(2)}`, `dqn vs twap ${sign(r.dqnVsTwapBps)} (t ${r.dqnVsTwapT.toFixed(1)})`];
  if (r.oracleVsTwapBps !== undefined) parts.push(`oracle ${sign(r.oracleVsTwapBps)}, capture ${(100 * r.capture!).toFixed(0)}%`);
  if (r.acGap !== undefined) parts.push(`objective vs AC ${(100 * r.acGap).toFixed(2)}%`);
  parts.push(`network ${(100 * r.networkShare).toFixed(0)}%`);
  parts.push(r.notWorse ? 'ok' : 'WORSE');
  return parts.join(' | ');
}

const escape = (x: string): string => x.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Green where the model is cheaper than TWAP, red where costlier, white where they cannot be told apart. */
function heat(t: number): string {
  const x = Math.max(-1, Math.min(1, t / 5));
  const fade = Math.round(255 * (1 - Math.abs(x)));
  return x >= 0 ? `rgb(${fade},255,${fade})` : `rgb(255,${fade},${fade})`;
}

/** The matrix as a standalone HTML heat map: rows are the cells without their side, columns the sides. */
export function heatMapHtml(results: readonly CellResult[], title: string): string {
  const rows = new Map<string, Partial<Record<Side, CellResult>>>();
  for (const r of results) {
    const key = r.cell.replace(/ (sell|buy)$/, '');
    rows.set(key, { ...rows.get(key), [r.side]: r });
  }
  const td = (r?: CellResult): string => {
    if (!r) return '<td></td>';
    const extra = r.capture !== undefined ? `<br>capture ${(100 * r.capture).toFixed(0)}%` : r.acGap !== undefined ? `<br>vs AC ${(100 * r.acGap).toFixed(2)}%` : '';
    const share = r.networkShare < 1 ? `<br>network ${(100 * r.networkShare).toFixed(0)}%` : '';
    return `<td style="background:${heat(r.dqnVsTwapT)}" title="TWAP ${r.twapBps} bps">${r.dqnVsTwapBps >= 0 ? '+' : ''}${r.dqnVsTwapBps.toFixed(2)} bps (t ${r.dqnVsTwapT.toFixed(1)})${extra}${share}</td>`;
  };
  const body = [...rows].map(([name, sides]) => `<tr><th>${escape(name)}</th>${td(sides.sell)}${td(sides.buy)}</tr>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:right}th{text-align:left}</style>
</head><body><h1>${escape(title)}</h1><p>Model minus TWAP, paired over held-out episodes (positive: cheaper than TWAP); colour by the t-statistic (saturated at |t| = 5).</p>
<table><tr><th>cell</th><th>sell</th><th>buy</th></tr>
${body}
</table></body></html>
`;
}

export const bar: PolicyBar = {
  name: NAME,
  async run(): Promise<BarResult> {
    const model = await loadBarModel(NAME, MODEL);
    if (isBarResult(model)) return model;
    const episodes = Math.round(numberFlag('cell-episodes', 2000));
    const results = matrixCells().map((cell) => runCell(model, cell, episodes));
    const v = verdict(results);
    const html = flag('html', '');
    if (html) writeFileSync(html, heatMapHtml(results, `Generalization matrix: ${modelLabel(MODEL)}, ${episodes} episodes per cell`));
    const figures: Record<string, number | string> = { cells: results.length, episodesPerCell: episodes };
    for (const r of results) figures[r.cell] = line(r);
    figures['bar: no cell worse than TWAP'] = v.noCellWorse ? 'met' : `NOT MET (${v.worseCells.join(', ')})`;
    figures['bar: regime-liquidity capture >= 70%'] = `${v.regimeCaptureMet ? 'met' : 'NOT MET'} (${(100 * v.regimeCapture).toFixed(0)}%)`;
    figures['bar: AC objective within 5%'] = `${v.acMet ? 'met' : 'NOT MET'} (worst ${(100 * v.worstAcGap).toFixed(2)}%)`;
    figures['bar: real sessions (replay, both sides)'] = 'not measured here: npm run evaluate -- --scenario replay --sides both (docs/QUALITY.md)';
    const reasons = [...new Set(results.filter((r) => r.fallbackReason).map((r) => `${r.cell}: ${r.fallbackReason}`))];
    return {
      bar: NAME,
      model: modelLabel(MODEL),
      met: v.noCellWorse && v.regimeCaptureMet && v.acMet,
      figures,
      note: `${results.length} cells x ${episodes} held-out episodes, each side; bars: mean diff >= ${MIN_DIFF_BPS} bps or t > ${MIN_T} in every cell, regime capture >= ${100 * MIN_CAPTURE}%, AC objective gap <= ${100 * MAX_AC_GAP}%; outside the domain TWAP answers${reasons.length ? `. Fallback reasons: ${reasons.slice(0, 6).join(' / ')}` : ''}`,
    };
  },
};
export default bar;
