import t from 'tap';
import { denseLayersOf, type ModelArtifact } from '../../src/models/artifact/artifact.js';
import { mergeEnsemble } from '../../src/models/artifact/ensemble.js';
import { LeanNetwork } from '../../src/models/serving/lean-network.js';
import { normalize } from '../../src/models/serving/normalizer.js';
import { makeArtifact, TEST_NORMALIZATION } from './fixtures.js';

/** A member with its own normalisation, as members trained with different seeds have. */
function withNormalization(a: ModelArtifact, shift: number): ModelArtifact {
  const mean = TEST_NORMALIZATION.mean.map((m, i) => m + shift * TEST_NORMALIZATION.std[i] * Math.sin(i + 1));
  const std = TEST_NORMALIZATION.std.map((s, i) => s * (1 + 0.3 * shift * Math.cos(i)));
  return { ...a, metadata: { ...a.metadata, observation: { ...a.metadata.observation, mean, std } } };
}

const observations = Array.from({ length: 50 }, (_, n) => TEST_NORMALIZATION.mean.map((m, i) => m + TEST_NORMALIZATION.std[i] * 2 * Math.sin(n * 1.3 + i * 0.7)));

for (const head of [{ kind: 'chebyshev', degree: 4 } as const, { kind: 'independent' } as const]) {
  t.test(`the merged network's Q is the mean of the members' Q (${head.kind} head)`, async (t) => {
    const members = [
      withNormalization(await makeArtifact(1, undefined, [16, 16], head), 0),
      withNormalization(await makeArtifact(2, undefined, [16, 16], head), 0.5),
      withNormalization(await makeArtifact(3, undefined, [16, 16], head), -0.4),
    ];
    const merged = mergeEnsemble(members, '2.0.0');
    const layers = denseLayersOf(merged); // checks sizes, manifest and checksum against the metadata
    t.same(merged.metadata.network.hidden, head.kind === 'chebyshev' ? [48, 48, 5] : [48, 48]);
    t.same(merged.metadata.observation.mean, members[0].metadata.observation.mean, "member 0's normalisation");
    t.equal((merged.metadata.training.config.ensemble as unknown[]).length, 3);
    const ensemble = new LeanNetwork(layers);
    const nets = members.map((m) => new LeanNetwork(denseLayersOf(m)));
    let worst = 0;
    let spread = 0;
    for (const x of observations) {
      const q = ensemble.forward(normalize(merged.metadata.observation, x));
      const qs = nets.map((net, k) => net.forward(normalize(members[k].metadata.observation, x)));
      for (let a = 0; a < q.length; a++) {
        const mean = qs.reduce((s, qk) => s + qk[a], 0) / qs.length;
        worst = Math.max(worst, Math.abs(q[a] - mean));
        spread = Math.max(spread, Math.abs(qs[0][a] - mean));
      }
    }
    t.ok(spread > 1e-2, `the members disagree (max |Q_0 - mean| = ${spread}), so the test can fail`);
    t.ok(worst < 1e-4, `max |Q_ensemble - mean of members' Q| = ${worst}`);
  });
}

t.test('members that do not fit together are refused with the reason', async (t) => {
  const a = await makeArtifact(1);
  t.throws(() => mergeEnsemble([a], '1'), /at least two/);
  const smaller = await makeArtifact(2, undefined, [8, 8]);
  t.throws(() => mergeEnsemble([a, smaller], '1'), /network shape/);
  t.throws(() => mergeEnsemble([a, { ...a, metadata: { ...a.metadata, reward: { type: 'risk-adjusted', scale: 1, riskAversion: 1e-6 } } }], '1'), /reward/);
  t.throws(() => mergeEnsemble([a, { ...a, metadata: { ...a.metadata, training: { ...a.metadata.training, scenario: 'intraday' } } }], '1'), /training scenario/);
});
