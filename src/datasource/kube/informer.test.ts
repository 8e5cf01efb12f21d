/**
 * @jest-environment node
 */
import { KubeClient } from './client';
import { Informer, type InformerOptions, type ScopeRequest } from './informer';
import { EVENTS, REPLICA_SETS, ROLLOUTS } from './resources';
import { StreamBudget } from './streamBudget';
import { LiveCollection } from './testing/live-collection';
import {
  forbidden,
  type Handler,
  type RecordedRequest,
  type Reply,
  startStandInApiServer,
  type StandInApiServer,
} from './testing/stand-in-api-server';
import { standInBackendSrvFetch } from './testing/stand-in-backend-srv';
import { pageStreamFetch } from './watch';

const ROLLOUTS_PATH = '/apis/argoproj.io/v1alpha1/rollouts';
const REVIEWS_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const USER = 'system:serviceaccount:rollout-lens:rollout-lens-reader';

const rollout = (name: string, namespace = 'shop') => ({
  metadata: { name, namespace, uid: `uid-${namespace}-${name}`, labels: { app: name } },
  spec: { strategy: { canary: {} }, template: { spec: { containers: [{ name: 'app', image: 'web:1' }] } } },
});

interface Bed {
  server: StandInApiServer;
  informer: Informer;
  rollouts: LiveCollection;
  allowed: { list: boolean; clusterWide: boolean; clusterWideList?: boolean };
  /** Answers watches of Rollouts instead of the collection when set. */
  watchReply?: (request: RecordedRequest) => Reply | Promise<Reply>;
}

let bed: Bed | undefined;
let clock: number;

async function start(options: Partial<InformerOptions> = {}, items = [rollout('checkout'), rollout('cart')]) {
  const rollouts = new LiveCollection('Rollout', 'argoproj.io/v1alpha1', items, 100);
  const state: Omit<Bed, 'server' | 'informer'> = { rollouts, allowed: { list: true, clusterWide: true } };
  const handler: Handler = (request) => {
    if (request.method === 'POST' && request.path === REVIEWS_PATH) {
      const attributes = (request.body as any).spec.resourceAttributes;
      const allowed = state.allowed.list && (attributes.namespace !== undefined || state.allowed.clusterWide);
      return { status: 201, body: { status: { allowed } } };
    }
    const namespaced = /^\/apis\/argoproj\.io\/v1alpha1\/namespaces\/([^/]+)\/rollouts$/.exec(request.path);
    if (request.path !== ROLLOUTS_PATH && !namespaced) {
      return { status: 404, body: 'not found' };
    }
    const refusedWide = request.path === ROLLOUTS_PATH && state.allowed.clusterWideList === false;
    if (!state.allowed.list || refusedWide) {
      return forbidden({
        user: USER,
        verb: 'list',
        resource: 'rollouts',
        group: 'argoproj.io',
        namespace: namespaced?.[1],
      });
    }
    if (request.query.get('watch') === '1' && state.watchReply) {
      return state.watchReply(request);
    }
    return rollouts.handler(namespaced?.[1])(request);
  };
  const server = await startStandInApiServer(handler);
  const client = new KubeClient({
    baseUrl: server.baseUrl,
    fetch: standInBackendSrvFetch(),
    streamFetch: pageStreamFetch({ baseUri: 'http://unused.invalid/' }),
    cacheTtlMs: 0,
    sleep: async () => undefined,
  });
  const informer = new Informer({ client, now: () => clock, sleep: async () => undefined, ...options });
  bed = { ...state, server, informer } as Bed;
  Object.defineProperty(bed, 'watchReply', {
    set: (value) => (state.watchReply = value),
    get: () => state.watchReply,
  });
  return bed;
}

afterEach(async () => {
  bed?.informer.stop();
  await bed?.server.close();
  bed = undefined;
});

beforeEach(() => {
  clock = 1_000_000;
});

