/**
 * Templates taken from the recorded controller output in tests/fixtures/recorded: every generated object is a
 * recorded one with its names, hashes, revisions, uids and times rewritten, so the shapes (fields, reasons,
 * messages, analysis results) are what Argo Rollouts really writes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Random } from './random';

const RECORDED_DIR = path.resolve(__dirname, '../fixtures/recorded');

/** Scenarios that update an existing rollout: each one is an "episode" the generator can replay at any revision. */
export const UPDATE_SCENARIOS = [
  'canary-promote',
  'bluegreen-promote',
  'analysis-success',
  'analysis-failure',
  'canary-abort',
  'rollback',
] as const;
export type UpdateScenario = (typeof UPDATE_SCENARIOS)[number];

interface KubeItem {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    annotations?: Record<string, string>;
    managedFields?: unknown[];
  };
  involvedObject?: { apiVersion?: string };
  reason?: string;
  message?: string;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

export interface ScenarioTemplate {
  scenario: UpdateScenario;
  /** The recorded rollout's name and namespace. */
  name: string;
  namespace: string;
  rolloutUid: string;
  /** Recorded revision -> pod-template-hash. */
  hashByRevision: Map<number, string>;
  /** Revisions the episode adds after revision 1 (a rollback adds two: the update and the rollback). */
  span: number;
  /** When revision 2 started in the recording (epoch ms). */
  updateStartMs: number;
  /** When revision 1 started in the recording (epoch ms). */
  initialStartMs: number;
  /** Final state of the Rollout, compact JSON. */
  rollout: string;
  /** ReplicaSets by recorded hash, compact JSON. */
  replicaSets: Map<string, string>;
  analysisRuns: string[];
  /** Events of the Argo objects from the update to revision 2 on, oldest first, compact JSON. */
  episodeEvents: string[];
  /** Rewrites one recorded object of this scenario (see `stampFor`). */
  pattern: RegExp;
  analysisRunNames: Array<{ recorded: string; revision: number; step: string }>;
}

function readList(scenario: string, file: string): KubeItem[] {
  const text = readFileSync(path.join(RECORDED_DIR, scenario, file), 'utf8');
  return (JSON.parse(text) as { items?: KubeItem[] | null }).items ?? [];
}

type ManagedFieldsByList = Partial<Record<'events' | 'rollouts' | 'replicasets' | 'analysisruns', unknown[]>>;

const UID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The API server sends every object with its `metadata.managedFields` and the browser parses them, but the
 * recorded lists leave them out: each object gets back the recorded managedFields of its kind, dated at the
 * object's own time. The only uid in them is that of the owning Rollout (an `ownerReferences` key).
 */
function withManagedFields(item: KubeItem, fields: unknown[] | undefined, rolloutUid: string): KubeItem {
  if (!fields || !item.metadata) {
    return item;
  }
  const time = item.lastTimestamp ?? item.metadata.creationTimestamp;
  const dated = fields.map((entry) => ({ ...(entry as object), ...(time ? { time } : {}) }));
  item.metadata.managedFields = JSON.parse(JSON.stringify(dated).replace(UID, rolloutUid)) as unknown[];
  return item;
}

