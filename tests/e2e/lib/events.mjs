// Records the Events of a namespace as they are written, by watching them. A watch sees every occurrence in
// write order, including repeats that the recorder folds into one Event (count + 1, seen as MODIFIED);
// a list would only show the folded result, ordered by second-precision timestamps. The last version of each
// Event object is kept too (`events()`): what the scenario observed, for the oracle (tests/e2e/oracle/).
import { paths } from './kube.mjs';
import { CheckFailure } from './report.mjs';

/** The Rollout events of a first deploy, in order: every scenario starts with it. */
export const INITIAL_DEPLOY_REASONS = [
  'RolloutAddedToInformer',
  'RolloutUpdated',
  'NewReplicaSetCreated',
  'ScalingReplicaSet',
  'RolloutCompleted',
];

export class EventLog {
  constructor(client, namespace) {
    this.client = client;
    this.namespace = namespace;
    /** @type {Array<{reason:string,type:string,message:string,kind:string,name:string,uid:string,count:number,source:string,at:number}>} */
    this.occurrences = [];
    this.counts = new Map();
    /** The last version of each Event object seen, by name. */
    this.objects = new Map();
    this.lastChangeAt = Date.now();
    this.stopped = false;
  }

  async start() {
    const list = await this.client.get(paths.events(this.namespace));
    for (const ev of list.items) {
      this.counts.set(ev.metadata.name, ev.count ?? 1);
      this.objects.set(ev.metadata.name, eventRecord(ev));
    }
    this.resourceVersion = list.metadata.resourceVersion;
    this.#watch();
    return this;
  }

  #watch() {
    const url = `${paths.events(this.namespace)}?resourceVersion=${this.resourceVersion}&allowWatchBookmarks=true`;
    this.handle = this.client.watch(url, ({ type, object }) => this.#onEvent(type, object));
    this.handle.done
      .catch((err) => (this.error = err))
      .finally(() => {
        if (!this.stopped && !this.error) {
          this.#watch(); // the server ended the watch (timeout): resume from the last version seen
        }
      });
  }

  #onEvent(type, ev) {
    if (type === 'ERROR') {
      this.error = new Error(`event watch error: ${JSON.stringify(ev)}`);
      return;
    }
    this.resourceVersion = ev.metadata.resourceVersion;
    if (type === 'BOOKMARK' || type === 'DELETED') {
      return;
    }
    this.objects.set(ev.metadata.name, eventRecord(ev));
    this.lastChangeAt = Date.now();
    const count = ev.count ?? 1;
    const previous = this.counts.get(ev.metadata.name) ?? 0;
    this.counts.set(ev.metadata.name, count);
    if (count <= previous) {
      return; // an update that is not a new occurrence
    }
    this.occurrences.push({
      reason: ev.reason,
      type: ev.type,
      message: ev.message,
      kind: ev.involvedObject.kind,
      name: ev.involvedObject.name,
      uid: ev.involvedObject.uid,
      count,
      source: ev.source?.component ?? ev.reportingComponent ?? '',
      at: Date.now(),
    });
  }

  /** Occurrences about one object, optionally only those after `since` (ms epoch). */
  about(kind, name, since = 0) {
    return this.occurrences.filter((o) => o.kind === kind && o.name === name && o.at >= since);
  }

  reasons(kind, name, since = 0) {
    return this.about(kind, name, since).map((o) => o.reason);
  }

  /** Compact list for report details: "Reason: message". */
  describe(kind, name) {
    return this.about(kind, name).map((o) => `${o.reason}: ${o.message}`);
  }

  /**
   * Waits until the reasons of `kind/name` (occurring at or after `since`) contain `expected` in order, and
   * returns them. Events are written asynchronously, so they can lag behind the status that caused them.
   */
  async waitForReasons(kind, name, expected, label, { since = 0, timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const reasons = this.reasons(kind, name, since);
      try {
        expectInOrder(reasons, expected, label);
        return reasons;
      } catch (err) {
        if (Date.now() > deadline) {
          throw err;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The Event objects as last seen, in the order they were first written. */
  events() {
    return [...this.objects.values()];
  }

  /** Waits (at most `timeoutMs`) until no Event was written or changed for `quietMs`. */
  async settle({ quietMs = 2000, timeoutMs = 15000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() - this.lastChangeAt < quietMs && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  stop() {
    this.stopped = true;
    this.handle?.stop();
  }
}

/** What an observation keeps of an Event: who it is about, what it says, and when, as the API server has it. */
function eventRecord(ev) {
  return {
    name: ev.metadata.name,
    involvedObject: {
      kind: ev.involvedObject.kind,
      name: ev.involvedObject.name,
      apiVersion: ev.involvedObject.apiVersion,
    },
    reason: ev.reason,
    type: ev.type,
    message: ev.message,
    count: ev.count ?? 1,
    firstTimestamp: ev.firstTimestamp,
    lastTimestamp: ev.lastTimestamp,
  };
}

/**
 * Asserts that `expected` occurs in `actual` in this order (other reasons may sit in between).
 * Returns the matched positions.
 */
export function expectInOrder(actual, expected, label) {
  const positions = [];
  let i = 0;
  for (const reason of expected) {
    while (i < actual.length && actual[i] !== reason) {
      i++;
    }
    if (i >= actual.length) {
      throw new CheckFailure(
        `${label}: expected reasons in order ${JSON.stringify(expected)}; "${reason}" (#${positions.length + 1}) missing`,
        { expectedReasons: expected, actualReasons: actual }
      );
    }
    positions.push(i++);
  }
  return positions;
}

/** Asserts that none of `forbidden` occurs in `actual`. */
export function expectAbsent(actual, forbidden, label) {
  const found = actual.filter((r) => forbidden.includes(r));
  if (found.length > 0) {
    throw new CheckFailure(`${label}: unexpected reasons ${JSON.stringify(found)}`, { actualReasons: actual });
  }
}
