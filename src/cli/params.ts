/** `--param name=value` for the CLIs: parsed, and checked against the scenario's parameter names. */
import { checkParamNames, type ScenarioName } from '../core/scenarios/index.js';

/**
 * A number, a comma list of numbers (lob-replay's episode `starts`) or else the raw text (`split=test`).
 * @throws RangeError for a pair without `=` or a name the scenario does not have (the message lists the valid ones).
 */
export function parseScenarioParams(scenario: ScenarioName, pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new RangeError(`--param expects name=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    const num = Number(raw);
    params[pair.slice(0, eq)] = raw.includes(',') ? raw.split(',').map(Number) : Number.isFinite(num) && raw !== '' ? num : raw;
  }
  try {
    checkParamNames(scenario, Object.keys(params));
  } catch (err) {
    throw new RangeError(`--param: ${(err as Error).message}`);
  }
  return params;
}
