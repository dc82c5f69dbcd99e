import * as tf from '../../src/models/tf.js';
import t from 'tap';
import { Adam, globalNormScale } from '../../src/models/training/adam.js';
import { initBackend } from '../../src/models/training/backend.js';

t.before(async () => {
  await initBackend();
});

t.test('globalNormScale is min(1, clip / global norm) over all gradients together', async (t) => {
  const grads = [Float32Array.from([3, 0]), Float32Array.from([0, 4])]; // global norm 5
  t.same(globalNormScale(grads, 1), { norm: 5, scale: 0.2 });
  t.same(globalNormScale(grads, 10), { norm: 5, scale: 1 }, 'below the clip norm the gradients pass unchanged');
});

t.test('Adam over Float32Arrays follows tf.train.adam step for step (within float32 precision)', async (t) => {
  const shapes: [number, number][] = [[8, 5], [1, 5]];
  const initial = shapes.map(([r, c], k) => Float32Array.from({ length: r * c }, (_, i) => Math.sin(i + 3 * k)));
  const variables = initial.map((v, k) => tf.variable(tf.tensor2d(v, shapes[k])));
  const params = initial.map((v) => v.slice());
  const ours = new Adam(params.map((p) => p.length), { learningRate: 0.01 });
  const theirs = tf.train.adam(0.01);
  let worst = 0;
  for (let step = 0; step < 20; step++) {
    // A gradient that changes sign and size from step to step, as a minibatch's does.
    const grads = shapes.map(([r, c], k) => Float32Array.from({ length: r * c }, (_, i) => Math.cos(step * 1.3 + i * 0.7 + k) * (1 + step % 3)));
    theirs.applyGradients(variables.map((v, k) => ({ name: v.name, tensor: tf.tensor2d(grads[k], shapes[k]) })));
    ours.step(params, grads);
    variables.forEach((v, k) => {
      const expected = v.dataSync();
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(params[k][i] - expected[i]));
    });
  }
  t.ok(worst < 1e-5, `max |ours - tf.train.adam| over 20 steps = ${worst}`);
  t.notSame(Array.from(params[0]), Array.from(initial[0]), 'the parameters moved');
  const scaled = initial.map((v) => v.slice());
  new Adam([40, 5], { learningRate: 0.01 }).step(scaled, [new Float32Array(40).fill(2), new Float32Array(5).fill(2)], 0.5);
  // First Adam step moves each parameter by ~lr against the gradient's sign, whatever its size.
  t.ok(Math.abs(scaled[0][0] - (initial[0][0] - 0.01)) < 1e-6, 'the first step is -lr x sign(g)');
});
