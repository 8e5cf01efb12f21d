type IdentityPart = string | number | undefined;

/** A 53-bit hash of the parts joined by NUL characters (two 32-bit multiply-xorshift lanes), read in place. */
function hashParts(parts: readonly IdentityPart[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let p = 0; p < parts.length; p++) {
    if (p > 0) {
      // The NUL separator (char code 0).
      h1 = Math.imul(h1, 2654435761);
      h2 = Math.imul(h2, 1597334677);
    }
    const text = String(parts[p] ?? '');
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

const BASE36_6_DIGITS = 36 ** 6;

/**
 * `value.toString(36)` for an integer below 2^53, in two parts that (nearly always) fit the engine's fast
 * conversion of small integers: its general one, for numbers of this size, is many times slower.
 */
function base36(value: number): string {
  const low = value % BASE36_6_DIGITS;
  const high = (value - low) / BASE36_6_DIGITS;
  return high > 0 ? high.toString(36) + low.toString(36).padStart(6, '0') : low.toString(36);
}

/**
 * A 53-bit string hash, written out in base 36. Not cryptographic: it only has to give the same id for the same
 * identity on every run and rarely collide.
 */
export function stableHash(text: string): string {
  return base36(hashParts([text]));
}

/** `rl-` and the `stableHash` of the identity parts joined by NUL characters (`undefined` as empty). */
export function entryId(...identity: IdentityPart[]): string {
  return `rl-${base36(hashParts(identity))}`;
}
