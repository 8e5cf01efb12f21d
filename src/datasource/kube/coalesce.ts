import { type Deadline, remainingMs } from './deadline';
import { cancelledError, KubeError } from './errors';

/**
 * A caller whose deadline passes while it waits for a run started by another caller gives up this long after it:
 * the run's own retries stop at the deadline of the caller that started it, with a better message.
 */
const JOINED_DEADLINE_GRACE_MS = 1_000;

export interface SharedRequestsOptions {
  /** How long a finished result is served to later callers; 0 turns the cache off. */
  ttlMs: number;
  /** Most results kept; the oldest go first. */
  maxEntries: number;
  now: () => number;
}

export interface ShareOptions {
  signal?: AbortSignal;
  /** Skip the finished-results cache (an identical request in flight is still joined). */
  bypassCache?: boolean;
  /** The caller's deadline: it stops waiting for a shared run soon after. */
  deadline?: Deadline;
}

interface Flight {
  promise: Promise<unknown>;
  controller: AbortController;
  callers: number;
}

/**
 * Identical requests share one run: a caller that aborts only detaches itself, and the run is aborted when its
 * last caller leaves. Finished results stay in a small cache for `ttlMs`, so the panels of one dashboard refresh
 * share them. Shared results are the same object for every caller: treat them as read-only.
 */
export class SharedRequests {
  private readonly inFlight = new Map<string, Flight>();
  private readonly results = new Map<string, { value: unknown; expiresAt: number }>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly options: SharedRequestsOptions) {}

  run<T>(key: string, start: (signal: AbortSignal) => Promise<T>, options: ShareOptions = {}): Promise<T> {
    const { signal } = options;
    if (signal?.aborted) {
      return Promise.reject(cancelledError());
    }
    if (!options.bypassCache) {
      const cached = this.readCache(key);
      if (cached) {
        return Promise.resolve(cached.value as T);
      }
    }
    const flight = this.inFlight.get(key) ?? this.startFlight(key, start);
    flight.callers++;
    return this.attach(key, flight, signal, options.deadline) as Promise<T>;
  }

  /** Resolves once no shared run is still going, including runs every caller has left. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running]);
    }
  }

  private startFlight(key: string, start: (signal: AbortSignal) => Promise<unknown>): Flight {
    const controller = new AbortController();
    const promise = Promise.resolve().then(() => start(controller.signal));
    const flight: Flight = { promise, controller, callers: 0 };
    this.inFlight.set(key, flight);
    const done = (value: { ok: true; value: unknown } | { ok: false }) => {
      if (this.inFlight.get(key) === flight) {
        this.inFlight.delete(key);
      }
      if (value.ok && !controller.signal.aborted) {
        this.writeCache(key, value.value);
      }
    };
    const tracked: Promise<void> = promise.then(
      (value) => done({ ok: true, value }),
      () => done({ ok: false })
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return flight;
  }

  private attach(
    key: string,
    flight: Flight,
    signal: AbortSignal | undefined,
    deadline: Deadline | undefined
  ): Promise<unknown> {
    if (!signal && !deadline) {
      return flight.promise;
    }
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const leave = (error: KubeError) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        flight.callers--;
        if (flight.callers === 0) {
          if (this.inFlight.get(key) === flight) {
            this.inFlight.delete(key);
          }
          flight.controller.abort();
        }
        reject(error);
      };
      const onAbort = () => leave(cancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
      if (deadline) {
        const wait = remainingMs(deadline, this.options.now()) + JOINED_DEADLINE_GRACE_MS;
        timer = setTimeout(
          () =>
            leave(
              new KubeError({
                kind: 'timeout',
                message:
                  `No answer to ${key} came within the query deadline of ${deadline.seconds} s (a data source ` +
                  'setting). Check that the Kubernetes API server is up and answers in time, or raise the deadline.',
              })
            ),
          wait
        );
      }
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      flight.promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => {
          settle();
          reject(error);
        }
      );
    });
  }

  private readCache(key: string): { value: unknown } | undefined {
    const entry = this.results.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= this.options.now()) {
      this.results.delete(key);
      return undefined;
    }
    return entry;
  }

  private writeCache(key: string, value: unknown): void {
    if (this.options.ttlMs <= 0 || this.options.maxEntries <= 0) {
      return;
    }
    this.results.delete(key);
    this.results.set(key, { value, expiresAt: this.options.now() + this.options.ttlMs });
    while (this.results.size > this.options.maxEntries) {
      const oldest = this.results.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.results.delete(oldest);
    }
  }
}