const eventTime = (event: KubeItem) => Date.parse(event.lastTimestamp ?? event.eventTime ?? '');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function loadScenario(scenario: UpdateScenario): ScenarioTemplate {
  const managedFields = JSON.parse(
    readFileSync(path.join(RECORDED_DIR, scenario, 'managed-fields.json'), 'utf8')
  ) as ManagedFieldsByList;
  const [recordedRollout] = readList(scenario, 'rollouts.json');
  const rolloutUid = recordedRollout.metadata?.uid ?? '';
  const rollout = withManagedFields(recordedRollout, managedFields.rollouts, rolloutUid);
  const name = rollout.metadata?.name ?? '';
  const namespace = rollout.metadata?.namespace ?? '';
  const argoEvents = readList(scenario, 'events.json')
    .filter((event) => event.involvedObject?.apiVersion?.startsWith('argoproj.io/'))
    .map((event) => withManagedFields(event, managedFields.events, rolloutUid))
    .sort((a, b) => eventTime(a) - eventTime(b));
  const hashByRevision = new Map<number, string>();
  for (const event of argoEvents) {
    const created = /^Created ReplicaSet (\S+) \(revision (\d+)\)$/.exec(event.message ?? '');
    if (created) {
      hashByRevision.set(Number(created[2]), created[1].slice(name.length + 1));
    }
  }
  const replicaSets = new Map<string, string>();
  for (const recordedReplicaSet of readList(scenario, 'replicasets.json')) {
    const replicaSet = withManagedFields(recordedReplicaSet, managedFields.replicasets, rolloutUid);
    const hash = (replicaSet.metadata?.name ?? '').slice(name.length + 1);
    const revision = Number(replicaSet.metadata?.annotations?.['rollout.argoproj.io/revision']);
    if (!hashByRevision.has(revision)) {
      hashByRevision.set(revision, hash);
    }
    replicaSets.set(hash, JSON.stringify(replicaSet));
  }
  const updatedTo = (revision: number) =>
    argoEvents.findIndex(
      (e) => e.reason === 'RolloutUpdated' && e.message === `Rollout updated to revision ${revision}`
    );
  const episodeStart = updatedTo(2);
  const analysisRuns = readList(scenario, 'analysisruns.json').map((run) =>
    withManagedFields(run, managedFields.analysisruns, rolloutUid)
  );
  const analysisRunNames = analysisRuns.map((run) => {
    const recorded = run.metadata?.name ?? '';
    const [, revision, step] = /-(\d+)-(\d+)$/.exec(recorded) ?? ['', '2', '1'];
    return { recorded, revision: Number(revision), step };
  });
  const tokens = [...analysisRunNames.map((n) => n.recorded), namespace, name, ...hashByRevision.values()]
    .filter((token, index, all) => token !== '' && all.indexOf(token) === index)
    .sort((a, b) => b.length - a.length)
    .map(escape);
  const pattern = new RegExp(
    [
      `(${tokens.join('|')})`,
      '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z)',
      '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})',
      '(\\.[0-9a-f]{16})(?=")',
      '(revision(?: |":")(\\d+))',
    ].join('|'),
    'g'
  );
  return {
    scenario,
    name,
    namespace,
    rolloutUid,
    hashByRevision,
    span: Math.max(...hashByRevision.keys()) - 1,
    updateStartMs: eventTime(argoEvents[episodeStart]),
    initialStartMs: eventTime(argoEvents[updatedTo(1)]),
    rollout: JSON.stringify(rollout),
    replicaSets,
    analysisRuns: analysisRuns.map((run) => JSON.stringify(run)),
    episodeEvents: argoEvents.slice(episodeStart).map((event) => JSON.stringify(event)),
    pattern,
    analysisRunNames,
  };
}

export function loadTemplates(): Map<UpdateScenario, ScenarioTemplate> {
  return new Map(UPDATE_SCENARIOS.map((scenario) => [scenario, loadScenario(scenario)]));
}

/** Where a recorded object lands in the generated cluster. */
export interface Placement {
  name: string;
  namespace: string;
  rolloutUid: string;
  /** Generated revision of recorded revision 0: recorded revision n becomes `base + n`. */
  base: number;
  /** Added to every recorded time. */
  shiftMs: number;
  hashOfRevision: (revision: number) => string;
  random: Random;
}

/** Rewrites a recorded object's JSON text for its placement; uids and event name suffixes become fresh ones. */
export function stamp(template: ScenarioTemplate, json: string, placement: Placement): string {
  const firstRevisionOfHash = new Map<string, number>();
  for (const [revision, hash] of [...template.hashByRevision.entries()].sort((a, b) => a[0] - b[0])) {
    if (!firstRevisionOfHash.has(hash)) {
      firstRevisionOfHash.set(hash, revision);
    }
  }
  const runNames = new Map(
    template.analysisRunNames.map((run) => {
      const revision = placement.base + run.revision;
      return [run.recorded, `${placement.name}-${placement.hashOfRevision(revision)}-${revision}-${run.step}`];
    })
  );
  return json.replace(
    template.pattern,
    (match, token?: string, time?: string, uid?: string, suffix?: string, revisionPhrase?: string, n?: string) => {
      if (token !== undefined) {
        if (token === template.namespace) {
          return placement.namespace;
        }
        if (token === template.name) {
          return placement.name;
        }
        const runName = runNames.get(token);
        if (runName !== undefined) {
          return runName;
        }
        const revision = firstRevisionOfHash.get(token);
        return revision === undefined ? match : placement.hashOfRevision(placement.base + revision);
      }
      if (time !== undefined) {
        const fraction = /\.(\d+)Z$/.exec(time)?.[1];
        const shifted = new Date(Date.parse(time) + placement.shiftMs).toISOString();
        return fraction
          ? shifted.replace(/\.\d+Z$/, `.${fraction.padEnd(6, '0').slice(0, 6)}Z`)
          : shifted.replace(/\.\d+Z$/, 'Z');
      }
      if (uid !== undefined) {
        return uid === template.rolloutUid ? placement.rolloutUid : placement.random.uuid();
      }
      if (suffix !== undefined) {
        return `.${placement.random.hex(16)}`;
      }
      if (revisionPhrase !== undefined && n !== undefined) {
        return revisionPhrase.replace(n, String(placement.base + Number(n)));
      }
      return match;
    }
  );
}
