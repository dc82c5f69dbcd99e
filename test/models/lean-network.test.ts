import t from 'tap';
import { readFileSync } from 'node:fs';
import { LeanNetwork, type DenseLayer } from '../../src/models/serving/lean-network.js';
import { wasmSimdAvailable } from '../../src/models/serving/wasm-dense.js';
import { assembleDense } from '../../scripts/build-wasm.js';

/** Seeded uniform(-1, 1) (mulberry32): the weights' values do not matter, their shapes and zeros do. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** A random stack; `blocks` > 1 makes the hidden kernels block-diagonal as an ensemble's are (src/models/artifact/ensemble.ts). */
function network(sizes: number[], seed: number, blocks = 1): DenseLayer[] {
  const rand = uniform(seed);
  return sizes.slice(1).map((outSize, k) => {
    const inSize = sizes[k];
    const kernel = new Float32Array(inSize * outSize);
    const hidden = k > 0 && k < sizes.length - 2;
    for (let i = 0; i < inSize; i++) {
      for (let j = 0; j < outSize; j++) {
        const sameBlock = Math.floor((i * blocks) / inSize) === Math.floor((j * blocks) / outSize);
        kernel[i * outSize + j] = hidden && blocks > 1 && !sameBlock ? 0 : rand();
      }
    }
    const bias = Float32Array.from({ length: outSize }, () => rand() * 0.1);
    return { inSize, outSize, kernel, bias, activation: k < sizes.length - 2 ? 'relu' : 'linear' };
  });
}

t.test('the SIMD kernel is what this runtime serves with, and its binary is the committed .wat assembled', async (t) => {
  t.ok(wasmSimdAvailable(), 'src/models/serving/wasm/dense.wasm compiles here');
  t.equal(new LeanNetwork(network([8, 16, 39], 1)).kernel, 'wasm');
  const committed = readFileSync(new URL('../../src/models/serving/wasm/dense.wasm', import.meta.url));
  t.ok(Buffer.from(await assembleDense()).equals(committed), 'dense.wasm is stale: npm run build:wasm');
});

t.test('the SIMD kernel gives bit-identical outputs to the JS loops', async (t) => {
  const shapes: [number[], number][] = [
    [[8, 64, 64, 5, 39], 1], // the bundled models' shape
    [[8, 13, 7, 1], 1], // no full block of 8 anywhere
    [[3, 16, 24, 8], 1], // only full blocks
    [[8, 96, 96, 5, 39], 3], // an ensemble of three: block-diagonal hidden kernel
  ];
  for (const [[...sizes], blocks] of shapes) {
    const layers = network(sizes, sizes.length * 7 + blocks, blocks);
    const simd = new LeanNetwork(layers, 'wasm');
    const loops = new LeanNetwork(layers, 'js');
    const rand = uniform(99);
    let differing = 0;
    for (let n = 0; n < 300; n++) {
      // Inputs with exact zeros too (a skipped row must change nothing) and large values.
      const x = Float32Array.from({ length: sizes[0] }, (_, i) => (i % 4 === n % 4 ? 0 : rand() * (n % 10 === 0 ? 1e4 : 3)));
      const a = simd.forward(x);
      const b = loops.forward(x);
      for (let j = 0; j < a.length; j++) if (a[j] !== b[j]) differing++;
    }
    t.equal(differing, 0, `${sizes.join('-')} (${blocks} block${blocks > 1 ? 's' : ''}): 300 inputs, every output equal`);
  }
});

t.test('outputs are fresh arrays; forwardValues is the same numbers in a plain array', async (t) => {
  const net = new LeanNetwork(network([8, 16, 39], 5));
  const x = new Float32Array(8).fill(0.5);
  const first = net.forward(x);
  const kept = Array.from(first);
  net.forward(new Float32Array(8).fill(-2));
  t.same(Array.from(first), kept, 'a later call does not overwrite an earlier result');
  t.same(net.forwardValues(x), kept);
  t.throws(() => net.forward(new Float32Array(7)), /expected 8/);
});
