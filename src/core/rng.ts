/**
 * Seeded randomness for the simulators: pure-rand's xoroshiro128+ (no unseeded global randomness anywhere in the core) with
 * 53-bit uniforms and Box-Muller normals. One Rng per stream keeps draws independent of the agent's actions,
 * which is what common random numbers across policies rely on.
 */
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';

const TWO_POW_53 = 9007199254740992;
const TWO_POW_26 = 67108864;

export class Rng {
  private gen: RandomGenerator;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.gen = Rng.generator(seed);
  }

  /**
   * xoroshiro128+ seeded with neighbouring integers gives correlated first outputs (episode seeds are
   * consecutive), so the seed is hashed and a few outputs are discarded.
   */
  private static generator(seed: number): RandomGenerator {
    const gen = xoroshiro128plus(mix32(seed));
    for (let i = 0; i < 8; i++) gen.unsafeNext();
    return gen;
  }

  /** Restart the stream from a seed. */
  reseed(seed: number): void {
    this.gen = Rng.generator(seed);
    this.hasSpare = false;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.gen.unsafeNext() >>> 5; // 27 bits
    const lo = this.gen.unsafeNext() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /** Standard normal by Box-Muller; the second variate of each pair is kept for the next call. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * v;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

/**
 * Derives a well-mixed 32-bit seed from (seed, stream) so that e.g. the market path of episode i and a policy's
 * own exploration never share a stream (splitmix-style integer hash).
 */
export function deriveSeed(seed: number, stream: number): number {
  return mix32((Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca77)) | 0);
}

/** A 32-bit integer hash (lowbias32) so neighbouring seeds start far apart. */
export function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}
