import { QueryInputError } from './errors';
import { rolloutMatcher } from './rolloutMatcher';

describe('rolloutMatcher', () => {
  it('selects every rollout when no pattern is given', () => {
    expect(rolloutMatcher([])('checkout')).toBe(true);
    expect(rolloutMatcher(['', '  '])('checkout')).toBe(true);
  });

  it('matches plain names exactly', () => {
    const matches = rolloutMatcher(['checkout', 'payments']);
    expect(matches('checkout')).toBe(true);
    expect(matches('checkout-v2')).toBe(false);
    expect(matches('cart')).toBe(false);
  });

  it('matches /regex/ patterns, with flags', () => {
    const matches = rolloutMatcher(['/^check/', '/CART$/i']);
    expect(matches('checkout')).toBe(true);
    expect(matches('shopping-cart')).toBe(true);
    expect(matches('payments')).toBe(false);
  });

  it('matches every name a global regex matches, one after the other', () => {
    const matches = rolloutMatcher(['/web/g']);
    expect(['web', 'web-api', 'web2'].map(matches)).toEqual([true, true, true]);
  });

  it('refuses a pattern that could backtrack for ages', () => {
    expect(() => rolloutMatcher(['/^(a+)+$/'])).toThrow(
      /^The rollout filter \/\^\(a\+\)\+\$\/ could take exponential time/
    );
  });

  it('throws a QueryInputError naming the pattern for an invalid regex', () => {
    expect(() => rolloutMatcher(['/(unclosed/'])).toThrow(QueryInputError);
    expect(() => rolloutMatcher(['/(unclosed/'])).toThrow(/\/\(unclosed\/ is not a valid regular expression/);
  });
});
