/**
 * Assembles src/models/serving/wasm/dense.wat into dense.wasm (committed, so serving needs no toolchain).
 * Usage: node --import tsx scripts/build-wasm.ts [--check]   (--check fails when the committed binary is stale)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import wabtInit from 'wabt';

export async function assembleDense(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const source = new URL('../src/models/serving/wasm/dense.wat', import.meta.url);
  const module = wabt.parseWat('dense.wat', readFileSync(source, 'utf8'), { simd: true });
  try {
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = new URL('../src/models/serving/wasm/dense.wasm', import.meta.url);
  const binary = await assembleDense();
  if (process.argv.includes('--check')) {
    if (!Buffer.from(binary).equals(readFileSync(target))) throw new Error('src/models/serving/wasm/dense.wasm is stale: npm run build:wasm');
  } else {
    writeFileSync(target, binary);
    process.stdout.write(`wrote ${target.pathname} (${binary.length} bytes)\n`);
  }
}
