import { readFileSync, readdirSync, existsSync } from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import type { TimelineInput } from '../types';

/** The kubectl plugin's real object dumps, in the shared reference folder beside the repository. */
export const SHARED_TESTDATA = path.resolve(
  __dirname,
  '../../../../../shared/fixtures/argo-rollouts/pkg/kubectl-argo-rollouts/info/testdata'
);

/** Recorded real controller output, one folder per scenario, when the test bed has produced it. */
export const RECORDED_FIXTURES = path.resolve(__dirname, '../../../../tests/fixtures/recorded');

type Lists = Pick<TimelineInput, 'events' | 'rollouts' | 'replicaSets' | 'analysisRuns' | 'experiments'>;

function emptyLists(): { [K in keyof Lists]: unknown[] } {
  return { events: [], rollouts: [], replicaSets: [], analysisRuns: [], experiments: [] };
}

const LIST_BY_KIND: Record<string, keyof Lists> = {
  Event: 'events',
  Rollout: 'rollouts',
  ReplicaSet: 'replicaSets',
  AnalysisRun: 'analysisRuns',
  Experiment: 'experiments',
};

function add(lists: { [K in keyof Lists]: unknown[] }, obj: unknown, kindFromList?: string) {
  if (typeof obj !== 'object' || obj === null) {
    return;
  }
  const record = obj as { kind?: string; items?: unknown[] };
  if (Array.isArray(record.items)) {
    // Items of a List response carry no kind of their own: `RolloutList` holds Rollouts.
    const itemKind = record.kind?.endsWith('List') ? record.kind.slice(0, -'List'.length) : undefined;
    for (const item of record.items) {
      add(lists, item, itemKind);
    }
    return;
  }
  const kind = record.kind ?? kindFromList;
  const list = kind ? LIST_BY_KIND[kind] : undefined;
  if (list) {
    lists[list].push(obj);
  }
}

/**
 * Every object of the listed kinds in a folder of YAML or JSON files (single objects or `List`s). Only
 * `.yaml`/`.yml` files and the JSON files named in `jsonFiles` (all JSON files when omitted) are read.
 */
export function loadFolder(folder: string, jsonFiles?: string[]): Lists {
  const lists = emptyLists();
  for (const file of readdirSync(folder).sort()) {
    const text = () => readFileSync(path.join(folder, file), 'utf8');
    if (file.endsWith('.json') && (!jsonFiles || jsonFiles.includes(file))) {
      add(lists, JSON.parse(text()));
    } else if (file.endsWith('.yaml') || file.endsWith('.yml')) {
      for (const doc of parseAllDocuments(text())) {
        add(lists, doc.toJS());
      }
    }
  }
  return lists as unknown as Lists;
}

const RECORDED_LISTS = ['rollouts.json', 'replicasets.json', 'analysisruns.json', 'experiments.json'];

/** A recorded scenario, with its Events read through the core/v1 API or the events.k8s.io/v1 API. */
export function recordedScenario(name: string, eventsApi: 'core' | 'events.k8s.io' = 'core'): Lists {
  const eventsFile = eventsApi === 'core' ? 'events.json' : 'events.k8s.io.json';
  return loadFolder(path.join(RECORDED_FIXTURES, name), [...RECORDED_LISTS, eventsFile]);
}

export function sharedScenario(name: string): Lists {
  return loadFolder(path.join(SHARED_TESTDATA, name));
}

export function recordedScenarios(): string[] {
  return existsSync(RECORDED_FIXTURES)
    ? readdirSync(RECORDED_FIXTURES).filter((d) => existsSync(path.join(RECORDED_FIXTURES, d, 'versions.json')))
    : [];
}