const ALL_ROLLOUTS: ScopeRequest = { resource: ROLLOUTS };
const lists = (server: StandInApiServer) =>
  server.requests.filter((r) => r.method === 'GET' && r.query.get('watch') === null);
const watches = (server: StandInApiServer) => server.requests.filter((r) => r.query.get('watch') === '1');
const reviews = (server: StandInApiServer) => server.requests.filter((r) => r.path === REVIEWS_PATH);
const names = (informer: Informer) =>
  informer.store
    .rollouts()
    .map((r) => r.metadata?.name)
    .sort();

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('Informer', () => {
  it('lists once, then keeps one watch open: a later refresh makes no list, only its refresh check', async () => {
    const { server, informer } = await start();
    expect(await informer.read([ALL_ROLLOUTS])).toEqual([{ request: ALL_ROLLOUTS }]);
    expect(names(informer)).toEqual(['cart', 'checkout']);
    await until('the watch', () => informer.isWatching([ALL_ROLLOUTS]));
    expect(watches(server)[0].query.get('resourceVersion')).toBe('100');
    expect(watches(server)[0].query.get('allowWatchBookmarks')).toBe('true');
    expect(lists(server)[0].query.get('resourceVersion')).toBe('0');

    clock += 10_000;
    await informer.read([ALL_ROLLOUTS]);
    await informer.read([ALL_ROLLOUTS]);
    expect(lists(server)).toHaveLength(1);
    expect(watches(server)).toHaveLength(1);
    expect(reviews(server)).toHaveLength(1);
    expect(informer.status()).toEqual([{ resource: 'rollouts.argoproj.io', namespace: undefined, mode: 'watching' }]);
  });

  it('keeps the store current from the watch and says what changed', async () => {
    const { informer, rollouts } = await start();
    await informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => informer.isWatching([ALL_ROLLOUTS]));
    const changes: string[] = [];
    informer.store.subscribe((change) => changes.push(`${change.kind} ${change.namespace}`));
    const before = informer.store.generationOf('shop', 'checkout');

    rollouts.upsert({ ...rollout('search'), metadata: { ...rollout('search').metadata } });
    rollouts.upsert({ ...rollout('checkout'), status: { phase: 'Paused' } });
    rollouts.delete(rollout('cart'));
    await until('three changes', () => changes.length === 3);
    expect(names(informer)).toEqual(['checkout', 'search']);
    expect(informer.store.generationOf('shop', 'checkout')).toBeGreaterThan(before);
    expect(informer.store.objectsOf('shop', 'checkout')?.rollout.status?.phase).toBe('Paused');
    expect(changes).toEqual(['Rollout shop', 'Rollout shop', 'Rollout shop']);
  });

  it('watches again from the last resourceVersion when the API server ends the stream', async () => {
    const { server, informer, rollouts } = await start();
    await informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => rollouts.openWatches === 1);
    rollouts.upsert(rollout('search'));
    await until('the change', () => names(informer).includes('search'));
    rollouts.bookmark();
    rollouts.closeWatches();
    await until('the second watch', () => rollouts.openWatches === 1);
    expect(watches(server).map((w) => w.query.get('resourceVersion'))).toEqual(['100', '101']);
    expect(lists(server)).toHaveLength(1);
  });

  it('lists again and watches from the new list on 410 Gone, as an ERROR event or as the answer', async () => {
    const b = await start();
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => b.rollouts.openWatches === 1);
    let gone = 2;
    b.watchReply = (request) => {
      gone--;
      if (gone === 1) {
        return {
          status: 410,
          body: { kind: 'Status', code: 410, reason: 'Gone', message: 'too old resource version' },
        };
      }
      return gone === 0
        ? {
            status: 200,
            stream: (stream) => {
              stream.write(
                `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } })}\n`
              );
              stream.end();
            },
          }
        : (b.rollouts.handler()(request) as Reply);
    };
    b.rollouts.upsert(rollout('search'));
    await until('the change', () => names(b.informer).includes('search'));
    b.rollouts.closeWatches();
    await until('two lists after 410', () => lists(b.server).length === 3 && b.rollouts.openWatches === 1);
    expect(lists(b.server).map((r) => r.query.get('resourceVersion'))).toEqual(['0', '0', '0']);
    expect(watches(b.server).map((w) => w.query.get('resourceVersion'))).toEqual(['100', '101', '101', '101']);
    expect(names(b.informer)).toEqual(['cart', 'checkout', 'search']);
  });

  it('falls back to a list at every refresh when the identity may not watch, and says so', async () => {
    const b = await start();
    b.watchReply = () => forbidden({ user: USER, verb: 'watch', resource: 'rollouts', group: 'argoproj.io' });
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the fallback', () => b.informer.status()[0].mode === 'lists');
    expect(b.informer.status()[0].reason).toMatch(
      /^the identity may not watch rollouts\.argoproj\.io: Kubernetes RBAC/
    );
    clock += 10_000;
    await b.informer.read([ALL_ROLLOUTS]);
    expect(lists(b.server)).toHaveLength(2);
    expect(watches(b.server)).toHaveLength(1);
    expect(b.informer.isWatching([ALL_ROLLOUTS])).toBe(false);
  });

  it('backs off and watches again after a failure, without listing while the watch recovers', async () => {
    const sleeps: number[] = [];
    const b = await start({ sleep: async (ms) => void sleeps.push(ms), random: () => 1 });
    let failing = 2;
    b.watchReply = (request) =>
      failing-- > 0 ? { status: 503, body: 'unavailable' } : (b.rollouts.handler()(request) as Reply);
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => b.rollouts.openWatches === 1);
    expect(sleeps).toEqual([1_000, 2_000]);
    expect(watches(b.server)).toHaveLength(3);
    expect(lists(b.server)).toHaveLength(1);
  });

  it('lists again when a refresh finds the watch broken, so that it never answers from a stale store', async () => {
    const b = await start({
      sleep: (ms, signal) => new Promise((_, reject) => signal.addEventListener('abort', reject)),
    });
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => b.rollouts.openWatches === 1);
    b.watchReply = () => ({ status: 503, body: 'unavailable' });
    b.rollouts.upsert(rollout('search'));
    await until('the change', () => names(b.informer).includes('search'));
    b.rollouts.closeWatches();
    await until('the failed watch', () => !b.informer.isWatching([ALL_ROLLOUTS]));
    b.watchReply = undefined;
    clock += 10_000;
    await b.informer.read([ALL_ROLLOUTS]);
    expect(lists(b.server)).toHaveLength(2);
    await until('a new watch', () => b.rollouts.openWatches === 1);
  });

  it('fails a refresh whose check the API server does not answer, and lists again once access is revoked', async () => {
    const b = await start();
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => b.informer.isWatching([ALL_ROLLOUTS]));
    clock += 10_000;
    b.allowed.list = false;
    const [outcome] = await b.informer.read([ALL_ROLLOUTS]);
    expect(String((outcome.error as Error).message)).toMatch(/^Kubernetes RBAC does not allow/);
    expect(b.informer.store.rollouts()).toEqual([]);
    expect(lists(b.server)).toHaveLength(2);
  });

  it('reads many namespaces with one cluster-wide list when the identity may, one list each when it may not', async () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((ns) => rollout(`web-${ns}`, ns));
    const b = await start({}, items);
    const namespaced = ['a', 'b', 'c', 'd'].map((namespace) => ({ resource: ROLLOUTS, namespace }));
    await b.informer.read(namespaced);
    expect(lists(b.server).map((r) => r.path)).toEqual([ROLLOUTS_PATH]);
    await until('the watch', () => b.informer.isWatching(namespaced));
    // A namespace read later is served by the cluster-wide watch.
    clock += 10_000;
    await b.informer.read([{ resource: ROLLOUTS, namespace: 'e' }]);
    expect(lists(b.server)).toHaveLength(1);

    b.informer.stop();
    await b.server.close();

    const denied = await start({}, items);
    denied.allowed.clusterWide = false;
    await denied.informer.read(namespaced);
    expect(lists(denied.server).map((r) => r.path)).toEqual(
      ['a', 'b', 'c', 'd'].map((ns) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`)
    );
  });

  it('reads per namespace again when the cluster-wide list it chose is refused (access changed since it asked)', async () => {
    const items = ['a', 'b', 'c', 'd'].map((ns) => rollout(`web-${ns}`, ns));
    const b = await start({}, items);
    // The access review still says yes, the API server refuses the cluster-wide list.
    b.allowed.clusterWideList = false;
    const namespaced = ['a', 'b', 'c', 'd'].map((namespace) => ({ resource: ROLLOUTS, namespace }));
    const outcomes = await b.informer.read(namespaced);
    expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(lists(b.server).map((r) => r.path)).toEqual([
      ROLLOUTS_PATH,
      ...['a', 'b', 'c', 'd'].map((ns) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`),
    ]);
    expect(
      b.informer.store
        .rollouts()
        .map((one) => one.metadata?.name)
        .sort()
    ).toEqual(['web-a', 'web-b', 'web-c', 'web-d']);
    // It does not ask again: the next read stays per namespace.
    clock += 10_000;
    b.allowed.list = false;
    const refused = await b.informer.read(namespaced);
    expect(String((refused[0].error as Error).message)).toMatch(/in namespace "a"/);
  });

  it('stops a scope no query read for ten minutes, unless an open query holds it', async () => {
    const b = await start();
    await b.informer.read([ALL_ROLLOUTS]);
    await until('the watch', () => b.rollouts.openWatches === 1);
    const release = b.informer.hold([ALL_ROLLOUTS]);
    clock += 11 * 60_000;
    await b.informer.read([{ resource: EVENTS, namespace: 'elsewhere' }]);
    expect(b.rollouts.openWatches).toBe(1);
    release();
    clock += 11 * 60_000;
    await b.informer.read([{ resource: EVENTS, namespace: 'elsewhere' }]);
    await until('the watch to end', () => b.rollouts.openWatches === 0);
    expect(b.informer.store.rollouts()).toEqual([]);
  });

  it("lists at every refresh what exceeds the page's stream budget", async () => {
    const b = await start({ streams: new StreamBudget(0) });
    await b.informer.read([ALL_ROLLOUTS]);
    clock += 10_000;
    await b.informer.read([ALL_ROLLOUTS]);
    expect(watches(b.server)).toHaveLength(0);
    expect(lists(b.server)).toHaveLength(2);
    expect(b.informer.status()[0]).toMatchObject({ mode: 'lists', reason: expect.stringMatching(/HTTP\/1\.1/) });
  });

  it('keeps its stream when a refresh lists it again while its watch still connects', async () => {
    const b = await start({ streams: new StreamBudget(1) });
    // Grafana's proxy sends the headers of a silent stream after 200 ms.
    b.watchReply = async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return b.rollouts.handler()(request);
    };
    await b.informer.read([ALL_ROLLOUTS]);
    // Past the refresh window, the watch still connecting: listed again, and its watch started again.
    clock += 10_000;
    await b.informer.read([ALL_ROLLOUTS]);
    expect(lists(b.server)).toHaveLength(2);
    await until('the watch', () => b.informer.isWatching([ALL_ROLLOUTS]));
    expect(b.informer.status()).toEqual([{ resource: 'rollouts.argoproj.io', namespace: undefined, mode: 'watching' }]);
    expect(b.informer.streams.inUse).toBe(1);
  });

  it('watches ReplicaSets with the selector it lists them with', async () => {
    const b = await start();
    const scope = { resource: REPLICA_SETS, labelSelector: 'rollouts-pod-template-hash' };
    await b.informer.read([scope]).catch(() => undefined);
    expect(b.server.requests[0].query.get('labelSelector')).toBe('rollouts-pod-template-hash');
  });
});
