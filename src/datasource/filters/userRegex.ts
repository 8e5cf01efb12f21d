import safeRegex from 'safe-regex2';

import { QueryInputError } from './errors';

/** `/source/flags`, as a rollout filter or a variable's regex filter is written. */
const REGEX_LITERAL = /^\/(.*)\/([a-z]*)$/s;

export function isRegexLiteral(text: string): boolean {
  return REGEX_LITERAL.test(text);
}

/** A regular expression typed by a user cannot be used: it does not compile, or it could run for ages. */
export class InvalidRegexError extends QueryInputError {
  constructor(
    readonly pattern: string,
    message: string
  ) {
    super(message);
    Object.setPrototypeOf(this, InvalidRegexError.prototype);
    this.name = 'InvalidRegexError';
  }
}

export interface UserRegexOptions {
  /** What the pattern is, to start the messages: `The rollout filter`, `The regex filter of this variable`. */
  subject: string;
  /** Whether a pattern without slashes is a regular expression too (variables), or not one at all (rollouts). */
  allowBare: boolean;
}

/**
 * Every regular expression a user types goes through here. `/source/flags` or, with `allowBare`, a bare pattern.
 * The `g` and `y` flags are dropped: they make `RegExp.test` remember where it stopped, so `/web/g` would match
 * `web`, skip `web-api` and match `web2`. Patterns with nested repetition such as `(a+)+` are refused before they
 * run: backtracking on them takes exponential time, and a regex cannot be interrupted once it runs in the browser.
 */
export function compileUserRegex(pattern: string, options: UserRegexOptions): RegExp {
  const trimmed = pattern.trim();
  const literal = REGEX_LITERAL.exec(trimmed);
  if (!literal && !options.allowBare) {
    throw new InvalidRegexError(pattern, `${options.subject} ${pattern} is not written as /regular expression/.`);
  }
  const [source, flags] = literal ? [literal[1], literal[2]] : [pattern, ''];
  // A /literal/ shows where it starts and ends; a bare pattern is quoted.
  const shown = literal ? trimmed : JSON.stringify(pattern);
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch (error) {
    throw new InvalidRegexError(
      pattern,
      `${options.subject} ${shown} is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`
    );
  }
  if (!safeRegex(regex)) {
    throw new InvalidRegexError(
      pattern,
      `${options.subject} ${shown} could take exponential time on some names and freeze the browser: it repeats ` +
        'a group that itself repeats, such as (a+)+ or ([a-z]+-)*, or uses lookbehind, which the safety check ' +
        'cannot read. Write it without nested repetition, e.g. ^[a-z0-9-]+$ instead of ^([a-z0-9]+-)*[a-z0-9]+$.'
    );
  }
  return regex;
}
