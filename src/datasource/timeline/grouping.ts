import type { NormalizedEvent } from './events';
import type { AnalysisRunView, ExperimentView, ReplicaSetView, RolloutView } from './objects';

/** Everything known about one Rollout. */
export interface RolloutBucket {
  namespace: string;
  name: string;
  view?: RolloutView;
  replicaSets: ReplicaSetView[];
  /** Events whose involved object is the Rollout itself. */
  rolloutEvents: NormalizedEvent[];
  /** Events about its AnalysisRuns and Experiments. */
  childEvents: NormalizedEvent[];
  analysisRuns: AnalysisRunView[];
  experiments: ExperimentView[];
}

export interface Grouping {
  buckets: RolloutBucket[];
  /** AnalysisRun namespace/name -> the run, for events about it. */
  runs: Map<string, AnalysisRunView>;
  /** AnalysisRuns, and Events about AnalysisRuns or Experiments, whose Rollout could not be found. */
  orphanRuns: number;
  orphanEvents: number;
}

export const objectKey = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * Finds the Rollout a child object belongs to by name, `<rollout>-<podHash>-…`, when no object links it: the
 * longest candidate that is followed by a `-` in the name.
 */
function rolloutByNamePrefix(name: string, candidates: ReadonlySet<string>): string | undefined {
  for (let dash = name.lastIndexOf('-'); dash >= 0; dash = name.lastIndexOf('-', dash - 1)) {
    const prefix = name.slice(0, dash);
    if (candidates.has(prefix)) {
      return prefix;
    }
    if (dash === 0) {
      break;
    }
  }
  return undefined;
}

/**
 * Sorts every object and Event to the Rollout it belongs to: by owner reference, else through its Experiment,
 * else by name prefix. Children whose Rollout cannot be found are counted.
 */
export function groupByRollout(
  rollouts: RolloutView[],
  replicaSets: ReplicaSetView[],
  analysisRuns: AnalysisRunView[],
  experiments: ExperimentView[],
  events: NormalizedEvent[]
): Grouping {
  const buckets = new Map<string, RolloutBucket>();
  // Lists hold the objects of one Rollout next to each other (they are sorted by namespace and name): the last
  // bucket is most often the one asked for again.
  let last: RolloutBucket | undefined;
  const bucket = (namespace: string, name: string) => {
    if (last && last.name === name && last.namespace === namespace) {
      return last;
    }
    const k = objectKey(namespace, name);
    let b = buckets.get(k);
    if (!b) {
      b = { namespace, name, replicaSets: [], rolloutEvents: [], childEvents: [], analysisRuns: [], experiments: [] };
      buckets.set(k, b);
    }
    last = b;
    return b;
  };
  for (const view of rollouts) {
    bucket(view.namespace, view.name).view = view;
  }
  for (const rs of replicaSets) {
    bucket(rs.namespace, rs.rollout).replicaSets.push(rs);
  }
  for (const event of events) {
    if (event.involvedKind === 'Rollout') {
      bucket(event.namespace, event.involvedName).rolloutEvents.push(event);
    }
  }
  // Fixed before any matching by prefix, so that the order of the input cannot change the result.
  const namesByNamespace = new Map<string, Set<string>>();
  const addKnown = (namespace: string, name: string) => {
    const names = namesByNamespace.get(namespace);
    if (names) {
      names.add(name);
    } else {
      namesByNamespace.set(namespace, new Set([name]));
    }
  };
  for (const b of buckets.values()) {
    addKnown(b.namespace, b.name);
  }
  for (const children of [experiments, analysisRuns]) {
    for (const child of children) {
      if (child.rollout) {
        addKnown(child.namespace, child.rollout);
      }
    }
  }
  const noNames: ReadonlySet<string> = new Set();
  const namesIn = (namespace: string) => namesByNamespace.get(namespace) ?? noNames;

  const experimentOwner = new Map<string, string>();
  for (const exp of experiments) {
    const owner = exp.rollout ?? rolloutByNamePrefix(exp.name, namesIn(exp.namespace));
    if (owner) {
      experimentOwner.set(objectKey(exp.namespace, exp.name), owner);
      bucket(exp.namespace, owner).experiments.push(exp);
    }
  }
  const runs = new Map<string, AnalysisRunView>();
  const runOwner = new Map<string, string>();
  let orphanRuns = 0;
  for (const run of analysisRuns) {
    const owner =
      run.rollout ??
      (run.experiment ? experimentOwner.get(objectKey(run.namespace, run.experiment)) : undefined) ??
      rolloutByNamePrefix(run.name, namesIn(run.namespace));
    if (owner) {
      const k = objectKey(run.namespace, run.name);
      runs.set(k, run);
      runOwner.set(k, owner);
      bucket(run.namespace, owner).analysisRuns.push(run);
    } else {
      orphanRuns++;
    }
  }
  let orphanEvents = 0;
  for (const event of events) {
    if (event.involvedKind === 'Rollout') {
      continue;
    }
    const k = objectKey(event.namespace, event.involvedName);
    const owner =
      (event.involvedKind === 'AnalysisRun' ? runOwner.get(k) : experimentOwner.get(k)) ??
      rolloutByNamePrefix(event.involvedName, namesIn(event.namespace));
    if (owner) {
      bucket(event.namespace, owner).childEvents.push(event);
    } else {
      orphanEvents++;
    }
  }
  return { buckets: [...buckets.values()], runs, orphanRuns, orphanEvents };
}
