/**
 * Writes `domain` (src/models/artifact/domain.ts) into the metadata of each model folder given (default: every folder under
 * models/), derived from the model's own training scenario, parameters and data by sampling its observations.
 * Only metadata.json changes: weights and their checksum stay as they are.
 *
 *   node --import tsx scripts/derive-model-domains.ts [models/default ...] [--episodes 2000]
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readArtifact } from '../src/models/artifact/artifact-store.js';
import { METADATA_FILE } from '../src/models/artifact/artifact.js';
import { DOMAIN_EPISODES, sampleDomain } from '../src/models/training/domain-sampling.js';
import { servingModelOf } from '../src/models/serving/serving.js';

const { values, positionals } = parseArgs({ options: { episodes: { type: 'string' } }, allowPositionals: true });
const episodes = values.episodes ? Number(values.episodes) : DOMAIN_EPISODES;
const dirs = positionals.length
  ? positionals
  : (await readdir('models', { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => join('models', d.name)).sort();

for (const dir of dirs) {
  const artifact = await readArtifact(dir);
  const m = artifact.metadata;
  const model = servingModelOf(dir, artifact);
  const domain = await sampleDomain({
    scenario: { scenario: m.training.scenario, params: m.training.scenarioParams, data: m.training.data },
    envConfig: { reward: m.reward.type, riskAversion: m.reward.riskAversion },
    spec: m.observation.spec,
    actionSpace: m.actionSpace,
    seed: m.training.seed,
    episodes,
    model,
  });
  // Rewrite the stored JSON with `domain` last, every other field as it was.
  const raw = JSON.parse(await readFile(join(dir, METADATA_FILE), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, METADATA_FILE), `${JSON.stringify({ ...raw, domain }, null, 2)}\n`);
  process.stdout.write(`${dir}: sides ${domain.sides.join(',')}, required ${domain.required.join(',')}, horizon [${domain.parameters.horizon.min}, ${domain.parameters.horizon.max}]\n`);
}
