/** A variable query's regex filter does not compile; thrown before any request is made. */
export class InvalidRegexError extends Error {
  constructor(
    readonly pattern: string,
    reason: string
  ) {
    super(`Invalid regex filter ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'InvalidRegexError';
  }
}

const SLASHED = /^\/(.*)\/([a-z]*)$/s;

/**
 * Compiles a filter written either as `/pattern/flags` (as in Grafana's variable regex) or as a bare pattern.
 * An empty or blank filter means "no filter" and gives undefined.
 */
export function compileRegexFilter(filter: string | undefined): RegExp | undefined {
  if (filter === undefined || filter.trim() === '') {
    return undefined;
  }
  const slashed = SLASHED.exec(filter.trim());
  const [source, flags] = slashed ? [slashed[1], slashed[2]] : [filter, ''];
  try {
    // A global or sticky regex keeps state between `test` calls, which would skip matches.
    return new RegExp(source, flags.replace(/[gy]/g, ''));
  } catch (error) {
    throw new InvalidRegexError(filter, error instanceof Error ? error.message : String(error));
  }
}
