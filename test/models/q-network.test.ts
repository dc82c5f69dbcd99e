import * as tf from '../../src/models/tf.js';
import t from 'tap';
import { denseLayersOf } from '../../src/models/artifact/artifact.js';
import { initBackend } from '../../src/models/training/backend.js';
import { leanMirror } from '../../bench/dqn-agent-probes.js';
import { DqnAgent } from '../../src/models/training/dqn-agent.js';
import { LeanNetwork } from '../../src/models/serving/lean-network.js';
import { chebyshevBasis } from '../../src/models/training/q-network.js';
import { importModel } from '../../src/models/artifact/tf-artifact.js';
import { makeArtifact } from './fixtures.js';

t.before(async () => {
  await initBackend();
});

t.test('the Chebyshev basis is T_0..T_d at evenly spaced levels on [-1, 1]', async (t) => {
  const levels = 5; // x = -1, -0.5, 0, 0.5, 1
  const b = chebyshevBasis(3, levels);
  const row = (j: number) => Array.from(b.subarray(j * levels, (j + 1) * levels));
  t.same(row(0), [1, 1, 1, 1, 1]);
  t.same(row(1), [-1, -0.5, 0, 0.5, 1]);
  t.same(row(2), [1, -0.5, -1, -0.5, 1], 'T2 = 2x^2 - 1');
  t.same(row(3), [-1, 1, 0, -1, 1], 'T3 = 4x^3 - 3x');
});

t.test('a Chebyshev-head model is a plain Dense stack: lean equals TF.js and Q is a polynomial in the level', async (t) => {
  const artifact = await makeArtifact(4, undefined, [32, 32], { kind: 'chebyshev', degree: 4 });
  t.same(artifact.metadata.network.hidden, [32, 32, 5]);
  const model = await importModel(artifact);
  const lean = new LeanNetwork(denseLayersOf(artifact));
  const x = new Float32Array([0.4, -0.2, 1.5, -0.7, 1, 0.1, -0.3, 0.2]);
  const expected = (model.predict(tf.tensor2d(x, [1, 8])) as tf.Tensor).dataSync();
  const q = lean.forward(x);
  let worst = 0;
  for (let a = 0; a < q.length; a++) worst = Math.max(worst, Math.abs(q[a] - expected[a]));
  t.ok(worst < 1e-5, `max |lean - tfjs| = ${worst}`);
  // A degree-4 polynomial has a vanishing 5th finite difference over evenly spaced levels.
  let fifth = 0;
  for (let a = 0; a + 5 < q.length; a++) {
    const d = q[a + 5] - 5 * q[a + 4] + 10 * q[a + 3] - 10 * q[a + 2] + 5 * q[a + 1] - q[a];
    fifth = Math.max(fifth, Math.abs(d));
  }
  t.ok(fifth < 1e-3, `5th differences ${fifth} ~ 0`);
});

t.test('the fixed basis layer does not move in training; the rest does', async (t) => {
  const agent = new DqnAgent({
    shape: { inputSize: 8, hidden: [8], outputSize: 39, head: { kind: 'chebyshev', degree: 3 } },
    seed: 3,
    learningRate: 1e-2,
    gamma: 1,
    huberDelta: 20,
    gradientClipNorm: 10,
    targetUpdate: { kind: 'hard', every: 2 },
  });
  t.teardown(() => agent.dispose());
  const before = leanMirror(agent.online).layers.map((l) => Array.from(l.kernel));
  const batch = {
    size: 4,
    states: Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)),
    actions: Int32Array.from([0, 10, 20, 38]),
    rewards: Float32Array.from([-1, -2, -3, -4]),
    nextStates: Float32Array.from({ length: 32 }, (_, i) => Math.cos(i)),
    dones: Uint8Array.from([0, 1, 0, 1]),
    nextMasks: new Uint8Array(4 * 39).fill(1),
  };
  for (let i = 0; i < 5; i++) agent.train(batch);
  const after = leanMirror(agent.online).layers.map((l) => Array.from(l.kernel));
  t.notSame(after[0], before[0], 'hidden layer trained');
  t.notSame(after[1], before[1], 'coefficient layer trained');
  t.same(after[2], before[2], 'basis fixed');
  // The target network is a copy taken at the last hard update (every 2: after update 4), not the live weights.
  const target = leanMirror(agent.target).layers.map((l) => Array.from(l.kernel));
  t.notSame(target[0], after[0], 'the target lags the online network between hard updates');
  agent.train(batch);
  t.same(leanMirror(agent.target).layers.map((l) => Array.from(l.kernel))[0], leanMirror(agent.online).layers.map((l) => Array.from(l.kernel))[0], 'and equals it right after one');
});


/** The loss as TF.js's generic path computes it (Layers weights, matMul/add/relu, oneHot, huberLoss, autodiff). */
function referenceGradients(agent: DqnAgent, states: Float32Array, actions: Int32Array, targets: Float32Array) {
  const { inputSize, outputSize } = agent.config.shape;
  const trainable = agent.online.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.tidy(() => {
    const x = tf.tensor2d(states, [targets.length, inputSize]);
    const chosen = tf.oneHot(tf.tensor1d(actions, 'int32'), outputSize);
    const { value, grads } = tf.variableGrads(() => {
      let h: tf.Tensor = x;
      for (const layer of agent.online.layers) {
        const [kernel, bias] = layer.weights.map((w) => w.read());
        h = tf.add(tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D), bias);
        if (layer.getConfig().activation === 'relu') h = tf.relu(h);
      }
      const qTaken = tf.sum(tf.mul(h, chosen), 1);
      return tf.losses.huberLoss(tf.tensor1d(targets), qTaken, undefined, agent.config.huberDelta) as tf.Scalar;
    }, trainable);
    return { loss: value.dataSync()[0], grads: trainable.map((v) => Array.from(grads[v.name].dataSync())) };
  });
}

for (const head of [{ kind: 'chebyshev', degree: 4 } as const, { kind: 'independent' } as const]) {
  t.test(`the hand-written backward pass equals TF.js autodiff of the Huber loss (${head.kind} head)`, async (t) => {
    const agent = new DqnAgent({
      shape: { inputSize: 8, hidden: [16, 16], outputSize: 39, head },
      seed: 5,
      learningRate: 1e-3,
      gamma: 1,
      huberDelta: 0.5, // small enough that some errors are in the linear part of the loss
      gradientClipNorm: 10,
      targetUpdate: { kind: 'hard', every: 100 },
    });
    t.teardown(() => agent.dispose());
    const size = 32;
    const states = Float32Array.from({ length: size * 8 }, (_, i) => Math.sin(i * 0.37) * 2);
    const actions = Int32Array.from({ length: size }, (_, b) => (b * 7) % 39);
    const targets = Float32Array.from({ length: size }, (_, b) => Math.cos(b) * 2);
    const ours = agent.gradients(states, actions, targets);
    const expected = referenceGradients(agent, states, actions, targets);
    t.equal(ours.grads.length, expected.grads.length, 'one gradient per trainable weight');
    let worst = 0;
    let largest = 0;
    expected.grads.forEach((g, k) => g.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(ours.grads[k][i] - v));
      largest = Math.max(largest, Math.abs(v));
    }));
    t.ok(largest > 1e-3, `the gradients are not trivially zero (largest ${largest})`);
    t.ok(worst < 1e-5, `max |ours - autodiff| = ${worst}`);
    t.ok(Math.abs(ours.loss - expected.loss) < 1e-5 * Math.max(1, expected.loss), `loss ${ours.loss} vs ${expected.loss}`);
  });
}
