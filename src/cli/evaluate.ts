/**
 * Usage: npm run evaluate -- --scenario regime-liquidity --episodes 10000 --policies twap,vwap,almgren-chriss,oracle
 *          [--seed S] [--json] [--param rho=0.8 ...] [--data FILE ...] [--split test|train|all] [--report out.html]
 *          [--sides sell|buy|both]
 * Runs the policies over the same held-out episodes (docs/DESIGN.md 5) and prints a table, or with --json only the
 * statistics. With --data (LOBSTER zips or CSV pairs, lob-replay) every episode the files hold is evaluated.
 * --sides both trades every episode as a sell and as a buy on the same path and reports the drift-neutral mean of
 * the two beside each side. Unknown --param names are refused, listing the valid ones.
 * --report also writes the charts and table as one offline HTML page (src/reports/evaluation-report.ts).
 */
import { parseArgs } from 'node:util';
import { ExecutionEnv } from '../core/environment.js';
import { EVAL_SEED, evaluate, SIDE_CHOICES, type SideChoice } from '../core/evaluation.js';
import { policyFromName } from '../core/evaluation-policies.js';
import { createScenario, isScenarioName, SCENARIOS } from '../core/scenarios/index.js';
import { registerDqnResolver } from '../models/serving/dqn-policy.js';
import { writeEvaluationReport } from '../reports/evaluation-report.js';
import { evaluationHeadline, evaluationJson, evaluationTable } from '../reports/evaluation-text.js';
import { loadLobsterFiles } from '../io/lobster-files.js';
import { evaluatedSessions, lobReplaySplit, prepareReplay, REPLAY_CLI_OPTIONS, type ReplaySetup } from './replay-data.js';
import { parseScenarioParams } from './params.js';
import { modelPolicyTarget } from '../core/policy-ref.js';
import { terminalProgressBar, type ProgressBar } from './progress.js';

function fail(message: string): never {
  process.stderr.write(`evaluate: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scenario: { type: 'string', default: 'regime-liquidity' },
      episodes: { type: 'string', default: '10000' },
      policies: { type: 'string', default: 'twap,vwap,almgren-chriss' },
      seed: { type: 'string', default: String(EVAL_SEED) },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      param: { type: 'string', multiple: true, default: [] },
      data: { type: 'string', multiple: true, default: [] },
      // Default: sell, or the side each episode draws in a market that draws the order (generalist).
      sides: { type: 'string' },
      side: { type: 'string' },
      ...REPLAY_CLI_OPTIONS,
    },
  });
  const scenario = values.scenario;
  if (!isScenarioName(scenario)) fail(`unknown scenario "${scenario}"; use one of ${SCENARIOS.join(', ')}`);
  const episodes = Number(values.episodes);
  const seed = Number(values.seed);
  if (!(Number.isInteger(episodes) && episodes > 0)) fail(`--episodes must be a positive integer, got ${values.episodes}`);
  if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
  if (values.side !== undefined && values.sides !== undefined && values.side !== values.sides) fail('give --sides or --side, not both');
  // --side is the older spelling of --sides. Unset: sell, or the side each episode draws (generalist).
  const sides = (values.sides ?? values.side) as SideChoice | undefined;
  if (sides !== undefined && !SIDE_CHOICES.includes(sides)) fail(`--sides must be one of ${SIDE_CHOICES.join(', ')}, got ${sides}`);
  let params: Record<string, unknown>;
  try {
    params = parseScenarioParams(scenario, values.param);
  } catch (err) {
    fail((err as Error).message);
  }
  const dataFiles = [...values.data, ...positionals];
  let replay: ReplaySetup | undefined;
  if (scenario === 'lob-replay') {
    if (dataFiles.length === 0) fail('lob-replay needs --data FILE (LOBSTER .zip or message/orderbook .csv pair)');
    params.days = await loadLobsterFiles(dataFiles);
    // Files no named model has seen are evaluated whole; a model's own training day only after its splitTime.
    try {
      const chosen = await lobReplaySplit(dataFiles, params.split as string | undefined, values['allow-seen-sessions'] === true, values.policies.split(','), process.env.MODELS_DIR ?? 'models');
      params.split = chosen.split;
      if (chosen.note) process.stderr.write(`evaluate: note: ${chosen.note}\n`);
    } catch (err) {
      fail((err as Error).message);
    }
  } else if (scenario === 'replay') {
    replay = await prepareReplay(dataFiles, values, values.policies.split(','), process.env.MODELS_DIR ?? 'models');
    for (const note of replay.notes) process.stderr.write(`evaluate: note: ${note}\n`);
    for (const [policy, sessions] of Object.entries(replay.seen)) {
      process.stderr.write(`evaluate: WARNING ${policy} is evaluated on sessions it trained or validated on: ${sessions.join(', ')}\n`);
    }
    params.sessions = replay.sessions;
    params.episodeSessions = replay.split.test;
  } else if (dataFiles.length > 0) {
    fail('--data is only for --scenario lob-replay or replay');
  }
  const createEnv = (side?: 'sell' | 'buy') => new ExecutionEnv(createScenario(scenario, params), side ? { side } : {});
  const probe = createEnv().market;
  const names = values.policies.split(',').map((name) => name.trim()).filter(Boolean);
  // dqn:<model> is a folder under MODELS_DIR (default models/) or a path to an artifact folder.
  const models = names.map(modelPolicyTarget).filter((m): m is string => m !== undefined);
  if (models.length) await registerDqnResolver(process.env.MODELS_DIR ?? 'models', models.filter((m) => m.includes('/')));
  const policies = names.map((name) => policyFromName(name, probe));

  const tty = process.stderr.isTTY && !values.json;
  // Drawn from the first report: with --data the total is the episodes the files hold, not --episodes.
  let bar: ProgressBar | undefined;
  const started = performance.now();
  const report = evaluate({
    createEnv,
    policies,
    episodes,
    seed,
    side: sides,
    onProgress: tty
      ? (done, total) => {
          bar ??= terminalProgressBar(total);
          bar.update(done);
          if (done === total) bar.stop();
        }
      : undefined,
  });
  const seconds = (performance.now() - started) / 1000;

  if (values.report) {
    await writeEvaluationReport(values.report, report, { title: `Evaluation: ${report.scenario}, ${report.episodes} episodes` });
    process.stderr.write(`evaluate: wrote ${values.report}\n`);
  }
  if (values.json) {
    const split = replay ? { split: { testSessions: evaluatedSessions(probe), seenByModels: replay.seen } } : {};
    process.stdout.write(`${JSON.stringify({ ...evaluationJson(report), ...split })}\n`);
    return;
  }
  process.stdout.write(`${evaluationHeadline(report)}, ${seconds.toFixed(2)} s\n`);
  if (replay) {
    process.stdout.write(`test sessions: ${evaluatedSessions(probe).join(', ')}\n`);
    for (const [policy, sessions] of Object.entries(replay.seen)) process.stdout.write(`${policy} SAW (trained or validated on): ${sessions.join(', ')}\n`);
  }
  process.stdout.write(
    'IS in bps of Q x P_arr (positive = cost); vs TWAP positive = cheaper than TWAP; 95% CI and t with sessions as the ' +
      `independent units; p Holm-adjusted over the policies compared with TWAP\n\n${evaluationTable(report)}\n`,
  );
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
