/**
 * Checks a scenario request before a job is queued, so a typo fails the request with a 400 naming the field
 * instead of failing the job minutes later.
 */
import { access } from 'node:fs/promises';
import type { Detail } from './field-paths.js';
import { createScenario, isScenarioName, SCENARIO_PARAM_NAMES } from '../core/scenarios/index.js';

export async function scenarioIssues(scenario: string, params: Record<string, number> = {}, data?: readonly string[]): Promise<Detail[]> {
  const issues: Detail[] = [];
  const known = isScenarioName(scenario) ? SCENARIO_PARAM_NAMES[scenario] : [];
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) issues.push({ path: `params.${key}`, reason: `is not a parameter of ${scenario}; valid: ${known.join(', ')}` });
  }
  const readsData = scenario === 'lob-replay' || scenario === 'replay';
  if (readsData) {
    if (!data) issues.push({ path: 'data', reason: `is required by ${scenario} (${scenario === 'replay' ? 'market data files or folders' : 'LOBSTER zip or CSV files'} on the server)` });
    for (const [i, file] of (data ?? []).entries()) {
      try {
        await access(file);
      } catch {
        issues.push({ path: `data.${i}`, reason: `file not found on the server: ${file}` });
      }
    }
  } else if (data) {
    issues.push({ path: 'data', reason: `only lob-replay and replay read data files, not ${scenario}` });
  }
  if (issues.length === 0 && !readsData) {
    try {
      createScenario(scenario, params); // checks ranges
    } catch (err) {
      issues.push({ path: 'params', reason: (err as Error).message });
    }
  }
  return issues;
}
