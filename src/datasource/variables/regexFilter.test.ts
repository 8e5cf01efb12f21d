import { compileRegexFilter, InvalidRegexError } from './regexFilter';

describe('compileRegexFilter', () => {
  it('returns no filter for an empty or blank pattern', () => {
    expect(compileRegexFilter(undefined)).toBeUndefined();
    expect(compileRegexFilter('')).toBeUndefined();
    expect(compileRegexFilter('   ')).toBeUndefined();
  });

  it('compiles a bare pattern as written', () => {
    const regex = compileRegexFilter('^web-\\d+$');
    expect(regex?.test('web-12')).toBe(true);
    expect(regex?.test('api-12')).toBe(false);
  });

  it('reads /pattern/flags and drops the stateful g and y flags', () => {
    const regex = compileRegexFilter('/^Web/giy');
    expect(regex?.flags).toBe('i');
    expect(regex?.test('web')).toBe(true);
    expect(regex?.test('web')).toBe(true);
  });

  it('throws an InvalidRegexError naming the pattern and the reason', () => {
    let caught: unknown;
    try {
      compileRegexFilter('([a-');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidRegexError);
    expect(caught).toMatchObject({ name: 'InvalidRegexError', pattern: '([a-' });
    expect((caught as Error).message).toBe(
      'The regex filter of this variable "([a-" is not a valid regular expression: Invalid regular expression: ' +
        '/([a-/: Unterminated character class'
    );
  });

  it('rejects unknown flags as invalid', () => {
    expect(() => compileRegexFilter('/web/q')).toThrow(InvalidRegexError);
  });
});
