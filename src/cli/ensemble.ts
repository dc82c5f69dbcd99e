/**
 * Merges trained models of the same shape into one ensemble artifact (src/models/artifact/ensemble.ts: the mean of the
 * members' Q-values, stored as one Dense stack) and evaluates it on the held-out test episodes against the
 * baselines, as a training run does.
 * Usage: npm run ensemble -- --out models/regime-liquidity [--force] [--model-version 2.0.0] [--test-episodes 1000] DIR DIR ...
 */
import { parseArgs } from 'node:util';
import { readArtifact, writeArtifact } from '../models/artifact/artifact-store.js';
import { mergeEnsemble } from '../models/artifact/ensemble.js';
import { outDirProblem } from './out-dir.js';
import { HELD_OUT_BASELINES, heldOutEvaluation } from '../models/training/held-out.js';

function fail(message: string): never {
  process.stderr.write(`ensemble: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'model-version': { type: 'string', default: '1.0.0' },
      'test-episodes': { type: 'string', default: '1000' },
      force: { type: 'boolean' },
    },
  });
  if (!values.out) fail('--out DIR is required');
  const outProblem = outDirProblem(values.out, values.force === true);
  if (outProblem) fail(outProblem);
  if (positionals.length < 2) fail('give at least two member model directories');
  const episodes = Number(values['test-episodes']);
  if (!Number.isInteger(episodes) || episodes < 0) fail(`--test-episodes must be a non-negative integer, got ${values['test-episodes']}`);

  const members = await Promise.all(positionals.map((dir) => readArtifact(dir)));
  let artifact;
  try {
    artifact = mergeEnsemble(members, values['model-version']!);
  } catch (err) {
    fail((err as Error).message);
  }
  if (episodes > 0) {
    const { training, reward } = artifact.metadata;
    const scenario = { scenario: training.scenario, params: training.scenarioParams, data: training.data };
    const envConfig = { reward: reward.type, riskAversion: reward.riskAversion };
    const evaluation = await heldOutEvaluation(artifact, scenario, envConfig, episodes, HELD_OUT_BASELINES);
    artifact = { ...artifact, metadata: { ...artifact.metadata, evaluation } };
  }
  await writeArtifact(values.out!, artifact);
  process.stderr.write(`wrote ${values.out}: ${members.length} members, layers [${artifact.metadata.network.hidden.join(', ')}, ${artifact.metadata.network.outputSize}]\n`);
  process.stdout.write(`${JSON.stringify({ out: values.out, network: artifact.metadata.network, evaluation: artifact.metadata.evaluation }, null, 2)}\n`);
}

await main();
