/**
 * Checks a scenario request before a job is queued, so a typo fails the request with a 400 naming the field
 * instead of failing the job minutes later.
 */
import { access } from 'node:fs/promises';
import type { FieldIssue } from '../core/errors.js';
import { ALMGREN_CHRISS_DEFAULTS } from '../core/scenarios/almgren-chriss.js';
import { createScenario } from '../core/scenarios/index.js';
import { INTRADAY_DEFAULTS } from '../core/scenarios/intraday.js';
import { LOB_REPLAY_DEFAULTS } from '../core/scenarios/lob-replay.js';
import { REGIME_LIQUIDITY_DEFAULTS } from '../core/scenarios/regime-liquidity.js';

const KNOWN: Record<string, readonly string[]> = {
  'almgren-chriss': Object.keys(ALMGREN_CHRISS_DEFAULTS),
  'regime-liquidity': Object.keys(REGIME_LIQUIDITY_DEFAULTS),
  intraday: Object.keys(INTRADAY_DEFAULTS),
  'lob-replay': Object.keys(LOB_REPLAY_DEFAULTS),
};

export async function scenarioIssues(scenario: string, params: Record<string, number> = {}, data?: readonly string[]): Promise<FieldIssue[]> {
  const issues: FieldIssue[] = [];
  const known = KNOWN[scenario] ?? [];
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) issues.push({ path: `params.${key}`, reason: `is not a parameter of ${scenario}; known: ${known.join(', ')}` });
  }
  if (scenario === 'lob-replay') {
    if (!data) issues.push({ path: 'data', reason: 'is required by lob-replay (LOBSTER zip or CSV files on the server)' });
    for (const [i, file] of (data ?? []).entries()) {
      try {
        await access(file);
      } catch {
        issues.push({ path: `data.${i}`, reason: `file not found on the server: ${file}` });
      }
    }
  } else if (data) {
    issues.push({ path: 'data', reason: `only lob-replay reads data files, not ${scenario}` });
  }
  if (issues.length === 0 && scenario !== 'lob-replay') {
    try {
      createScenario(scenario, params); // checks ranges
    } catch (err) {
      issues.push({ path: 'params', reason: (err as Error).message });
    }
  }
  return issues;
}
