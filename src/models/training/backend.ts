/**
 * The TF.js backend for training, chosen once per process (or worker): WASM by default (several times faster than
 * the pure-JS CPU backend and deterministic), `TF_BACKEND=cpu` to override. tfjs-node is deliberately not used:
 * it needs a native build this deployment cannot install.
 */
import * as tf from '../tf.js';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu';

export function requestedBackend(env: NodeJS.ProcessEnv = process.env): BackendName {
  const value = (env.TF_BACKEND ?? 'wasm').toLowerCase();
  if (value !== 'wasm' && value !== 'cpu') {
    throw new Error(`TF_BACKEND must be "wasm" or "cpu", got "${env.TF_BACKEND}"`);
  }
  return value;
}

let chosen: Promise<BackendName> | undefined;

/** Selects the backend on first call; later calls return the same choice (switching mid-run would lose state). */
export function initBackend(name: BackendName = requestedBackend()): Promise<BackendName> {
  chosen ??= (async () => {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TF.js backend "${name}" failed to initialise; try TF_BACKEND=cpu`);
    await tf.ready();
    return name;
  })();
  return chosen;
}
