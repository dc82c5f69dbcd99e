import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
function t(m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const a = tf.randomUniform(ta ? [k, m] : [m, k]); const b = tf.randomUniform(tb ? [n, k] : [k, n]);
  const run = () => tf.tidy(() => { tf.matMul(a, b, ta, tb).dataSync(); });
  for (let i = 0; i < 200; i++) run();
  const N = 2000; const t0 = performance.now(); for (let i = 0; i < N; i++) run(); const us = (performance.now() - t0) / N * 1000;
  console.log(`${m}x${k}x${n} ta=${ta} tb=${tb}: ${us.toFixed(1)} us, ${(2*m*k*n/us/1e3).toFixed(2)} GFLOP/s`);
}
for (const B of [64, 256]) { t(B, 64, 64, false, false); t(64, B, 64, true, false); t(B, 64, 64, false, true); t(B, 64, 39, false, false); t(64, B, 39, true, false); t(B, 39, 64, false, true); }
