/**
 * How many watch streams the data sources of one page may keep open. A browser keeps at most six HTTP/1.1
 * connections per host and a watch holds one for as long as it runs: over HTTP/1.1 the watches must leave room for
 * the rest of Grafana. Over HTTP/2 and HTTP/3 every request shares one connection, and there is no such limit.
 */
export class StreamBudget {
  private readonly holders = new Set<StreamHolder>();

  constructor(readonly limit: number) {}

  /**
   * Takes a stream if one is left, else the stream of the holder that comes last, when it comes after `holder`: that
   * one gives it up (`release`).
   */
  tryTake(holder: StreamHolder): boolean {
    if (this.holders.size >= this.limit) {
      let last: StreamHolder | undefined;
      for (const one of this.holders) {
        if (!last || one.priority > last.priority) {
          last = one;
        }
      }
      if (!last || last.priority <= holder.priority) {
        return false;
      }
      this.holders.delete(last);
      last.release();
    }
    this.holders.add(holder);
    return true;
  }

  give(holder: StreamHolder): void {
    this.holders.delete(holder);
  }

  get inUse(): number {
    return this.holders.size;
  }
}

/** Who holds a stream: a smaller `priority` comes first; `release` stops its watch when it must give the stream up. */
export interface StreamHolder {
  priority: number;
  release(): void;
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
