import { QueryInputError } from './errors';
import { compileUserRegex, InvalidRegexError } from './userRegex';

const asVariable = (pattern: string) =>
  compileUserRegex(pattern, { subject: 'The regex filter of this variable', allowBare: true });
const asRolloutFilter = (pattern: string) =>
  compileUserRegex(pattern, { subject: 'The rollout filter', allowBare: false });

describe('compileUserRegex', () => {
  it('matches without state: a g or y flag is dropped, so no name is skipped', () => {
    for (const regex of [asVariable('/web/g'), asRolloutFilter('/web/gy')]) {
      expect(regex.flags).toBe('');
      expect(['web', 'web-api', 'web2', 'cart'].filter((name) => regex.test(name))).toEqual(['web', 'web-api', 'web2']);
    }
  });

  it('keeps the other flags', () => {
    expect(asVariable('/^WEB/gi').flags).toBe('i');
    expect(asVariable('/^web$/ms').flags).toBe('ms');
  });

  it('reads a bare pattern as written when bare patterns are allowed', () => {
    expect(asVariable('^web-\\d+$').source).toBe('^web-\\d+$');
    expect(() => asRolloutFilter('^web')).toThrow('The rollout filter ^web is not written as /regular expression/.');
  });

  it.each(['^web-\\d+$', '(canary|web)-.*', '^(?!canary).*$', '[a-z]+-[a-z]+', '^payments$', 'x{2,5}'])(
    'accepts the everyday pattern %s',
    (pattern) => {
      expect(asVariable(pattern)).toBeInstanceOf(RegExp);
    }
  );

  it.each(['(a+)+$', '^(\\w+\\s?)*$', '(x+x+)+y', '(.*a){12}', '^([a-z0-9]+-)*[a-z0-9]+$', '(?<=web)-api'])(
    'refuses %s before it runs, saying why and what to write instead',
    (pattern) => {
      let caught: unknown;
      try {
        asVariable(pattern);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidRegexError);
      expect(caught).toBeInstanceOf(QueryInputError);
      expect((caught as Error).message).toBe(
        `The regex filter of this variable ${JSON.stringify(pattern)} could take exponential time on some names and ` +
          'freeze the browser: it repeats a group that itself repeats, such as (a+)+ or ([a-z]+-)*, or uses ' +
          'lookbehind, which the safety check cannot read. Write it without nested repetition, e.g. ^[a-z0-9-]+$ ' +
          'instead of ^([a-z0-9]+-)*[a-z0-9]+$.'
      );
    }
  );

  it('names a pattern that does not compile, and why', () => {
    expect(() => asRolloutFilter('/(unclosed/')).toThrow(
      'The rollout filter /(unclosed/ is not a valid regular expression: Invalid regular expression: /(unclosed/: Unterminated group'
    );
    expect(() => asVariable('/web/q')).toThrow(
      /^The regex filter of this variable \/web\/q is not a valid regular expression: Invalid flags/
    );
  });
});
