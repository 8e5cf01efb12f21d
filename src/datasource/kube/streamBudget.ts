/**
 * How many watch streams the data sources of one page may keep open. A browser keeps at most six HTTP/1.1
 * connections per host and a watch holds one for as long as it runs: over HTTP/1.1 the watches must leave room for
 * the rest of Grafana. Over HTTP/2 and HTTP/3 every request shares one connection, and there is no such limit.
 */
export class StreamBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Takes a stream if one is left. */
  tryTake(): boolean {
    if (this.used >= this.limit) {
      return false;
    }
    this.used++;
    return true;
  }

  give(): void {
    this.used = Math.max(0, this.used - 1);
  }

  get inUse(): number {
    return this.used;
  }
}

/** Watches the data sources of a page may keep open when the page reached Grafana over HTTP/1.1. */
export const HTTP1_WATCH_STREAMS = 4;

/**
 * The budget for a page that reached Grafana with `protocol` (the `nextHopProtocol` of its navigation, e.g.
 * `http/1.1`, `h2`); an unknown protocol counts as HTTP/1.1.
 */
export function streamBudgetFor(protocol: string | undefined): StreamBudget {
  const multiplexed = protocol === 'h2' || protocol === 'h3' || protocol?.startsWith('h3-') === true;
  return new StreamBudget(multiplexed ? Infinity : HTTP1_WATCH_STREAMS);
}
