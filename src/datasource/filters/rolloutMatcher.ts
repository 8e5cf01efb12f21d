import { compileUserRegex, isRegexLiteral } from './userRegex';

/** A rollout filter value that is a `/regex/` rather than a name. */
export function isRegexPattern(pattern: string): boolean {
  return isRegexLiteral(pattern);
}

/**
 * Rollout names, or `/regex/` patterns (anchored only if the user anchors them), to a predicate.
 * No pattern selects every rollout. Invalid or dangerous regular expressions throw an InvalidRegexError
 * (a QueryInputError).
 */
export function rolloutMatcher(patterns: readonly string[]): (name: string) => boolean {
  const wanted = patterns.map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  if (wanted.length === 0) {
    return () => true;
  }
  const names = new Set(wanted.filter((pattern) => !isRegexPattern(pattern)));
  const regexes = wanted
    .filter(isRegexPattern)
    .map((pattern) => compileUserRegex(pattern, { subject: 'The rollout filter', allowBare: false }));
  return (name) => names.has(name) || regexes.some((regex) => regex.test(name));
}
