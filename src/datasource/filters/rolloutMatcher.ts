import { QueryInputError } from './errors';

const REGEX_LITERAL = /^\/(.*)\/([a-z]*)$/s;

export function isRegexPattern(pattern: string): boolean {
  return REGEX_LITERAL.test(pattern);
}

function compile(pattern: string): RegExp {
  const [, source, flags] = REGEX_LITERAL.exec(pattern) ?? [];
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new QueryInputError(
      `The rollout filter ${pattern} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`
    );
  }
}

/**
 * Rollout names, or `/regex/` patterns (anchored only if the user anchors them), to a predicate.
 * No pattern selects every rollout. Invalid regular expressions throw a QueryInputError.
 */
export function rolloutMatcher(patterns: readonly string[]): (name: string) => boolean {
  const wanted = patterns.map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  if (wanted.length === 0) {
    return () => true;
  }
  const names = new Set(wanted.filter((pattern) => !isRegexPattern(pattern)));
  const regexes = wanted.filter(isRegexPattern).map(compile);
  return (name) => names.has(name) || regexes.some((regex) => regex.test(name));
}
