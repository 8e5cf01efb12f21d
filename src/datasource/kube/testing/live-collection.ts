/**
 * A collection of the stand-in API server that changes while clients list and watch it, with the rules of the
 * real API server's watch cache: a list answers the current items at the current resourceVersion (in pages, see
 * `collection`); `watch=1&resourceVersion=N` streams every change after N, one JSON object per line, then each new
 * change as it happens, and BOOKMARKs when asked; a resourceVersion older than the kept history gets an ERROR event
 * with a 410 Status; `timeoutSeconds` ends the stream. Label selectors of the form `key` (the label exists) are
 * applied to lists and watches, as the API server applies them.
 */
import { collection, EXPIRED_STATUS, type Handler, type Reply, type ReplyStream } from './stand-in-api-server';

interface Change {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Record<string, any>;
  resourceVersion: number;
}

interface Watcher {
  stream: ReplyStream;
  matches: (object: Record<string, any>) => boolean;
}

const keyOf = (object: Record<string, any>) => `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** Only `key` (exists) and `!key` requirements: what the data source sends. */
function selectorMatcher(selector: string | null, namespace: string | undefined) {
  const requirements = (selector ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return (object: Record<string, any>) => {
    if (namespace && object.metadata?.namespace !== namespace) {
      return false;
    }
    const labels: Record<string, string> = object.metadata?.labels ?? {};
    return requirements.every((requirement) =>
      requirement.startsWith('!') ? !(requirement.slice(1) in labels) : requirement in labels
    );
  };
}

export class LiveCollection {
  private readonly items = new Map<string, Record<string, any>>();
  private history: Change[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Watches started with a resourceVersion older than this get 410 Gone. */
  private oldestKept: number;

  constructor(
    private readonly kind: string,
    private readonly apiVersion: string,
    items: Array<Record<string, any>>,
    public resourceVersion: number
  ) {
    for (const item of items) {
      this.items.set(keyOf(item), this.stamped(item));
    }
    this.oldestKept = resourceVersion;
  }

  /** Answers lists and watches of this collection, cluster-wide or in the namespace of the path. */
  handler(namespace?: string): Handler {
    return (request) => {
      const matches = selectorMatcher(request.query.get('labelSelector'), namespace);
      if (request.query.get('watch') === '1' || request.query.get('watch') === 'true') {
        return this.watch(Number(request.query.get('resourceVersion') ?? '0'), request.query, matches);
      }
      return collection({
        kind: `${this.kind}List`,
        apiVersion: this.apiVersion,
        items: [...this.items.values()].filter(matches),
        resourceVersion: String(this.resourceVersion),
      })(request);
    };
  }

  upsert(object: Record<string, any>): void {
    const type = this.items.has(keyOf(object)) ? 'MODIFIED' : 'ADDED';
    this.record(type, object);
  }

  delete(object: Record<string, any>): void {
    if (this.items.has(keyOf(object))) {
      this.record('DELETED', object);
    }
  }

  /** Sends a BOOKMARK at the current resourceVersion to every open watch that asked for bookmarks. */
  bookmark(): void {
    const line = JSON.stringify({
      type: 'BOOKMARK',
      object: {
        kind: this.kind,
        apiVersion: this.apiVersion,
        metadata: { resourceVersion: String(this.resourceVersion) },
      },
    });
    this.watchers.forEach((watcher) => watcher.stream.write(`${line}\n`));
  }

  /** Forgets the history, as a restarted API server does: watches from an older resourceVersion get 410. */
  forgetHistory(): void {
    this.history = [];
    this.oldestKept = this.resourceVersion;
  }

  /** Ends every open watch, as the API server does at its timeout. */
  closeWatches(): void {
    this.watchers.forEach((watcher) => watcher.stream.end());
    this.watchers.clear();
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private stamped(object: Record<string, any>): Record<string, any> {
    return {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(this.resourceVersion) },
    };
  }

  private record(type: Change['type'], object: Record<string, any>): void {
    this.resourceVersion++;
    const stamped = this.stamped(object);
    if (type === 'DELETED') {
      this.items.delete(keyOf(object));
    } else {
      this.items.set(keyOf(object), stamped);
    }
    const change = { type, object: stamped, resourceVersion: this.resourceVersion };
    this.history.push(change);
    const line = this.line(change);
    for (const watcher of this.watchers) {
      if (watcher.matches(stamped)) {
        watcher.stream.write(line);
      }
    }
  }

  private line(change: Change): string {
    return `${JSON.stringify({
      type: change.type,
      object: { kind: this.kind, apiVersion: this.apiVersion, ...change.object },
    })}\n`;
  }

  private watch(from: number, query: URLSearchParams, matches: (object: Record<string, any>) => boolean): Reply {
    return {
      status: 200,
      stream: (stream) => {
        if (from < this.oldestKept) {
          stream.write(
            `${JSON.stringify({ type: 'ERROR', object: { ...EXPIRED_STATUS, message: 'too old resource version' } })}\n`
          );
          stream.end();
          return;
        }
        for (const change of this.history) {
          if (change.resourceVersion > from && matches(change.object)) {
            stream.write(this.line(change));
          }
        }
        const watcher = { stream, matches };
        this.watchers.add(watcher);
        const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '0');
        const timer = timeoutSeconds > 0 ? setTimeout(() => stream.end(), timeoutSeconds * 1000) : undefined;
        void stream.closed.then(() => {
          clearTimeout(timer);
          this.watchers.delete(watcher);
        });
      },
    };
  }
}
