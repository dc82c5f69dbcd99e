/**
 * `--data` and the session split for `--scenario replay` (src/cli/evaluate.ts calls this): loads files, folders
 * and globs, picks the test sessions by date (--train-until / --test-from; without them every session is a test
 * session), and refuses to evaluate a model on sessions its metadata says it trained or validated on unless
 * --allow-seen-sessions is given.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sessionId, type BarSession } from '../core/bars/session.js';
import { seenSessions, sessionOfFile, splitSessions, type SessionSplit } from '../core/replay/splits.js';
import type { Market } from '../core/market.js';
import { loadMarketSessions } from '../io/market-data.js';
import { modelPolicyTarget } from '../core/policy-ref.js';

/** parseArgs options the evaluate CLI adds for the replay scenario. */
export const REPLAY_CLI_OPTIONS = {
  'train-until': { type: 'string' },
  'test-from': { type: 'string' },
  'allow-seen-sessions': { type: 'boolean', default: false },
} as const;

export interface ReplayCliValues {
  readonly 'train-until'?: string;
  readonly 'test-from'?: string;
  readonly 'allow-seen-sessions'?: boolean;
}

export interface ReplaySetup {
  readonly sessions: BarSession[];
  readonly split: SessionSplit;
  /** Per model policy: the evaluated sessions it trained or validated on (only with --allow-seen-sessions). */
  readonly seen: Record<string, string[]>;
  /** What the readers repaired, to print. */
  readonly notes: string[];
}

async function modelTraining(models: string, name: string): Promise<Record<string, unknown> | undefined> {
  const dir = name.includes('/') ? name : join(models, name);
  try {
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8')) as { training?: Record<string, unknown> };
    return metadata.training;
  } catch {
    return undefined; // the DQN resolver reports a missing model with its own message
  }
}

/**
 * @throws Error for unreadable data, a bad date, or a model evaluated on its own training/validation sessions.
 */
export async function prepareReplay(data: readonly string[], values: ReplayCliValues, policies: readonly string[], modelsDir: string): Promise<ReplaySetup> {
  if (data.length === 0) throw new Error('replay needs --data FILE|FOLDER|GLOB (bars CSVs, LEAN zips or LOBSTER files)');
  const sessions = await loadMarketSessions(data);
  const split = splitSessions(sessions.map(sessionId), { trainUntil: values['train-until'], testFrom: values['test-from'] });
  if (split.test.length === 0) throw new Error(`no test session: every session read is before --test-from / on or before --train-until`);
  const seen: Record<string, string[]> = {};
  for (const policy of policies) {
    const model = modelPolicyTarget(policy);
    if (model === undefined) continue;
    const training = await modelTraining(modelsDir, model);
    if (!training) continue;
    const overlap = seenSessions(training as Parameters<typeof seenSessions>[0]).filter((s) => split.test.includes(s));
    if (overlap.length === 0) continue;
    if (!values['allow-seen-sessions']) {
      throw new Error(
        `${policy} trained or validated on ${overlap.join(', ')}; evaluating it there measures fit, not skill. Leave those sessions out (--test-from) or pass --allow-seen-sessions to do it anyway`,
      );
    }
    seen[policy] = overlap;
  }
  return { sessions, split, seen, notes: sessions.flatMap((s) => s.notes ?? []) };
}

/** The sessions a market cuts episodes from, in order (a test session with no episode is history only). */
export function evaluatedSessions(market: Market & { episodeSession?(episode: number): string }): string[] {
  const out = new Set<string>();
  if (!market.episodeSession || market.episodeCount === undefined) return [];
  for (let e = 0; e < market.episodeCount; e++) out.add(market.episodeSession(e));
  return [...out];
}

/**
 * `--scenario lob-replay --data`: the split to evaluate. Files no named model has seen are evaluated whole (every
 * window is a test window); when a model trained on one of the files' days, only the windows after its
 * `splitTime` are (the default then), and asking for the whole day or its training windows is refused unless
 * --allow-seen-sessions is given.
 * @returns the split, and a note for the caller to print when the split was narrowed.
 */
export async function lobReplaySplit(
  files: readonly string[],
  requested: string | undefined,
  allowSeen: boolean,
  policies: readonly string[],
  modelsDir: string,
): Promise<{ split: string; note?: string }> {
  const days = new Set(files.map(sessionOfFile).filter((s): s is string => s !== undefined));
  const seenBy: string[] = [];
  for (const policy of policies.filter((p) => p.startsWith('dqn:'))) {
    const training = await modelTraining(modelsDir, policy.slice(4));
    if (!training) continue;
    const overlap = seenSessions(training as Parameters<typeof seenSessions>[0]).filter((s) => days.has(s));
    if (overlap.length > 0) seenBy.push(`${policy} (${overlap.join(', ')})`);
  }
  if (seenBy.length === 0) return { split: requested ?? 'all' };
  if (requested === undefined) {
    return { split: 'test', note: `${seenBy.join(', ')} trained on these days: only the windows from splitTime on are evaluated` };
  }
  if (requested !== 'test' && !allowSeen) {
    throw new Error(
      `${seenBy.join(', ')} trained on these days; split=${requested} includes its training windows. Use --param split=test, or --allow-seen-sessions to do it anyway`,
    );
  }
  return { split: requested };
}
