/**
 * A training job's DQN settings from what its caller gave (the admin API's `agent`, the CLI's flags): the
 * shipped recipe's defaults, exploration scaled to the job's episodes, and the checks that catch settings which
 * would only fail once the job runs.
 */
import { defaultEpsilonSchedule } from './epsilon.js';
import { DEFAULT_DQN_CONFIG, type DqnConfig } from './trainer.js';

/** The defaults, then `agent`, for a job of `episodes` episodes; epsilon decays over half of them unless given. */
export function trainingConfig(episodes: number, seed: number, agent: Partial<DqnConfig> = {}): DqnConfig {
  return { ...DEFAULT_DQN_CONFIG, epsilon: defaultEpsilonSchedule(episodes), ...agent, episodes, seed };
}

/** A setting that cannot train: its name under the caller's prefix (the admin API's `agent`, the CLI's `config`), and why. */
export interface SettingIssue {
  readonly path: string;
  readonly reason: string;
}

/** Settings that cannot train, each named under `at`, where the caller holds them. */
export function trainingConfigIssues(c: DqnConfig, at: string): SettingIssue[] {
  const issues: SettingIssue[] = [];
  if (c.warmupSteps < c.batchSize) {
    issues.push({ path: `${at}.warmupSteps`, reason: `must be at least batchSize (${c.batchSize}): the first update samples a full batch of collected steps` });
  }
  if (c.bufferSize < Math.max(c.batchSize, c.warmupSteps)) {
    issues.push({ path: `${at}.bufferSize`, reason: `must hold at least batchSize and warmupSteps (${Math.max(c.batchSize, c.warmupSteps)}) steps` });
  }
  if (c.epsilon.end > c.epsilon.start) issues.push({ path: `${at}.epsilon.end`, reason: `must not exceed epsilon.start (${c.epsilon.start})` });
  return issues;
}
