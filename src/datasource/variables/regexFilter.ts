import { compileUserRegex, InvalidRegexError } from '../filters/userRegex';

export { InvalidRegexError };

/**
 * Compiles a variable's filter, written either as `/pattern/flags` (as in Grafana's variable regex) or as a bare
 * pattern, with the checks every user regex gets (see `compileUserRegex`). An empty or blank filter means "no
 * filter" and gives undefined.
 */
export function compileRegexFilter(filter: string | undefined): RegExp | undefined {
  if (filter === undefined || filter.trim() === '') {
    return undefined;
  }
  return compileUserRegex(filter, { subject: 'The regex filter of this variable', allowBare: true });
}
