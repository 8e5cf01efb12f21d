import fc from 'fast-check';
import { entryId, stableHash } from './hash';

/** Reference: the parts joined into one text, hashed, the result written with `toString(36)`. */
function referenceId(parts: Array<string | number | undefined>): string {
  const text = parts.map((part) => String(part ?? '')).join('\u0000');
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `rl-${(4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)}`;
}

describe('entryId', () => {
  it('is the hash of the parts joined by NUL characters, in base 36', () => {
    const part = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.integer(),
      fc.double(),
      fc.constant(undefined)
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        expect(entryId(...parts)).toBe(referenceId(parts));
      }),
      { numRuns: 5000 }
    );
  });

  it('stays the same for the same identity', () => {
    expect(entryId('prod', 'revision', 'shop', 'web', 3)).toBe(referenceId(['prod', 'revision', 'shop', 'web', 3]));
    expect(stableHash('shop/web')).toBe(referenceId(['shop/web']).slice('rl-'.length));
  });
});
