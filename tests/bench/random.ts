/** A small seeded generator (mulberry32): the same seed gives the same cluster on every machine. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(minInclusive: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[value, weight], ...]`. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T;
  hex(length: number): string;
  uuid(): string;
  /** Like Kubernetes' pod-template-hash: SafeEncodeString alphabet, no vowels. */
  podTemplateHash(): string;
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) => {
    let text = '';
    for (let i = 0; i < length; i++) {
      text += Math.floor(next() * 16).toString(16);
    }
    return text;
  };
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (choices) => {
      const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of choices) {
        roll -= weight;
        if (roll < 0) {
          return value;
        }
      }
      return choices[choices.length - 1][0];
    },
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[int(0, 3)]}${hex(3)}-${hex(12)}`,
    podTemplateHash: () => {
      let text = '';
      const length = int(8, 10);
      for (let i = 0; i < length; i++) {
        text += SAFE_ALPHABET[Math.floor(next() * SAFE_ALPHABET.length)];
      }
      return text;
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
